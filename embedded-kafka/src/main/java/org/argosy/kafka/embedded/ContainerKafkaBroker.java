package org.argosy.kafka.embedded;

import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** The official apache/kafka image in Docker, via Testcontainers. */
final class ContainerKafkaBroker implements KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(ContainerKafkaBroker.class);

  /** Same Kafka release as the clients on the classpath, so both sides speak the same version. */
  static final DockerImageName IMAGE =
      DockerImageName.parse("apache/kafka").withTag(AppInfoParser.getVersion());

  private final KafkaContainer container;

  private ContainerKafkaBroker(KafkaContainer container) {
    this.container = container;
  }

  static ContainerKafkaBroker start(Map<String, String> brokerConfig) {
    long startNanos = System.nanoTime();
    KafkaContainer container = new KafkaContainer(IMAGE);
    brokerConfig.forEach((key, value) -> container.withEnv(envName(key), value));
    try {
      container.start();
    } catch (RuntimeException e) {
      container.stop();
      throw e;
    }
    LOG.info(
        "Kafka container ({}) ready at {} after {} ms",
        IMAGE,
        container.getBootstrapServers(),
        (System.nanoTime() - startNanos) / 1_000_000);
    return new ContainerKafkaBroker(container);
  }

  /** The apache/kafka image turns KAFKA_* variables into server.properties entries. */
  static String envName(String configKey) {
    String escaped = configKey.replace("_", "__").replace("-", "___").replace('.', '_');
    return "KAFKA_" + escaped.toUpperCase(Locale.ROOT);
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public void createTopics(int partitions, String... topics) {
    Topics.create(bootstrapServers(), partitions, topics);
  }

  @Override
  public void close() {
    container.stop();
  }
}
