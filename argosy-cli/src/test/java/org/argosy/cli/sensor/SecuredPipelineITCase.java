package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.RestartableKafkaBroker;
import org.argosy.kafka.embedded.ScramUser;
import org.argosy.query.AggregateMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline through a broker that accepts clients only over TLS (a throwaway CA) and only
 * with a SASL/SCRAM login, every part a process of its own as an operator runs it: {@code argosy
 * sensor --config} publishes the bundled capture, {@code argosy jobs --kafka-config} computes a
 * report and an alert rule on a local Flink cluster with its web UI, and {@code argosy ra}, {@code
 * ratop --rankings} and {@code argosy alerts} read the topics back with the same {@code
 * --kafka-config}. The two passwords (the truststore's and the SCRAM user's) are given only through
 * the environment, never on a command line or in a file an argument names; every process logs at
 * INFO, and neither password may appear in any output, nor in what the Flink REST API (the web UI's
 * source) shows of the cluster's and the job's configuration and plan. A client without the
 * settings is refused.
 */
class SecuredPipelineITCase {

  private static final Path DEMO = FlowRecordFiles.projectRoot().resolve("samples/demo.pcap");

  /** Wire bytes of the capture (samples/README.md): every aggregate of a report sums to it. */
  private static final long DEMO_BYTES = 10_222_053L;

  /** tcp/80 carries 2,023,013 bytes of the capture, every other port less than 1.8 MB. */
  private static final long TCP_80_BYTES = 2_023_013L;

  @TempDir Path work;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Path> logs = new ArrayList<>();

