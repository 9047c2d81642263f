package org.argosy.jobs.kafka;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.avro.codec.RecordDecodingException;
import org.argosy.jobs.source.DeadLetter;
import org.argosy.jobs.source.DeadLetterReason;
import org.argosy.jobs.source.FlowOrDeadLetter;
import org.argosy.jobs.source.FlowPlausibility;
import org.argosy.jobs.source.FlowStreams;

/**
 * Decodes Avro single-object flow records from Kafka into {@link FlowOrDeadLetter}: a readable and
 * {@linkplain FlowPlausibility plausible} record becomes a flow, anything else (undecodable bytes,
 * an unknown schema, a corrupt body, absurd values) a {@link DeadLetter} with the original bytes,
 * where it came from and why. Nothing throws, so one bad producer cannot stop the job; {@link
 * FlowStreams#from} splits the two, counts and logs the dead letters.
 */
public final class FlowRecordDeserializer
    implements KafkaRecordDeserializationSchema<FlowOrDeadLetter> {

  private transient AvroSingleObjectCodec<FlowRecord> codec;

  @Override
  public void open(DeserializationSchema.InitializationContext context) {
    codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
  }

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> message, Collector<FlowOrDeadLetter> out) {
    out.collect(decode(message, System.currentTimeMillis() * 1000L));
  }

  /**
   * The flow record in {@code message}, or why it is a dead letter.
   *
   * @param nowMicros the clock the plausibility rules compare times with
   */
  public FlowOrDeadLetter decode(ConsumerRecord<byte[], byte[]> message, long nowMicros) {
    if (codec == null) {
      codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    }
    FlowRecord record;
    try {
      record = codec.decode(message.value());
    } catch (RecordDecodingException e) {
      return FlowOrDeadLetter.deadLetter(
          DeadLetter.of(message, DeadLetterReason.of(e.reason()), e.getMessage()));
    }
    String violation = FlowPlausibility.violation(record, nowMicros);
    return violation == null
        ? FlowOrDeadLetter.flow(record)
        : FlowOrDeadLetter.deadLetter(
            DeadLetter.of(message, DeadLetterReason.ABSURD_VALUES, violation));
  }

  @Override
  public TypeInformation<FlowOrDeadLetter> getProducedType() {
    return TypeInformation.of(FlowOrDeadLetter.class);
  }
}
