package org.argosy.tools.io;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.avro.codec.RecordDecodingException;
import org.argosy.query.InvalidQueryException;

/**
 * Flow records from a Kafka topic named as {@code kafka://HOST:PORT/TOPIC} (Argus's {@code -S}),
 * from the beginning up to the end offsets at start, or following new records until interrupted.
 * Payloads that are not flow records are counted and skipped.
 */
public final class TopicSource {

  private static final Duration POLL = Duration.ofMillis(200);

  private final String bootstrapServers;
  private final String topic;
  private long skipped;

  private TopicSource(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  /** Parses {@code kafka://HOST:PORT[,HOST:PORT]/TOPIC}. */
  public static TopicSource parse(String uri) {
    var match =
        java.util.regex.Pattern.compile(
                "kafka://([^/\\s]+:\\d{1,5}(?:,[^/\\s]+:\\d{1,5})*)/([\\w.-]+)")
            .matcher(uri);
    if (!match.matches()) {
      throw new InvalidQueryException(
          "-S '" + uri + "' is not kafka://HOST:PORT/TOPIC (e.g. kafka://127.0.0.1:9092/flows)");
    }
    return new TopicSource(match.group(1), match.group(2));
  }

  public String topic() {
    return topic;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Records that were not readable flow records. */
  public long skipped() {
    return skipped;
  }

  /**
   * Reads the topic into {@code sink}.
   *
   * @param follow keep reading new records until the thread is interrupted
   * @param clientProperties extra Kafka consumer properties (TLS, SASL)
   */
  public long read(
      boolean follow, Map<String, String> clientProperties, Consumer<FlowRecord> sink) {
    return read(follow, null, clientProperties, sink);
  }

  /**
   * As above, starting at the first record whose Kafka timestamp (the flow's start, as the sensor
   * produces it) is at or after {@code since}; null reads from the beginning.
   */
  public long read(
      boolean follow,
      Instant since,
      Map<String, String> clientProperties,
      Consumer<FlowRecord> sink) {
    Properties props = new Properties();
    props.putAll(clientProperties);
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    AvroSingleObjectCodec<FlowRecord> codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    long count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException(
            "topic " + topic + " does not exist at " + bootstrapServers);
      }
      List<TopicPartition> partitions =
          infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      if (since != null) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, since.toEpochMilli()));
        consumer
            .offsetsForTimes(times)
            .forEach(
                (partition, found) -> {
                  if (found == null) {
                    consumer.seekToEnd(List.of(partition)); // nothing that recent yet
                  } else {
                    consumer.seek(partition, found.offset());
                  }
                });
      }
      Map<TopicPartition, Long> end = follow ? Map.of() : consumer.endOffsets(partitions);
      while (!Thread.currentThread().isInterrupted()
          && (follow || partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)))) {
        for (ConsumerRecord<byte[], byte[]> message : consumer.poll(POLL)) {
          try {
            sink.accept(codec.decode(message.value()));
            count++;
          } catch (RecordDecodingException e) {
            skipped++;
          }
        }
      }
    } catch (org.apache.kafka.common.errors.InterruptException e) {
      Thread.currentThread().interrupt();
    }
    return count;
  }
}
