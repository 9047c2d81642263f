package org.argosy.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

class ContainerKafkaBrokerTest {

  @Test
  void mapsBrokerConfigKeysToTheImagesEnvironmentVariables() {
    assertThat(ContainerKafkaBroker.envName("transaction.max.timeout.ms"))
        .isEqualTo("KAFKA_TRANSACTION_MAX_TIMEOUT_MS");
    assertThat(ContainerKafkaBroker.envName("a_b-c.d")).isEqualTo("KAFKA_A__B___C_D");
  }

  @Test
  void usesTheImageOfTheKafkaReleaseOnTheClasspath() {
    assertThat(AppInfoParser.getVersion()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(ContainerKafkaBroker.IMAGE.asCanonicalNameString())
        .isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
  }
}
