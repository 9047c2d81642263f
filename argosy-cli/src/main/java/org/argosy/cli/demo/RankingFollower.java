package org.argosy.cli.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.argosy.avro.TopNRanking;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.avro.codec.RecordDecodingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads rankings from a topic from its beginning and hands each to a listener. Runs on its own
 * thread until {@link #stopAtEnd()} (drain what is there, then stop) or {@link #close()}.
 */
final class RankingFollower implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RankingFollower.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions;
  private final Consumer<TopNRanking> listener;
  private final AvroSingleObjectCodec<TopNRanking> codec =
      AvroSingleObjectCodec.forClass(TopNRanking.class);
  private volatile boolean stopAtEnd;
  private volatile boolean closed;
  private volatile Map<TopicPartition, Long> endOffsets;

  RankingFollower(String bootstrapServers, String topic, Consumer<TopNRanking> listener) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.partitions =
        consumer.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .collect(Collectors.toList());
    this.listener = listener;
  }

  @Override
  public void run() {
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    while (!closed) {
      if (stopAtEnd && endOffsets == null) {
        endOffsets = consumer.endOffsets(partitions);
      }
      for (ConsumerRecord<byte[], byte[]> message : consumer.poll(POLL)) {
        try {
          listener.accept(codec.decode(message.value()));
        } catch (RecordDecodingException e) {
          LOG.warn("skipped unreadable ranking at offset {}: {}", message.offset(), e.getMessage());
        }
      }
      if (endOffsets != null && reachedEnd()) {
        break;
      }
    }
    consumer.close();
  }

  private boolean reachedEnd() {
    return partitions.stream().allMatch(p -> consumer.position(p) >= endOffsets.get(p));
  }

  /** Asks the follower to read up to the current end of the topic and then return. */
  void stopAtEnd() {
    stopAtEnd = true;
  }

  @Override
  public void close() {
    closed = true;
  }
}
