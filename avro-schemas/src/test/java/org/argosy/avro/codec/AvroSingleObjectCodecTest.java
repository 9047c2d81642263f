package org.argosy.avro.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.IpAddress;
import org.junit.jupiter.api.Test;

class AvroSingleObjectCodecTest {

  private final AvroSingleObjectCodec<FlowRecord> codec =
      AvroSingleObjectCodec.forClass(FlowRecord.class);

  static FlowRecord sampleRecord() {
    byte[] v4Mapped = new byte[16];
    v4Mapped[10] = (byte) 0xff;
    v4Mapped[11] = (byte) 0xff;
    v4Mapped[12] = 10;
    v4Mapped[15] = 1;
    return FlowRecord.newBuilder()
        .setSite("ams1")
        .setSensorId("sensor-a")
        .setIface("eth0")
        .setSeq(42)
        .setStime(1_700_000_000_000_000L)
        .setLtime(1_700_000_001_500_000L)
        .setCause(FlowCause.STATUS)
        .setEtherType(0x0800)
        .setProto(6)
        .setSaddr(new IpAddress(v4Mapped))
        .setSport(40000)
        .setDport(443)
        .setVlanIds(List.of(100, 200))
        .setSpkts(3)
        .setDpkts(2)
        .setSbytes(300)
        .setDbytes(1500)
        .setState("CON")
        .setDirection("->")
        .build();
  }

  @Test
  void roundTripsWithMarkerAndFingerprint() throws Exception {
    FlowRecord record = sampleRecord();
    byte[] payload = codec.encode(record);

    assertThat(payload[0]).isEqualTo((byte) 0xC3);
    assertThat(payload[1]).isEqualTo((byte) 0x01);
    long fingerprintLittleEndian = 0;
    for (int i = 9; i >= 2; i--) {
      fingerprintLittleEndian = (fingerprintLittleEndian << 8) | (payload[i] & 0xff);
    }
    assertThat(fingerprintLittleEndian).isEqualTo(codec.fingerprint());
    assertThat(codec.decode(payload)).isEqualTo(record);
  }

  @Test
  void readsRecordsOfAnOlderWriterSchemaByItsFingerprint() throws Exception {
    // An older FlowRecord: without the two TCP setup times, which the current schema defaults.
    Schema current = FlowRecord.getClassSchema();
    List<Schema.Field> olderFields =
        current.getFields().stream()
            .filter(f -> !f.name().equals("synAckMicros") && !f.name().equals("ackDatMicros"))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList();
    Schema older =
        Schema.createRecord(
            current.getName(), current.getDoc(), current.getNamespace(), false, olderFields);
    FlowRecord measured = FlowRecord.newBuilder(sampleRecord()).setSynAckMicros(1_234L).build();
    GenericRecord written = new GenericData.Record(older);
    older.getFields().forEach(f -> written.put(f.name(), measured.get(f.name())));
    byte[] payload =
        new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(written).array();

    assertThat(AvroSingleObjectCodec.forClass(FlowRecord.class, List.of(older)).decode(payload))
        .as("the older writer's record, with the defaults of the fields it did not have")
        .isEqualTo(FlowRecord.newBuilder(measured).setSynAckMicros(null).build());
    assertThatThrownBy(() -> codec.decode(payload))
        .as("a writer schema the codec was not given")
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.Reason.UNKNOWN_SCHEMA));
  }

  @Test
  void rejectsPayloadWithoutMarker() {
    assertThatThrownBy(() -> codec.decode("hello world, not avro".getBytes()))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> assertThat(e.reason()).isEqualTo(RecordDecodingException.Reason.BAD_HEADER));
    assertThatThrownBy(() -> codec.decode(new byte[0])).isInstanceOf(RecordDecodingException.class);
  }

  @Test
  void rejectsUnknownSchemaFingerprint() {
    Schema alien = SchemaBuilder.record("Alien").fields().requiredLong("x").endRecord();
    GenericRecord value = new GenericData.Record(alien);
    value.put("x", 7L);
    byte[] payload;
    try {
      payload =
          new BinaryMessageEncoder<GenericRecord>(GenericData.get(), alien).encode(value).array();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThatThrownBy(() -> codec.decode(payload))
        .isInstanceOfSatisfying(
            RecordDecodingException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(RecordDecodingException.Reason.UNKNOWN_SCHEMA);
              assertThat(e.getMessage()).contains("fingerprint");
            });
  }

  @Test
  void everyTruncationOfAValidPayloadIsACleanError() {
    byte[] payload = codec.encode(sampleRecord());
    for (int length = 0; length < payload.length; length++) {
      byte[] truncated = Arrays.copyOf(payload, length);
      assertThatThrownBy(() -> codec.decode(truncated))
          .as("truncated to %d bytes", length)
          .isInstanceOf(RecordDecodingException.class);
    }
  }

  @Test
  void randomBodiesAfterAValidHeaderNeverEscapeAsUncheckedExceptions() {
    byte[] header = Arrays.copyOf(codec.encode(sampleRecord()), 10);
    Random random = new Random(1234);
    for (int i = 0; i < 20_000; i++) {
      byte[] body = new byte[random.nextInt(120)];
      random.nextBytes(body);
      byte[] payload = new byte[10 + body.length];
      System.arraycopy(header, 0, payload, 0, 10);
      System.arraycopy(body, 0, payload, 10, body.length);
      try {
        codec.decode(payload);
      } catch (RecordDecodingException expected) {
        assertThat(expected.reason()).isEqualTo(RecordDecodingException.Reason.CORRUPT_BODY);
      }
    }
  }
}
