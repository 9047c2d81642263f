package org.argosy.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.TopNRanking;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.cli.Argosy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/local/cluster.sh as a user runs it: up starts a real Kafka and a real Flink session
 * cluster as their own processes and two simulated sites (sites.sh: traffic in network namespaces
 * of their own, a sensor per site), they answer, a job submitted through the REST API runs, the
 * deployed reports rank both sites, and down leaves no process and no namespace behind. Free
 * loopback ports and a run directory under target/ keep it apart from a cluster a developer may
 * have running.
 */
class LocalClusterITCase {

  private static final Path SCRIPT = ProjectPaths.deploy().resolve("local/cluster.sh");
  private static final Path RUN_DIR = ProjectPaths.k8s().resolve("target/local-cluster-run");
  private static final List<String> COMPONENTS = List.of("kafka", "jobmanager", "taskmanager");
  private static final List<String> SITES = List.of("site-a", "site-b");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final Map<String, String> ENV = new HashMap<>();
  private static String bootstrap;
  private static String rest;

  @BeforeAll
  static void up() throws Exception {
    deleteRecursively(RUN_DIR);
    int kafkaPort = freePort();
    int flinkRestPort = freePort();
    ENV.put("ARGOSY_RUN_DIR", RUN_DIR.toString());
    ENV.put("ARGOSY_KAFKA_PORT", Integer.toString(kafkaPort));
    ENV.put("ARGOSY_KAFKA_CONTROLLER_PORT", Integer.toString(freePort()));
    ENV.put("ARGOSY_FLINK_REST_PORT", Integer.toString(flinkRestPort));
    ENV.put("ARGOSY_FLINK_RPC_PORT", Integer.toString(freePort()));
    // the jobs jar is not this test's subject: the cluster comes up without the argosy jobs
    ENV.put("ARGOSY_JOBS_JAR", RUN_DIR.resolve("no-jobs.jar").toString());
    // the sites' sensors run from this build's classes, as ./argosy sensor would
    ENV.put("ARGOSY_SITES", String.join(" ", SITES));
    ENV.put("ARGOSY_SITE_SENSOR_COMMAND", sensorCommand());
    bootstrap = "127.0.0.1:" + kafkaPort;
    rest = "http://127.0.0.1:" + flinkRestPort;

    Result result = cluster(Duration.ofMinutes(6), "up");
    assertThat(result.exitCode()).as(result.output()).isZero();
  }

