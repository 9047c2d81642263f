package org.argosy.kafka.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One combined KRaft controller and broker inside this JVM, built with Kafka's test kit. */
final class InProcessKafkaBroker implements KafkaBroker {
  private static final Logger LOG = LoggerFactory.getLogger(InProcessKafkaBroker.class);

  /**
   * The test kit defaults to the newest metadata version under development and enables unstable
   * APIs; a demo and its tests should see what a released broker offers.
   */
  private static final Map<String, String> RELEASED_BROKER =
      Map.of("unstable.api.versions.enable", "false", "unstable.feature.versions.enable", "false");

  private final Path dataDirectory;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::close, "embedded-kafka-shutdown");
  // Written while starting, read by the shutdown hook and client threads.
  private volatile KafkaClusterTestKit cluster;
  private volatile String bootstrapServers;

  private InProcessKafkaBroker(Path dataDirectory) {
    this.dataDirectory = dataDirectory;
    // An interrupted demo (Ctrl-C) still stops the broker and removes its directory.
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static InProcessKafkaBroker start(Map<String, String> brokerConfig) {
    long startNanos = System.nanoTime();
    InProcessKafkaBroker broker;
    try {
      broker = new InProcessKafkaBroker(Files.createTempDirectory("argosy-kafka-"));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the broker's data directory", e);
    }
    try {
      broker.launch(brokerConfig);
    } catch (Exception e) {
      broker.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("In-process Kafka broker did not start", e);
    }
    LOG.info(
        "In-process Kafka broker ready at {} after {} ms (data in {})",
        broker.bootstrapServers,
        (System.nanoTime() - startNanos) / 1_000_000,
        broker.dataDirectory);
    return broker;
  }

  private void launch(Map<String, String> brokerConfig) throws Exception {
    TestKitNodes nodes =
        new TestKitNodes.Builder()
            .setCombined(true)
            .setNumControllerNodes(1)
            .setNumBrokerNodes(1)
            .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
            .setBaseDirectory(dataDirectory)
            .build();
    String brokerListener = nodes.brokerListenerName().value();
    String controllerListener = nodes.controllerListenerName().value();
    KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
    RELEASED_BROKER.forEach(builder::setConfigProp);
    brokerConfig.forEach(builder::setConfigProp);
    // Port 0 here: the sockets bound below decide the ports, this decides the advertised host.
    builder.setConfigProp(
        "listeners",
        String.format(
            "%1$s://%3$s:0,%2$s://%3$s:0",
            brokerListener, controllerListener, LoopbackListeners.HOST));
    int nodeId = nodes.brokerNodes().firstKey(); // combined: the controller has the same id
    int brokerPort =
        LoopbackListeners.bind(builder, nodeId, brokerListener, controllerListener)
            .get(brokerListener);

    cluster = builder.build();
    formatQuietly(cluster);
    cluster.startup();
    cluster.waitForReadyBrokers();
    bootstrapServers = LoopbackListeners.HOST + ":" + brokerPort;
    Topics.awaitGroupCoordinator(bootstrapServers);
  }

  /**
   * Kafka's storage formatter prints its progress to System.out and the test kit offers no way to
   * pass another stream; the demo's standard output is for rankings, so the lines go to the debug
   * log. Anything else the process prints during these few milliseconds goes there too.
   */
  private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      cluster.format();
    } finally {
      System.setOut(stdout);
      LOG.debug("Kafka storage format: {}", printed.toString(StandardCharsets.UTF_8).strip());
    }
  }

  /** Where the broker keeps its logs and metadata; gone after {@link #close()}. */
  Path dataDirectory() {
    return dataDirectory;
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  @Override
  public void createTopics(int partitions, String... topics) {
    Topics.create(bootstrapServers, partitions, topics);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; this may be the hook itself.
    }
    try {
      if (cluster != null) {
        cluster.close();
      }
    } catch (Exception e) {
      LOG.warn("In-process Kafka broker did not shut down cleanly", e);
    } finally {
      deleteDataDirectory();
    }
  }

  private void deleteDataDirectory() {
    try {
      Utils.delete(dataDirectory.toFile());
    } catch (IOException e) {
      LOG.warn("Could not delete {}", dataDirectory, e);
    }
  }
}
