package org.argosy.jobs.kafka;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;

/** Writes a generated Avro record as a single-object payload, keyed by a function of the record. */
public final class AvroRecordSerializer<T extends SpecificRecord>
    implements KafkaRecordSerializationSchema<T> {

  private final Class<T> type;
  private final String topic;
  private final SerializableFunction<T, byte[]> keyOf;
  private transient AvroSingleObjectCodec<T> codec;

  public AvroRecordSerializer(Class<T> type, String topic, SerializableFunction<T, byte[]> keyOf) {
    this.type = type;
    this.topic = topic;
    this.keyOf = keyOf;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    if (codec == null) {
      codec = AvroSingleObjectCodec.forClass(type);
    }
    return new ProducerRecord<>(
        topic, null, timestamp, keyOf.apply(element), codec.encode(element));
  }
}
