package org.argosy.cli.load;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag as an operator reads it ({@code kafka-consumer-groups --describe}): per partition of
 * a topic, its end offset minus the offset the group committed. A Flink Kafka source commits at
 * each completed checkpoint, so this lag includes up to one checkpoint interval of records.
 */
final class ConsumerLag {

  private ConsumerLag() {}

  /**
   * The group's lag summed over the topic's partitions; a partition never committed counts whole.
   */
  static long of(Admin admin, String group, String topic)
      throws ExecutionException, InterruptedException, TimeoutException {
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata()
            .get(30, TimeUnit.SECONDS);
    int partitions =
        admin
            .describeTopics(java.util.List.of(topic))
            .allTopicNames()
            .get(30, TimeUnit.SECONDS)
            .get(topic)
            .partitions()
            .size();
    Map<TopicPartition, OffsetSpec> latest =
        java.util.stream.IntStream.range(0, partitions)
            .mapToObj(p -> new TopicPartition(topic, p))
            .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> ends =
        admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
    long lag = 0;
    for (Map.Entry<TopicPartition, ListOffsetsResultInfo> end : ends.entrySet()) {
      OffsetAndMetadata offset = committed.get(end.getKey());
      lag += end.getValue().offset() - (offset == null ? 0 : offset.offset());
    }
    return lag;
  }
}
