package org.argosy.jobs.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes elements as JSON text, keyed by a function of the element, for consumers without Avro. */
final class JsonRecordSerializer<T> implements KafkaRecordSerializationSchema<T> {

  private final String topic;
  private final SerializableFunction<T, byte[]> keyOf;
  private final SerializableFunction<T, String> json;

  JsonRecordSerializer(
      String topic, SerializableFunction<T, byte[]> keyOf, SerializableFunction<T, String> json) {
    this.topic = topic;
    this.keyOf = keyOf;
    this.json = json;
  }

  @Override
  public ProducerRecord<byte[], byte[]> serialize(
      T element, KafkaSinkContext context, Long timestamp) {
    // No event-time timestamp, for the reason AvroRecordSerializer gives.
    return new ProducerRecord<>(
        topic,
        null,
        null,
        keyOf.apply(element),
        json.apply(element).getBytes(StandardCharsets.UTF_8));
  }
}
