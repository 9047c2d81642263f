package org.argosy.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.jobs.source.DeadLetter;
import org.argosy.jobs.source.DeadLetterReason;
import org.argosy.jobs.source.FlowOrDeadLetter;
import org.junit.jupiter.api.Test;

class FlowRecordDeserializerTest {

  private static final long NOW = 1_764_000_000_000_000L;
  private static final AvroSingleObjectCodec<FlowRecord> CODEC =
      AvroSingleObjectCodec.forClass(FlowRecord.class);

  private static FlowRecord good() {
    return FlowRecord.newBuilder()
        .setSite("s")
        .setSensorId("s")
        .setIface("eth0")
        .setSeq(7)
        .setStime(NOW - 2_000_000L)
        .setLtime(NOW - 1_000_000L)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .setSpkts(2)
        .setSbytes(120)
        .build();
  }

  private static FlowOrDeadLetter decode(byte[] value) {
    ConsumerRecord<byte[], byte[]> message =
        new ConsumerRecord<>("flows", 3, 42L, "k".getBytes(), value);
    return new FlowRecordDeserializer().decode(message, NOW);
  }

  private static DeadLetter deadLetter(byte[] value, DeadLetterReason reason) {
    FlowOrDeadLetter decoded = decode(value);
    assertThat(decoded.isFlow()).as("%s", decoded).isFalse();
    DeadLetter letter = decoded.deadLetter;
    assertThat(letter.reasonCode()).isEqualTo(reason);
    assertThat(letter.topic).isEqualTo("flows");
    assertThat(letter.partition).isEqualTo(3);
    assertThat(letter.offset).isEqualTo(42L);
    assertThat(letter.key).isEqualTo("k".getBytes());
    assertThat(letter.value).isSameAs(value);
    return letter;
  }

  @Test
  void aPlausibleRecordIsAFlow() {
    FlowOrDeadLetter decoded = decode(CODEC.encode(good()));
    assertThat(decoded.isFlow()).isTrue();
    assertThat(decoded.flow).isEqualTo(good());
    assertThat(decoded.deadLetter).isNull();
  }

  @Test
  void everyKindOfPoisonIsADeadLetterWithItsReason() {
    byte[] noise = new byte[64];
    new Random(1).nextBytes(noise);
    noise[0] = 0x7f;
    deadLetter(noise, DeadLetterReason.BAD_HEADER);
    deadLetter(null, DeadLetterReason.BAD_HEADER);
    deadLetter(new byte[] {(byte) 0xC3, 0x01, 0}, DeadLetterReason.BAD_HEADER);

    byte[] unknown = CODEC.encode(good());
    unknown[9] ^= 0x55;
    assertThat(deadLetter(unknown, DeadLetterReason.UNKNOWN_SCHEMA).message)
        .contains("fingerprint");

    byte[] whole = CODEC.encode(good());
    deadLetter(Arrays.copyOf(whole, 14), DeadLetterReason.CORRUPT_BODY);

    FlowRecord absurd = good();
    absurd.setSpkts(0L);
    assertThat(deadLetter(CODEC.encode(absurd), DeadLetterReason.ABSURD_VALUES).message)
        .isEqualTo("spkts 0 with sbytes 120");
  }

  @Test
  void flinkSerializesFlowsAndDeadLettersAsPojosAndAvroNotKryo() {
    TypeInformation<FlowOrDeadLetter> type = new FlowRecordDeserializer().getProducedType();
    assertThat(type).isInstanceOf(PojoTypeInfo.class);
    PojoTypeInfo<FlowOrDeadLetter> pojo = (PojoTypeInfo<FlowOrDeadLetter>) type;
    assertThat(pojo.getTypeAt("flow")).isInstanceOf(AvroTypeInfo.class);
    assertThat(pojo.getTypeAt("deadLetter")).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void aDeadLetterTravelsInHeadersAndComesBackTheSame() {
    DeadLetter letter = deadLetter(new byte[] {1, 2, 3}, DeadLetterReason.BAD_HEADER);
    var produced = letter.toProducerRecord("flows-dlq");
    assertThat(produced.topic()).isEqualTo("flows-dlq");
    assertThat(produced.value()).isEqualTo(new byte[] {1, 2, 3});
    assertThat(produced.timestamp()).as("stamped by the producer").isNull();
    ConsumerRecord<byte[], byte[]> consumed =
        new ConsumerRecord<>(
            "flows-dlq",
            0,
            0L,
            0L,
            org.apache.kafka.common.record.TimestampType.CREATE_TIME,
            0,
            0,
            produced.key(),
            produced.value(),
            produced.headers(),
            java.util.Optional.empty());
    assertThat(DeadLetter.fromConsumerRecord(consumed)).isEqualTo(letter);
  }
}
