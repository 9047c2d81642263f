package org.argosy.kafka.embedded;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Topic creation shared by both broker implementations. */
final class Topics {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

  private Topics() {}

  static void create(String bootstrapServers, int partitions, String... topics) {
    create(bootstrapServers, Map.of(), partitions, topics);
  }

  /** As above, with client properties such as SASL credentials. */
  static void create(
      String bootstrapServers,
      Map<String, String> clientProperties,
      int partitions,
      String... topics) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, was " + partitions);
    }
    List<String> names = List.of(topics);
    Map<String, Object> config = new java.util.HashMap<>(clientProperties);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(config)) {
      List<NewTopic> newTopics =
          names.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList();
      for (KafkaFuture<Void> created : admin.createTopics(newTopics).values().values()) {
        try {
          created.get();
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("Could not create topics " + names, e.getCause());
          }
        }
      }
      awaitLeaders(admin, names);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topics " + names, e);
    }
  }

  /**
   * A fresh broker creates its offsets topic on the first group request and answers
   * COORDINATOR_NOT_AVAILABLE until it exists, so the first consumer to commit (a Flink source at
   * its first checkpoint) logs a failed commit. Asking for a group's offsets once, until it works,
   * leaves a broker whose group coordinator is ready.
   */
  static void awaitGroupCoordinator(String bootstrapServers) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (true) {
        try {
          admin
              .listConsumerGroupOffsets("argosy-coordinator-check")
              .partitionsToOffsetAndMetadata()
              .get();
          return;
        } catch (ExecutionException notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "group coordinator not available after " + READY_TIMEOUT, notYet);
          }
          Thread.sleep(POLL_INTERVAL.toMillis());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the group coordinator", e);
    }
  }

  /**
   * The controller acknowledges a new topic before the broker's metadata cache has it; clients that
   * arrive in between see UNKNOWN_TOPIC_OR_PARTITION or no leader, so wait for leaders.
   */
  private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!allPartitionsLed(admin, topics)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Topics " + topics + " have partitions without a leader after " + READY_TIMEOUT);
      }
      Thread.sleep(POLL_INTERVAL.toMillis());
    }
  }

  private static boolean allPartitionsLed(Admin admin, List<String> topics)
      throws InterruptedException {
    try {
      Map<String, TopicDescription> descriptions =
          admin.describeTopics(topics).allTopicNames().get();
      return descriptions.values().stream()
          .flatMap(description -> description.partitions().stream())
          .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw new IllegalStateException("Could not describe topics " + topics, e.getCause());
    }
  }
}
