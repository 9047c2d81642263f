package org.argosy.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft broker (combined controller and broker) in a child JVM started from this
 * JVM's class path ({@code kafka.Kafka}), so that tests can stop, kill and restart it like a real
 * broker process. Listens on 127.0.0.1 only; keeps its data in a temporary directory that {@link
 * #close()} deletes.
 */
final class ChildProcessKafkaBroker implements RestartableKafkaBroker {

  private static final Logger LOG = LoggerFactory.getLogger(ChildProcessKafkaBroker.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final Path directory;
  private final Path properties;

  /** The port clients use: plain, or SASL/SCRAM and/or TLS when the broker requires them. */
  private final int brokerPort;

  private final ScramUser scramUser;
  private final TestTls tls;
  private Process process;
  private boolean closed;

  private ChildProcessKafkaBroker(
      Path directory, int brokerPort, Path properties, ScramUser scramUser, TestTls tls) {
    this.directory = directory;
    this.brokerPort = brokerPort;
    this.properties = properties;
    this.scramUser = scramUser;
    this.tls = tls;
  }

  /**
   * @param scramUser when set, clients must authenticate with SASL/SCRAM-SHA-512 as this user; the
   *     broker talks to itself on a separate plain listener
   */
  static ChildProcessKafkaBroker start(
      Map<String, String> brokerConfig, ScramUser scramUser, boolean requireTls) {
    Path directory;
    try {
      directory = Files.createTempDirectory("argosy-kafka-process-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's directory", e);
    }
    ChildProcessKafkaBroker broker = null;
    try {
      TestTls tls = requireTls ? TestTls.create(directory) : null;
      Ports ports = new Ports(freePort(), freePort(), freePort());
      Path properties = directory.resolve("server.properties");
      Files.writeString(
          properties,
          serverProperties(brokerConfig, directory.resolve("data"), ports, scramUser, tls),
          StandardCharsets.UTF_8);
      Files.writeString(directory.resolve("log4j2.properties"), LOG_CONFIG, StandardCharsets.UTF_8);
      boolean secured = scramUser != null || tls != null;
      int clientPort = secured ? ports.client() : ports.internal();
      broker = new ChildProcessKafkaBroker(directory, clientPort, properties, scramUser, tls);
      broker.format();
      broker.restart();
      return broker;
    } catch (IOException | RuntimeException e) {
      if (broker != null) {
        broker.close();
      } else {
        deleteRecursively(directory);
      }
      throw new IllegalStateException("child-process Kafka broker did not start", e);
    }
  }

  /** Listener ports: broker-internal (and plain clients), secured clients, controller. */
  private record Ports(int internal, int client, int controller) {}

  /**
   * The broker's settings. Unsecured, clients use the internal plain listener; with SCRAM or TLS
   * they get a listener of their own, CLIENT, with SASL_PLAINTEXT, SSL or SASL_SSL.
   */
  private static String serverProperties(
      Map<String, String> brokerConfig, Path data, Ports ports, ScramUser scramUser, TestTls tls) {
    String internal = "INTERNAL://" + HOST + ":" + ports.internal();
    String client = "CLIENT://" + HOST + ":" + ports.client();
    String controller = "CONTROLLER://" + HOST + ":" + ports.controller();
    Map<String, String> props = new LinkedHashMap<>(brokerConfig);
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@" + HOST + ":" + ports.controller());
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "INTERNAL");
    props.put("log.dirs", data.toString());
    if (scramUser == null && tls == null) {
      props.put("listeners", internal + "," + controller);
      props.put("advertised.listeners", internal);
      props.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT");
    } else {
      props.put("listeners", internal + "," + client + "," + controller);
      props.put("advertised.listeners", internal + "," + client);
      props.put(
          "listener.security.protocol.map",
          "CONTROLLER:PLAINTEXT,INTERNAL:PLAINTEXT,CLIENT:" + securityProtocol(scramUser, tls));
      if (scramUser != null) {
        props.put("sasl.enabled.mechanisms", ScramUser.MECHANISM);
        props.put(
            "listener.name.client." + ScramUser.MECHANISM.toLowerCase() + ".sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      }
      if (tls != null) {
        props.putAll(tls.brokerProperties("client"));
      }
    }
    StringBuilder text = new StringBuilder();
    props.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return text.toString();
  }

  private static String securityProtocol(ScramUser scramUser, TestTls tls) {
    if (scramUser == null) {
      return "SSL";
    }
    return tls == null ? "SASL_PLAINTEXT" : "SASL_SSL";
  }

  /** Warnings and errors of the child go to broker.log in its directory. */
  private static final String LOG_CONFIG =
      String.join(
          "\n",
          "status = warn",
          "appender.file.type = File",
          "appender.file.name = file",
          "appender.file.fileName = ${sys:argosy.broker.log}",
          "appender.file.layout.type = PatternLayout",
          "appender.file.layout.pattern = %d %p %c - %m%n",
          "rootLogger.level = warn",
          "rootLogger.appenderRef.file.ref = file",
          "");

  private void format() {
    String clusterId = Uuid.randomUuid().toString();
    List<String> args =
        new ArrayList<>(List.of("format", "-t", clusterId, "-c", properties.toString()));
    if (scramUser != null) {
      args.addAll(List.of("--add-scram", scramUser.storageToolCredential()));
    }
    Process formatting = launch("kafka.tools.StorageTool", args.toArray(String[]::new));
    try {
      if (!formatting.waitFor(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
          || formatting.exitValue() != 0) {
        formatting.destroyForcibly();
        throw new IllegalStateException(
            "kafka-storage format failed; see " + directory.resolve("format.out"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while formatting Kafka storage", e);
    }
  }

  private Process launch(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dlog4j2.configurationFile=" + directory.resolve("log4j2.properties"));
    command.add("-Dargosy.broker.log=" + directory.resolve("broker.log"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    String output = mainClass.endsWith("StorageTool") ? "format.out" : "broker.out";
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve(output).toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass, e);
    }
  }

  @Override
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("broker is closed");
    }
    if (isRunning()) {
      return;
    }
    long start = System.nanoTime();
    awaitPortFree();
    process = launch("kafka.Kafka", properties.toString());
    awaitReady();
    LOG.info(
        "Kafka broker process {} ready at {} after {} ms",
        process.pid(),
        bootstrapServers(),
        (System.nanoTime() - start) / 1_000_000);
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    awaitListening(deadline);
    Map<String, Object> adminConfig = new LinkedHashMap<>(clientProperties());
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
    try (Admin admin = Admin.create(adminConfig)) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "Kafka broker process exited with "
                  + process.exitValue()
                  + "; see "
                  + directory.resolve("broker.out"));
        }
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception notYet) {
          // the broker is still starting
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka broker not ready after " + READY_TIMEOUT);
        }
        sleep(POLL_INTERVAL);
      }
    }
  }

  /** Waits for the listener socket, so that the admin client does not log refused connections. */
  private void awaitListening(long deadline) {
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress(HOST, brokerPort), 500);
        return;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          return; // awaitReady reports the cause
        }
        sleep(POLL_INTERVAL);
      }
    }
  }

  /** A restart must get the same port back; a killed broker's socket may linger briefly. */
  private void awaitPortFree() {
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    while (true) {
      try (ServerSocket probe = new ServerSocket()) {
        probe.setReuseAddress(true);
        probe.bind(new InetSocketAddress(InetAddress.getByName(HOST), brokerPort));
        return;
      } catch (IOException inUse) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("port " + brokerPort + " still in use", inUse);
        }
        sleep(POLL_INTERVAL);
      }
    }
  }

  @Override
  public synchronized void stop() {
    if (isRunning()) {
      process.destroy();
      awaitExit();
    }
  }

  @Override
  public synchronized void kill() {
    if (isRunning()) {
      process.destroyForcibly();
      awaitExit();
    }
  }

  private void awaitExit() {
    long start = System.nanoTime();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        LOG.warn("Kafka broker process {} ignored SIGTERM; killing it", process.pid());
        process.destroyForcibly().waitFor();
      }
      LOG.info(
          "Kafka broker process {} exited after {} ms",
          process.pid(),
          (System.nanoTime() - start) / 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  @Override
  public String bootstrapServers() {
    return HOST + ":" + brokerPort;
  }

  @Override
  public Map<String, String> clientProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    if (scramUser != null) {
      properties.putAll(scramUser.clientProperties());
    }
    if (tls != null) {
      properties.putAll(tls.clientProperties());
      properties.put("security.protocol", securityProtocol(scramUser, tls));
    }
    return Map.copyOf(properties);
  }

  @Override
  public void createTopics(int partitions, String... topics) {
    Topics.create(bootstrapServers(), clientProperties(), partitions, topics);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    deleteRecursively(directory);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void deleteRecursively(Path directory) {
    try (Stream<Path> walk = Files.walk(directory)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", directory, e.toString());
    }
  }
}
