package org.argosy.jobs.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;

/**
 * Writes an element as a single-object Avro payload (the element itself, or a record taken from
 * it), keyed by a function of the element.
 */
public final class AvroRecordSerializer<IN, T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<IN> {

  private final Class<T> type;
  private final String topic;
  private final SerializableFunction<IN, byte[]> keyOf;
  private final SerializableFunction<IN, T> valueOf;
  private transient AvroSingleObjectCodec<T> codec;

  public AvroRecordSerializer(
      Class<T> type,
      String topic,
      SerializableFunction<IN, byte[]> keyOf,
      SerializableFunction<IN, T> valueOf) {
    this.type = type;
    this.topic = topic;
    this.keyOf = keyOf;
    this.valueOf = valueOf;
  }

  /** Elements that are the records to write. */
  public static <T extends SpecificRecord> AvroRecordSerializer<T, T> of(
      Class<T> type, String topic, SerializableFunction<T, byte[]> keyOf) {
    return new AvroRecordSerializer<>(type, topic, keyOf, record -> record);
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      IN element, KafkaSinkContext context, Long timestamp) {
    if (codec == null) {
      codec = AvroSingleObjectCodec.forClass(type);
    }
    // No event-time timestamp: a window closed early by the end of a replay (or any record of a
    // future window) would carry a time the broker refuses as too far ahead
    // (message.timestamp.after.max.ms) and the sink would fail forever. The producer stamps the
    // time of writing; event time travels inside the record.
    return new ProducerRecord<>(
        topic, null, null, keyOf.apply(element), codec.encode(valueOf.apply(element)));
  }
}
