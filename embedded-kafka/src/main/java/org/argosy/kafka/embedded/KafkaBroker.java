package org.argosy.kafka.embedded;

import java.util.Map;

/** A running single-node Kafka cluster. Closing it stops the broker and deletes its data. */
public interface KafkaBroker extends AutoCloseable {

  /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}. */
  String bootstrapServers();

  /** Client properties needed besides bootstrap.servers (credentials of a secured broker). */
  default Map<String, String> clientProperties() {
    return Map.of();
  }

  /**
   * Creates the topics with one replica each and waits until every partition has a leader. A topic
   * that already exists is left as it is.
   */
  void createTopics(int partitions, String... topics);

  /** Stops the broker; calling it again does nothing. */
  @Override
  void close();
}
