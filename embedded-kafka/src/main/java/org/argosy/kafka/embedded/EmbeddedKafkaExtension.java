package org.argosy.kafka.embedded;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Kafka broker per test class.
 *
 * <pre>{@code
 * @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
 * }</pre>
 *
 * <p>The field must be static: JUnit runs before-all callbacks only for static extensions.
 */
public final class EmbeddedKafkaExtension implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<KafkaBroker> starter;
  private KafkaBroker broker;
  private String ownerId;

  /** A broker from {@link EmbeddedKafka#start()}. */
  public EmbeddedKafkaExtension() {
    this(EmbeddedKafka::start);
  }

  /** A broker from the given starter, e.g. {@code () -> EmbeddedKafka.builder()...start()}. */
  public EmbeddedKafkaExtension(Supplier<KafkaBroker> starter) {
    this.starter = starter;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // @Nested classes call this again; they share the outer class's broker.
    if (broker == null) {
      broker = starter.get();
      ownerId = context.getUniqueId();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null && context.getUniqueId().equals(ownerId)) {
      broker.close();
      broker = null;
    }
  }

  public String bootstrapServers() {
    return running().bootstrapServers();
  }

  public void createTopics(int partitions, String... topics) {
    running().createTopics(partitions, topics);
  }

  private KafkaBroker running() {
    if (broker == null) {
      throw new IllegalStateException(
          "No broker: register the extension on a static field with @RegisterExtension");
    }
    return broker;
  }
}
