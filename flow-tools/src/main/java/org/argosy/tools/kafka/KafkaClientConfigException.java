package org.argosy.tools.kafka;

/**
 * A Kafka client setting the operator must fix (exit 2); the message names the setting and where it
 * came from, and never a secret's value.
 */
public final class KafkaClientConfigException extends IllegalArgumentException {
  public KafkaClientConfigException(String message) {
    super(message);
  }
}