  @Test
  @Timeout(600)
  void sensorJobsAndReadersWorkThroughTlsAndScramAndNeverShowAPassword() throws Exception {
    ScramUser user = new ScramUser("argosy-pipeline", "scram-pipeline-secret-9");
    try (RestartableKafkaBroker broker =
        EmbeddedKafka.builder().requireScram(user).requireTls().startRestartable()) {
      broker.createTopics(3, "flows");
      String bootstrap = broker.bootstrapServers();
      Map<String, String> client = broker.clientProperties();
      String truststorePassword = client.get("ssl.truststore.password");
      List<String> secrets = List.of(truststorePassword, user.password());

      // What is not secret is in files; the two secrets only in the environment.
      Map<String, String> open = new LinkedHashMap<>(client);
      open.remove("ssl.truststore.password");
      open.remove("sasl.jaas.config");
      Path sensorConfig = work.resolve("sensor.yaml");
      StringBuilder yaml =
          new StringBuilder("site: tls\nsensor-id: tls-e2e\nkafka:\n  bootstrap: ")
              .append(bootstrap)
              .append("\n  properties:\n");
      open.forEach(
          (name, value) ->
              yaml.append("    ").append(name).append(": ").append(value).append('\n'));
      Files.writeString(sensorConfig, yaml);
      Path kafkaConfig = work.resolve("kafka-client.properties");
      StringBuilder properties = new StringBuilder("# argosy jobs and the readers\n");
      open.forEach((name, value) -> properties.append(name).append('=').append(value).append('\n'));
      Files.writeString(kafkaConfig, properties);

      Path loud = work.resolve("log4j2-info.xml");
      Files.writeString(
          loud,
          "<Configuration><Appenders><Console name=\"c\" target=\"SYSTEM_ERR\"><PatternLayout"
              + " pattern=\"%p %c - %m%n\"/></Console></Appenders><Loggers><Root level=\"INFO\">"
              + "<AppenderRef ref=\"c\"/></Root></Loggers></Configuration>");
      Map<String, String> logging =
          Map.of("JAVA_TOOL_OPTIONS", "-Dlog4j2.configurationFile=" + loud);
      Map<String, String> sensorEnvironment = new HashMap<>(logging);
      sensorEnvironment.put(
          "ARGOSY_SENSOR_KAFKA_PROPERTY_SSL_TRUSTSTORE_PASSWORD", truststorePassword);
      sensorEnvironment.put(
          "ARGOSY_SENSOR_KAFKA_PROPERTY_SASL_JAAS_CONFIG", client.get("sasl.jaas.config"));
      Map<String, String> toolEnvironment = new HashMap<>(logging);
      toolEnvironment.put("ARGOSY_KAFKA_PROPERTY_SSL_TRUSTSTORE_PASSWORD", truststorePassword);
      toolEnvironment.put("ARGOSY_KAFKA_PROPERTY_SASL_JAAS_CONFIG", client.get("sasl.jaas.config"));

      // The sensor publishes the capture.
      Path avro = work.resolve("flows.avro");
      Path sensorLog = log("sensor");
      SensorProcess sensor =
          SensorProcess.start(
              sensorLog,
              sensorEnvironment,
              "--config",
              sensorConfig.toString(),
              "-r",
              DEMO.toString(),
              "-w",
              avro.toString(),
              "--spool-dir",
              work.resolve("spool").toString());
      assertThat(sensor.awaitExit(Duration.ofSeconds(120)))
          .as(Files.readString(sensorLog))
          .isZero();
      List<FlowRecord> written = FlowRecordFiles.read(avro);

      // Without the client settings, jobs is refused before it starts a job.
      Path refusedLog = log("jobs-without-settings");
      Process refused =
          argosy(
              refusedLog,
              logging,
              "jobs",
              "--bootstrap",
              bootstrap,
              "--alerts",
              rules().toString(),
              "--web-ui-port",
              "0");

      // The jobs: one report and one rule over the secured broker, on a local cluster with its UI.
      int webUi = freePort();
      Path jobsLog = log("jobs");
      Process jobs =
          argosy(
              jobsLog,
              toolEnvironment,
              "jobs",
              "--bootstrap",
              bootstrap,
              "--kafka-config",
              kafkaConfig.toString(),
              "--reports",
              reports().toString(),
              "--alerts",
              rules().toString(),
              "--web-ui-port",
              Integer.toString(webUi),
              "--parallelism",
              "1",
              "--checkpoint-interval",
              "1",
              "--quiet-advance",
              "3");
      try {
        ChildJava.awaitLine(jobsLog, line -> line.contains("running as Flink job"), jobs);

        // What the web UI shows: the cluster's configuration, the job's, its plan.
        String jobId = awaitRunningJob(webUi);
        List<String> views = new ArrayList<>();
        for (String path :
            List.of(
                "/jobmanager/config",
                "/jobmanager/environment",
                "/jobs/" + jobId,
                "/jobs/" + jobId + "/config",
                "/jobs/" + jobId + "/plan")) {
          views.add(path + " " + get(webUi, path));
        }
        assertThat(String.join("\n", views))
            .as("the REST views were read")
            .contains("execution-config")
            .contains("rest.bind-port");
        for (String secret : secrets) {
          assertThat(views).noneSatisfy(view -> assertThat(view).contains(secret));
        }

        // The report's aggregates sum to the capture's bytes, the rankings rank tcp/80 first.
        assertThat(awaitAggregateBytes(bootstrap, client, "dports-1m"))
            .as(
                "bytes of every (proto, dport) aggregate; the job's warnings: %s",
                warnings(jobsLog))
            .isEqualTo(DEMO_BYTES);
        String ranking =
            run(
                toolEnvironment,
                "ratop",
                "-S",
                "kafka://" + bootstrap + "/flow-topn",
                "--rankings",
                "-n",
                "--kafka-config",
                kafkaConfig.toString());
        assertThat(ranking)
            .contains("report dports-1m  window 2026-11-29T18:44:00Z .. 2026-11-29T18:45:00Z")
            .containsPattern("(?m)^\\s+1\\s+tcp\\s+80\\s.*\\s" + TCP_80_BYTES + "\\s");

        String alerts =
            awaitOutput(
                toolEnvironment,
                out -> out.contains("busy-dport"),
                "alerts",
                "-S",
                "kafka://" + bootstrap + "/flow-alerts-avro",
                "--status",
                "open",
                "--json",
                "--kafka-config",
                kafkaConfig.toString());
        assertThat(alerts)
            .contains("\"rule\":\"busy-dport\"")
            .contains("\"dport\":\"80\"")
            .contains("\"observed\":" + TCP_80_BYTES);
      } finally {
        jobs.destroy(); // SIGTERM: the shutdown hook cancels the job
        assertThat(jobs.waitFor(60, TimeUnit.SECONDS)).as("jobs stops on SIGTERM").isTrue();
      }

      // ra reads the sensor's records back through the same settings.
      String records =
          run(
              toolEnvironment,
              "ra",
              "-S",
              "kafka://" + bootstrap + "/flows",
              "--kafka-config",
              kafkaConfig.toString(),
              "--json");
      List<String> lines = records.lines().filter(line -> line.startsWith("{")).toList();
      assertThat(lines).hasSameSizeAs(written);
      assertThat(
              lines.stream()
                  .mapToLong(
                      line -> {
                        Matcher bytes = Pattern.compile("\"bytes\":(\\d+)").matcher(line);
                        assertThat(bytes.find()).as(line).isTrue();
                        return Long.parseLong(bytes.group(1));
                      })
                  .sum())
          .isEqualTo(DEMO_BYTES);

      // A wrong password is refused at once, and not printed either.
      Map<String, String> wrong = new HashMap<>(toolEnvironment);
      wrong.put(
          "ARGOSY_KAFKA_PROPERTY_SASL_JAAS_CONFIG",
          client.get("sasl.jaas.config").replace(user.password(), "wrong-password-3"));
      Path wrongLog = log("ra-wrong-password");
      Process wrongRa =
          argosy(
              wrongLog,
              wrong,
              "ra",
              "-S",
              "kafka://" + bootstrap + "/flows",
              "--kafka-config",
              kafkaConfig.toString());
      assertThat(wrongRa.waitFor(60, TimeUnit.SECONDS)).isTrue();
      String wrongOutput = Files.readString(wrongLog);
      assertThat(wrongRa.exitValue()).as(wrongOutput).isEqualTo(1);
      assertThat(wrongOutput)
          .contains("ra: error: ")
          .contains("Authentication failed")
          .doesNotContain("wrong-password-3");

      assertThat(refused.waitFor(90, TimeUnit.SECONDS)).isTrue();
      String refusedOutput = Files.readString(refusedLog);
      assertThat(refused.exitValue()).as(refusedOutput).isEqualTo(1);
      assertThat(refusedOutput)
          .contains("jobs: error: cannot reach Kafka at " + bootstrap)
          .doesNotContain("running as Flink job");

      // Every process logged its Kafka clients' settings at INFO, and no password.
      String jobsOutput = Files.readString(jobsLog);
      assertThat(jobsOutput)
          .as("the job's clients logged their settings")
          .contains("security.protocol = SASL_SSL")
          .contains("sasl.jaas.config = [hidden]");
      for (Path log : logs) {
        String output = Files.readString(log);
        for (String secret : secrets) {
          assertThat(output).as("%s holds a password", log.getFileName()).doesNotContain(secret);
        }
      }
    }
  }

