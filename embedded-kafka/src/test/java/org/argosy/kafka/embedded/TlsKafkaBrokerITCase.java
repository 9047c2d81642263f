package org.argosy.kafka.embedded;

import static org.argosy.kafka.embedded.QuickProducers.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A broker that requires TLS, with a throwaway CA: a client trusting that CA gets in, a plain
 * client and a client trusting only the JDK's CAs do not; with SCRAM too, the login runs over TLS.
 */
class TlsKafkaBrokerITCase {

  @Test
  void acceptsClientsThatTrustItsCaOverTlsOnly() throws Exception {
    try (RestartableKafkaBroker broker = EmbeddedKafka.builder().requireTls().startRestartable()) {
      Map<String, String> client = broker.clientProperties();
      assertThat(client).containsEntry("security.protocol", "SSL");
      assertThat(Path.of(client.get("ssl.truststore.location"))).exists();
      broker.createTopics(1, "flows");

      try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers(), client)) {
        assertThat(producer.send(new ProducerRecord<>("flows", "hello")).get().offset()).isZero();
      }

      try (KafkaProducer<String, String> plain = producer(broker.bootstrapServers(), Map.of())) {
        assertThatThrownBy(() -> plain.send(new ProducerRecord<>("flows", "x")).get())
            .isInstanceOfAny(
                java.util.concurrent.ExecutionException.class,
                org.apache.kafka.common.KafkaException.class);
      }

      try (KafkaProducer<String, String> untrusting =
          producer(broker.bootstrapServers(), Map.of("security.protocol", "SSL"))) {
        assertThatThrownBy(() -> untrusting.send(new ProducerRecord<>("flows", "x")).get())
            .hasStackTraceContaining("SSL handshake failed");
      }

      String serverProperties =
          Files.readString(
              Path.of(client.get("ssl.truststore.location")).resolveSibling("server.properties"));
      assertThat(serverProperties).contains("CLIENT:SSL").contains("ssl.keystore.location");
    }
  }

  @Test
  void scramOverTls() throws Exception {
    ScramUser user = new ScramUser("sensor", "test-secret-3");
    try (RestartableKafkaBroker broker =
        EmbeddedKafka.builder().requireScram(user).requireTls().startRestartable()) {
      assertThat(broker.clientProperties())
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
      broker.createTopics(1, "flows");
      try (KafkaProducer<String, String> producer =
          producer(broker.bootstrapServers(), broker.clientProperties())) {
        assertThat(producer.send(new ProducerRecord<>("flows", "hello")).get().offset()).isZero();
      }
    }
  }

  @Test
  void theInProcessBrokerRefusesTlsRatherThanIgnoringIt() {
    assertThatThrownBy(() -> EmbeddedKafka.builder().requireTls().start())
        .hasMessageContaining("startRestartable");
  }
}
