package org.argosy.tools.io;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.avro.codec.RecordDecodingException;
import org.argosy.query.InvalidQueryException;
import org.argosy.tools.kafka.KafkaClientSettings;

/**
 * Records from Kafka topics named as {@code kafka://HOST:PORT/TOPIC[,TOPIC...]} (Argus's {@code
 * -S}; several topics of one cluster, such as the per-site {@code site-a.flows,site-b.flows} of a
 * mirrored setup, are read together), from the beginning up to the end offsets at start, or
 * following new records until interrupted. Payloads that are not records of the type read are
 * counted and skipped.
 */
public final class TopicSource {

  private static final Duration POLL = Duration.ofMillis(200);

  private final String bootstrapServers;
  private final List<String> topics;
  private final KafkaClientSettings client;
  private long skipped;

  private TopicSource(String bootstrapServers, List<String> topics, KafkaClientSettings client) {
    this.bootstrapServers = bootstrapServers;
    this.topics = List.copyOf(topics);
    this.client = client;
  }

  /** Parses {@code kafka://HOST:PORT[,HOST:PORT]/TOPIC} of a cluster that needs no TLS or login. */
  public static TopicSource parse(String uri) {
    return parse(uri, KafkaClientSettings.none());
  }

  /**
   * Parses {@code kafka://HOST:PORT[,HOST:PORT]/TOPIC}; its consumers get {@code client}'s
   * properties (TLS, SASL).
   */
  public static TopicSource parse(String uri, KafkaClientSettings client) {
    var match =
        java.util.regex.Pattern.compile(
                "kafka://([^/\\s]+:\\d{1,5}(?:,[^/\\s]+:\\d{1,5})*)/([\\w.-]+(?:,[\\w.-]+)*)")
            .matcher(uri);
    if (!match.matches()) {
      throw new InvalidQueryException(
          "-S '"
              + uri
              + "' is not kafka://HOST:PORT/TOPIC[,TOPIC...] (e.g. kafka://127.0.0.1:9092/flows)");
    }
    return new TopicSource(match.group(1), List.of(match.group(2).split(",")), client);
  }

  /** The first topic named (a rankings topic is one topic). */
  public String topic() {
    return topics.get(0);
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
   */
  public long read(boolean follow, Consumer<FlowRecord> sink) {
    return read(follow, null, sink);
  }

  /**
   * As above, starting at the first record whose Kafka timestamp (the flow's start, as the sensor
   * produces it) is at or after {@code since}; null reads from the beginning.
   */
  public long read(boolean follow, Instant since, Consumer<FlowRecord> sink) {
    return read(FlowRecord.class, follow, since, sink);
  }

  /**
   * Reads records of {@code type} (rankings, alerts); others on the topic are counted as skipped.
   * Only committed records are read: the jobs write their topics in transactions.
   */
  public <T extends SpecificRecord> long read(
      Class<T> type, boolean follow, Instant since, Consumer<T> sink) {
    AvroSingleObjectCodec<T> codec = AvroSingleObjectCodec.forClass(type);
    long count = 0;
    KafkaConsumer<byte[], byte[]> consumer = consumer();
    try {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
          throw new IllegalStateException(
              "topic " + topic + " does not exist at " + bootstrapServers);
        }
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
      }
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
    } catch (org.apache.kafka.common.errors.InterruptException stopped) {
      // the thread was interrupted to stop it; Kafka has set its interrupt flag again
    } finally {
      closeAfterStop(consumer);
    }
    return count;
  }

  /**
   * Closes {@code consumer}, whose thread may have been interrupted to stop it: the interrupt is
   * set aside while it closes (an interrupted close gives up on its fetcher and logs an error) and
   * set again afterwards.
   */
  public static void closeAfterStop(KafkaConsumer<?, ?> consumer) {
    boolean interrupted = Thread.interrupted();
    try {
      consumer.close();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A consumer of this source's cluster with the client settings; it commits no offsets (the tools
   * read from where they are told, not where a group stopped) and reads committed records only.
   */
  public KafkaConsumer<byte[], byte[]> consumer() {
    Properties props = new Properties();
    props.putAll(client.properties());
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