  private Path reports() throws Exception {
    Path file = work.resolve("reports.yaml");
    if (!Files.exists(file)) {
      // One window: the capture's 44 s (18:44:10 to 18:44:54) are within one minute, which the
      // quiet advance closes about 10 s after the last record (event time follows the clock's
      // pace).
      Files.writeString(
          file,
          """
          reports:
            - name: dports-1m
              keys: proto dport
              window: 1m
              sort: [bytes, load]
              n: 10
              fields: [proto, dport, bytes, load]
          """);
    }
    return file;
  }

  private Path rules() throws Exception {
    Path file = work.resolve("rules.yaml");
    if (!Files.exists(file)) {
      Files.writeString(
          file,
          """
          rules:
            - name: busy-dport
              kind: threshold
              keys: proto dport
              window: 1m
              above: 2M
          """);
    }
    return file;
  }

  private Path log(String name) {
    Path log = work.resolve(name + ".log");
    logs.add(log);
    return log;
  }

  private static Process argosy(Path log, Map<String, String> environment, String... args)
      throws Exception {
    return ChildJava.start(
        ChildJava.command(List.of(), "org.argosy.cli.Argosy", args), environment, log);
  }

  /** Runs a reading command to its end; fails unless it exits 0; returns its output. */
  private String run(Map<String, String> environment, String... args) throws Exception {
    Path log = log(args[0] + "-" + logs.size());
    Process process = argosy(log, environment, args);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s ends", args[0]).isTrue();
    String output = Files.readString(log);
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  /** Runs a reading command until its output satisfies {@code done} (the job writes meanwhile). */
  private String awaitOutput(
      Map<String, String> environment, java.util.function.Predicate<String> done, String... args)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String output;
    do {
      output = run(environment, args);
      if (done.test(output)) {
        return output;
      }
      Thread.sleep(1000);
    } while (System.nanoTime() < deadline);
    throw new AssertionError("not there in time: " + output);
  }

  /** The sum of bytes of the report's committed aggregates, once it stops changing. */
  private static long awaitAggregateBytes(
      String bootstrap, Map<String, String> client, String report) throws Exception {
    AvroSingleObjectCodec<FlowAggregate> codec =
        AvroSingleObjectCodec.forClass(FlowAggregate.class);
    Map<String, Object> config = new HashMap<>(client);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    long bytes = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor("flow-aggregates")
          .forEach(p -> partitions.add(new TopicPartition("flow-aggregates", p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      long quietSince = System.nanoTime();
      // The one window closes at once: its aggregates come in one transaction; wait for 5 s of
      // silence after the first so that a second copy would be seen.
      while (System.nanoTime() < deadline
          && (bytes == 0 || System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(5))) {
        for (ConsumerRecord<byte[], byte[]> message : consumer.poll(Duration.ofMillis(500))) {
          FlowAggregate aggregate = codec.decode(message.value());
          if (aggregate.getReport().equals(report)) {
            bytes += AggregateMetrics.bytes(aggregate);
            quietSince = System.nanoTime();
          }
        }
      }
    }
    return bytes;
  }

  private String awaitRunningJob(int port) throws Exception {
    Pattern running = Pattern.compile("\"jid\":\"([0-9a-f]{32})\"[^}]*\"state\":\"RUNNING\"");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher job = running.matcher(get(port, "/jobs/overview"));
      if (job.find()) {
        return job.group(1);
      }
      Thread.sleep(250);
    }
    throw new AssertionError("no running job: " + get(port, "/jobs/overview"));
  }

  private String get(int port, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  /** The job's warnings and errors, for a failure's message. */
  private static String warnings(Path log) throws Exception {
    return String.join(
        "\n",
        Files.readAllLines(log).stream()
            .filter(line -> line.startsWith("WARN") || line.startsWith("ERROR"))
            .limit(40)
            .toList());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
