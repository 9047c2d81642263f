package org.argosy.jobs.source;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record of {@code flows} the job could not count, as it came (key and value bytes), where it
 * came from (topic, partition, offset, timestamp) and why ({@link DeadLetterReason} and a message).
 *
 * <p>On the dead-letter topic the value and key are the original bytes, untouched, and the rest
 * travels in headers named {@code argosy.dlq.*} ({@link #toProducerRecord}, {@link
 * #fromConsumerRecord}), so any Kafka tool can inspect or replay them. A Flink POJO (public fields,
 * no-arg constructor).
 */
public final class DeadLetter {

  public static final String REASON_HEADER = "argosy.dlq.reason";
  public static final String MESSAGE_HEADER = "argosy.dlq.message";
  public static final String TOPIC_HEADER = "argosy.dlq.topic";
  public static final String PARTITION_HEADER = "argosy.dlq.partition";
  public static final String OFFSET_HEADER = "argosy.dlq.offset";
  public static final String TIMESTAMP_HEADER = "argosy.dlq.timestamp";

  /** A {@link DeadLetterReason} name. */
  public String reason;

  public String message;
  public String topic;
  public int partition;
  public long offset;

  /** The Kafka timestamp of the original record, epoch millis (-1 when it had none). */
  public long timestamp;

  public byte[] key;
  public byte[] value;

  public DeadLetter() {}

  public static DeadLetter of(
      ConsumerRecord<byte[], byte[]> original, DeadLetterReason reason, String message) {
    DeadLetter letter = new DeadLetter();
    letter.reason = reason.name();
    letter.message = message;
    letter.topic = original.topic();
    letter.partition = original.partition();
    letter.offset = original.offset();
    letter.timestamp = original.timestamp();
    letter.key = original.key();
    letter.value = original.value();
    return letter;
  }

  public DeadLetterReason reasonCode() {
    return DeadLetterReason.valueOf(reason);
  }

  /**
   * The record to write to {@code deadLetterTopic}: the original key and value, the rest in
   * headers. No timestamp: the producer stamps the time of writing (the original one is a header).
   */
  public ProducerRecord<byte[], byte[]> toProducerRecord(String deadLetterTopic) {
    Headers headers = new RecordHeaders();
    headers.add(REASON_HEADER, utf8(reason));
    headers.add(MESSAGE_HEADER, utf8(message == null ? "" : message));
    headers.add(TOPIC_HEADER, utf8(topic));
    headers.add(PARTITION_HEADER, utf8(Integer.toString(partition)));
    headers.add(OFFSET_HEADER, utf8(Long.toString(offset)));
    headers.add(TIMESTAMP_HEADER, utf8(Long.toString(timestamp)));
    return new ProducerRecord<>(deadLetterTopic, null, null, key, value, headers);
  }

  /** Reads back a record of the dead-letter topic written by {@link #toProducerRecord}. */
  public static DeadLetter fromConsumerRecord(ConsumerRecord<byte[], byte[]> record) {
    DeadLetter letter = new DeadLetter();
    letter.reason = header(record, REASON_HEADER);
    letter.message = header(record, MESSAGE_HEADER);
    letter.topic = header(record, TOPIC_HEADER);
    letter.partition = Integer.parseInt(header(record, PARTITION_HEADER));
    letter.offset = Long.parseLong(header(record, OFFSET_HEADER));
    letter.timestamp = Long.parseLong(header(record, TIMESTAMP_HEADER));
    letter.key = record.key();
    letter.value = record.value();
    return letter;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    if (header == null) {
      throw new IllegalArgumentException(
          "not a dead letter: "
              + record.topic()
              + "-"
              + record.partition()
              + "@"
              + record.offset()
              + " has no header "
              + name);
    }
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d
        && partition == d.partition
        && offset == d.offset
        && timestamp == d.timestamp
        && Objects.equals(reason, d.reason)
        && Objects.equals(message, d.message)
        && Objects.equals(topic, d.topic)
        && Arrays.equals(key, d.key)
        && Arrays.equals(value, d.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, topic, partition, offset);
  }

  @Override
  public String toString() {
    return reason + " " + topic + "-" + partition + "@" + offset + ": " + message;
  }
}