  @AfterAll
  static void down() throws Exception {
    List<Long> pids = new ArrayList<>();
    List<String> processes = new ArrayList<>(COMPONENTS);
    SITES.forEach(
        site -> processes.addAll(List.of(site + "-web", site + "-client", site + "-sensor")));
    for (String component : processes) {
      Path pidFile = RUN_DIR.resolve(component + ".pid");
      if (Files.exists(pidFile)) {
        pids.add(Long.parseLong(Files.readString(pidFile).strip()));
      }
    }
    Result result = cluster(Duration.ofMinutes(3), "down");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(pids).hasSize(processes.size());
    assertThat(pids)
        .allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isEmpty());
    Process namespaces = new ProcessBuilder("ip", "netns", "list").start();
    assertThat(new String(namespaces.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .as("the sites' namespaces are gone")
        .doesNotContain("argosy-site-a-", "argosy-site-b-");
    Result status = cluster(Duration.ofMinutes(1), "status");
    assertThat(status.exitCode()).as(status.output()).isEqualTo(3);
  }

  @Test
  void flinkRestApiShowsOneTaskManager() throws Exception {
    JsonNode overview = getJson("/overview");

    assertThat(overview.path("taskmanagers").asInt()).isEqualTo(1);
    assertThat(overview.path("slots-total").asInt()).isEqualTo(4);
    assertThat(overview.path("flink-version").asText()).isEqualTo("2.2.1");
  }

  @Test
  void kafkaHasTheTopicsAndAcceptsANewOneAndARecord() throws Exception {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(props)) {
      assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
          .containsAll(LocalTopicsTest.topicNames());

      admin
          .createTopics(List.of(new NewTopic("itcase-probe", 2, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
      assertThat(
              admin
                  .describeTopics(Set.of("itcase-probe"))
                  .allTopicNames()
                  .get(30, TimeUnit.SECONDS))
          .hasEntrySatisfying("itcase-probe", d -> assertThat(d.partitions()).hasSize(2));
    }
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    try (var producer = new KafkaProducer<String, String>(props)) {
      var metadata =
          producer.send(new ProducerRecord<>("itcase-probe", "k", "v")).get(30, TimeUnit.SECONDS);
      assertThat(metadata.offset()).isZero();
    }
  }

  @Test
  void jobSubmittedThroughTheRestApiRunsToTheEnd() throws Exception {
    Path jar = smokeJobJar();
    Result submitted =
        cluster(Duration.ofMinutes(2), "submit", jar.toString(), SmokeJob.class.getName());
    assertThat(submitted.exitCode()).as(submitted.output()).isZero();
    String jobId = submitted.stdout().strip();
    assertThat(jobId).matches("[0-9a-f]{32}");

    String state = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline && !state.equals("FINISHED") && !state.equals("FAILED")) {
      Thread.sleep(500);
      state = getJson("/jobs/" + jobId).path("state").asText();
    }
    assertThat(state).isEqualTo("FINISHED");
  }

  @Test
  void bothSitesPublishAndTheDeployedReportsRankEachSite() throws Exception {
    Set<String> sites = new TreeSet<>();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "itcase-sites");
    AvroSingleObjectCodec<FlowRecord> codec = AvroSingleObjectCodec.forClass(FlowRecord.class);
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("flows"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (System.nanoTime() < deadline && sites.size() < SITES.size()) {
        for (var message : consumer.poll(Duration.ofMillis(500))) {
          sites.add(codec.decode(message.value()).getSite());
        }
      }
    }
    assertThat(sites).containsExactlyElementsOf(SITES);

    // The report file the deployments mount, over what the sites published so far.
    StringWriter err = new StringWriter();
    var jobs = Argosy.commandLine();
    jobs.setErr(new PrintWriter(err, true));
    jobs.setOut(new PrintWriter(new StringWriter(), true));
    int exit =
        jobs.execute(
            "jobs",
            "--bootstrap",
            bootstrap,
            "--reports",
            ProjectPaths.k8s().resolve("base/flink/files/daily-reports.yaml").toString(),
            "--bounded",
            "--web-ui-port",
            "0",
            "--checkpoint-interval",
            "1",
            "--group",
            "itcase-reports");
    assertThat(exit).as(err.toString()).isZero();

    Set<String> rankedSites = new TreeSet<>();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "itcase-topn");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    AvroSingleObjectCodec<TopNRanking> rankings = AvroSingleObjectCodec.forClass(TopNRanking.class);
    try (var consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of("flow-topn"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline && rankedSites.size() < SITES.size()) {
        for (var message : consumer.poll(Duration.ofMillis(500))) {
          TopNRanking ranking = rankings.decode(message.value());
          if (ranking.getReport().equals("top-dports")) {
            ranking.getRows().forEach(row -> rankedSites.add(row.getKey().get(0).getValue()));
          }
        }
      }
    }
    assertThat(rankedSites).as("per-site rankings of both sites").containsExactlyElementsOf(SITES);
  }

  /** The argosy command of this build (argosy-cli's classes and class path), then "sensor". */
  private static String sensorCommand() throws IOException {
    Path cli = ProjectPaths.root().resolve("argosy-cli/target");
    String classPath =
        String.join(
            ":",
            cli.resolve("classes").toString(),
            Files.readString(cli.resolve("classpath.txt")).strip());
    return String.join(
        " ",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        "-cp",
        classPath,
        "org.argosy.cli.Argosy",
        "sensor");
  }

  /** The SmokeJob classes (with its lambda's) from the test classes, as a job jar. */
  private static Path smokeJobJar() throws IOException {
    Path classes =
        Path.of(SmokeJob.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    String packageDir = SmokeJob.class.getPackageName().replace('.', '/');
    Path jar = RUN_DIR.resolve("smoke-job.jar");
    try (var out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.list(classes.resolve(packageDir))) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().startsWith("SmokeJob")).toList()) {
        out.putNextEntry(new JarEntry(packageDir + "/" + file.getFileName()));
        Files.copy(file, out);
        out.closeEntry();
      }
    }
    return jar;
  }

  private static JsonNode getJson(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  record Result(int exitCode, String stdout, String output) {}

  private static Result cluster(Duration timeout, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(args));
    Files.createDirectories(RUN_DIR);
    Path stdout = Files.createTempFile(RUN_DIR, "cluster", ".out");
    Path stderr = Files.createTempFile(RUN_DIR, "cluster", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().putAll(ENV);
    Process process = builder.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("cluster.sh " + String.join(" ", args) + " took over " + timeout);
    }
    String out = Files.readString(stdout, StandardCharsets.UTF_8);
    return new Result(process.exitValue(), out, out + Files.readString(stderr));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }
}
