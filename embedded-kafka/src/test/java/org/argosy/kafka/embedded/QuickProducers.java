package org.argosy.kafka.embedded;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/** String producers for the secured-broker tests that give up within seconds, not minutes. */
final class QuickProducers {

  private QuickProducers() {}

  static KafkaProducer<String, String> producer(
      String bootstrap, Map<String, String> clientProperties) {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "6000");
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }
}
