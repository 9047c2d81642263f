package org.argosy.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmbeddedKafkaBuilderTest {

  @Test
  void singleBrokerDefaultsAreValidBrokerSettings() {
    // A key renamed in a Kafka upgrade would otherwise be ignored with a mere log line.
    assertThatCode(() -> EmbeddedKafka.SINGLE_BROKER_DEFAULTS.forEach(BrokerConfig::validate))
        .doesNotThrowAnyException();
  }

  @Test
  void acceptsAKnownBrokerSettingWithAValidValue() {
    assertThatCode(
            () -> EmbeddedKafka.builder().brokerConfig("transaction.max.timeout.ms", "60000"))
        .doesNotThrowAnyException();
  }

  @Test
  void rejectsAnUnknownKey() {
    assertThatThrownBy(
            () -> EmbeddedKafka.builder().brokerConfig("transaction.max.timeout", "60000"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown Kafka broker config: transaction.max.timeout");
  }

  @Test
  void rejectsAValueOfTheWrongType() {
    assertThatThrownBy(
            () -> EmbeddedKafka.builder().brokerConfig("transaction.max.timeout.ms", "soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transaction.max.timeout.ms");
  }

  @Test
  void rejectsAValueOutsideTheAllowedRange() {
    assertThatThrownBy(
            () -> EmbeddedKafka.builder().brokerConfig("transaction.max.timeout.ms", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transaction.max.timeout.ms");
  }

  @Test
  void rejectsKeysTheEmbeddedBrokerSetsItself() {
    assertThatThrownBy(
            () -> EmbeddedKafka.builder().brokerConfig("listeners", "PLAINTEXT://0.0.0.0:9092"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("listeners is set by the embedded broker");
  }
}
