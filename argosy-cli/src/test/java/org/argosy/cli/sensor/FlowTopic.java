package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;

/**
 * Everything a topic holds: flow records decoded, with where each sits and its headers; or any
 * topic's committed messages as they are.
 */
public final class FlowTopic {

  /** One record as read back. */
  record Delivered(FlowRecord record, int partition, long offset, Map<String, String> headers) {}

  private FlowTopic() {}

  /** Reads the topic from the beginning to its end offsets at the time of the call. */
  static List<Delivered> readAll(
      String bootstrap, Map<String, String> clientProperties, String topic) throws Exception {
    AvroSingleObjectCodec<FlowRecord> codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    List<Delivered> delivered = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> message : committed(bootstrap, clientProperties, topic)) {
      Map<String, String> headers = new HashMap<>();
      for (Header header : message.headers()) {
        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
      delivered.add(
          new Delivered(
              codec.decode(message.value()), message.partition(), message.offset(), headers));
    }
    return delivered;
  }

  /**
   * Every message committed to {@code topic} so far ({@code isolation.level=read_committed}: a
   * transactional writer's open or aborted transactions are left out), partition by partition.
   */
  public static List<ConsumerRecord<byte[], byte[]>> committed(
      String bootstrap, Map<String, String> clientProperties, String topic) {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> messages = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // under read_committed, the end offsets are the last stable offsets
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        assertThat(System.nanoTime()).as("read %s to its end", topic).isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(messages::add);
      }
    }
    return messages;
  }

  /** How often each sequence number arrived. */
  static Map<Long, Integer> sequenceCounts(List<Delivered> delivered) {
    Map<Long, Integer> counts = new HashMap<>();
    delivered.forEach(d -> counts.merge(d.record().getSeq(), 1, Integer::sum));
    return counts;
  }
}
