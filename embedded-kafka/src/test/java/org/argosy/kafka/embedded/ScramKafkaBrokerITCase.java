package org.argosy.kafka.embedded;

import static org.argosy.kafka.embedded.QuickProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A broker that requires SASL/SCRAM: the right user gets in, a client without login does not. */
class ScramKafkaBrokerITCase {

  @Test
  void acceptsTheScramUserOnlyButNotAnonymousClients() throws Exception {
    ScramUser user = new ScramUser("sensor", "test-secret-1");
    try (RestartableKafkaBroker broker =
        EmbeddedKafka.builder().requireScram(user).startRestartable()) {
      assertThat(broker.clientProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
      broker.createTopics(1, "flows");

      try (KafkaProducer<String, String> producer =
          producer(broker.bootstrapServers(), broker.clientProperties())) {
        assertThat(producer.send(new ProducerRecord<>("flows", "hello")).get().offset()).isZero();
      }

      try (KafkaProducer<String, String> anonymous =
          producer(broker.bootstrapServers(), Map.of())) {
        assertThatThrownBy(() -> anonymous.send(new ProducerRecord<>("flows", "x")).get())
            .isInstanceOfAny(
                ExecutionException.class, org.apache.kafka.common.KafkaException.class);
      }

      ScramUser impostor = new ScramUser("sensor", "wrong-password");
      try (KafkaProducer<String, String> wrong =
          producer(broker.bootstrapServers(), impostor.clientProperties())) {
        assertThatThrownBy(() -> wrong.send(new ProducerRecord<>("flows", "x")).get())
            .hasStackTraceContaining("Authentication failed");
      }
    }
  }

  @Test
  void theInProcessBrokerRefusesScramRatherThanIgnoringIt() {
    assertThatThrownBy(() -> EmbeddedKafka.builder().requireScram(new ScramUser("a", "b")).start())
        .hasMessageContaining("startRestartable");
  }
}
