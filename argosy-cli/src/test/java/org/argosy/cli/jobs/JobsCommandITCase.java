package org.argosy.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.argosy.avro.AlertStatus;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.KeyField;
import org.argosy.avro.TopNRanking;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.cli.Argosy;
import org.argosy.jobs.alert.AlertJob;
import org.argosy.jobs.report.ReportJob;
import org.argosy.kafka.embedded.EmbeddedKafkaExtension;
import org.argosy.query.AggregateMetrics;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.delivery.FsyncPolicy;
import org.argosy.sensor.delivery.KafkaDelivery;
import org.argosy.sensor.delivery.ReliableKafkaSink;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code argosy jobs} against a real Kafka broker: the bundled capture metered into {@code flows},
 * the daily reports and an alert rule run over it in one job (bounded), and their results read
 * back, committed, from {@code flow-topn}, {@code flow-aggregates}, {@code flow-alerts-avro} and
 * {@code flow-alerts} (JSON), and through {@code argosy alerts}.
 */
class JobsCommandITCase {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path spool;

  private static Path projectRoot() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }

  @Test
  @Timeout(300) // a job whose sink keeps failing restarts forever: fail instead of hanging
  void dailyReportsAndAlertsRunAgainstAKafkaClusterExactlyOnce() throws Exception {
    KAFKA.createTopics(3, ReportJob.FLOWS_TOPIC);
    SensorIdentity identity = new SensorIdentity("it", "it", "demo");
    try (ReliableKafkaSink sink =
        KafkaDelivery.builder()
            .bootstrapServers(KAFKA.bootstrapServers())
            .topic(ReportJob.FLOWS_TOPIC)
            .identity(identity)
            .spool(spool, 64L << 20, 1L << 20, FsyncPolicy.NEVER)
            .build()) {
      Sensor sensor = new Sensor(FlowTableConfig.withStatusInterval(5), identity, sink);
      sensor.readFile(projectRoot().resolve("samples/demo.pcap"));
      sensor.finish();
    }

    // tcp/80 carries 2,023,013 bytes of the capture, every other port less than 1.8 MB.
    Path rules = spool.resolve("rules.yaml");
    Files.writeString(
        rules,
        """
        rules:
          - name: busy-dport
            kind: threshold
            keys: proto dport
            window: 1d
            above: 2M
        """);
    String[] args = {
      "jobs",
      "--bootstrap",
      KAFKA.bootstrapServers(),
      "--reports",
      projectRoot().resolve("reports/daily-reports.yaml").toString(),
      "--alerts",
      rules.toString(),
      "--json",
      "--max-drift",
      "60",
      "--bounded",
      "--web-ui-port",
      "0",
      "--checkpoint-interval",
      "1"
    };
    String out = run(args);
    assertThat(out)
        .contains("3 reports of")
        .contains("1 alert rules of")
        .contains("running as Flink job");

    List<TopNRanking> rankings = readAll(ReportJob.TOPN_TOPIC, TopNRanking.class);
    assertThat(rankings)
        .extracting(TopNRanking::getReport)
        .containsExactlyInAnyOrder("top-talkers", "top-dports");
    TopNRanking talkers =
        rankings.stream()
            .filter(r -> r.getReport().equals("top-talkers"))
            .findFirst()
            .orElseThrow();
    assertThat(talkers.getKeyCount()).isEqualTo(2);
    assertThat(talkers.getRows())
        .extracting(row -> row.getKey().get(0).getValue(), AggregateMetrics::bytes)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.77.0.11", 5_262_173L),
            org.assertj.core.groups.Tuple.tuple("10.77.0.10", 4_959_880L));

    // The JSON twins say the same as the Avro topics.
    List<JsonNode> jsonRankings = readJson(ReportJob.TOPN_JSON_TOPIC);
    assertThat(jsonRankings).hasSameSizeAs(rankings);
    JsonNode jsonTalkers =
        jsonRankings.stream()
            .filter(r -> r.get("report").asText().equals("top-talkers"))
            .findFirst()
            .orElseThrow();
    assertThat(jsonTalkers.get("keyCount").asLong()).isEqualTo(2);
    assertThat(jsonTalkers.at("/rows/0/rank").asInt()).isEqualTo(1);
    assertThat(jsonTalkers.at("/rows/0/key/saddr").asText()).isEqualTo("10.77.0.11");
    assertThat(jsonTalkers.at("/rows/0/bytes").asLong()).isEqualTo(5_262_173L);
    assertThat(jsonTalkers.at("/window/start").asText())
        .isEqualTo(Instant.EPOCH.plus(talkers.getWindowStart(), ChronoUnit.MICROS).toString());

    List<FlowAggregate> aggregates = readAll(ReportJob.AGGREGATES_TOPIC, FlowAggregate.class);
    assertThat(aggregates.stream().filter(a -> a.getReport().equals("top-dports")))
        .as("every (proto, dport) of the day, ICMP as one key")
        .hasSize(14);
    assertThat(
            aggregates.stream()
                .filter(a -> a.getReport().equals("top-dports"))
                .mapToLong(AggregateMetrics::bytes)
                .sum())
        .as("wire bytes of the capture (samples/README.md)")
        .isEqualTo(10_222_053L);
    assertThat(readJson(ReportJob.AGGREGATES_JSON_TOPIC))
        .hasSameSizeAs(aggregates)
        .allSatisfy(json -> assertThat(json.get("trans").asLong()).isPositive());

    // The same alerts as Avro and as JSON: opened, then resolved when the replay ends.
    List<FlowAlert> alerts = readAll(AlertJob.ALERTS_AVRO_TOPIC, FlowAlert.class);
    assertThat(alerts)
        .extracting(FlowAlert::getStatus)
        .containsExactly(AlertStatus.OPEN, AlertStatus.RESOLVED);
    FlowAlert opened = alerts.get(0);
    assertThat(opened.getKey()).extracting(KeyField::getValue).containsExactly("6", "80");
    assertThat(opened.getObserved()).isEqualTo(2_023_013.0);
    List<JsonNode> json = readJson(AlertJob.ALERTS_TOPIC);
    assertThat(json)
        .extracting(node -> node.get("status").asText())
        .containsExactly("OPEN", "RESOLVED");
    assertThat(json.get(0).get("id").asText()).isEqualTo(opened.getId());
    assertThat(json.get(0).at("/key/dport").asText()).isEqualTo("80");

    String printed =
        run(
            "alerts",
            "-S",
            "kafka://" + KAFKA.bootstrapServers() + "/" + AlertJob.ALERTS_AVRO_TOPIC);
    assertThat(printed.lines().filter(line -> line.contains(" busy-dport  proto=6 dport=80")))
        .hasSize(2);
    assertThat(printed).contains("observed 2.0M > threshold 2.0M").contains("flow site=it proto=6");
    assertThat(
            run(
                "alerts",
                "--status",
                "resolved",
                "--json",
                "-S",
                "kafka://" + KAFKA.bootstrapServers() + "/" + AlertJob.ALERTS_AVRO_TOPIC))
        .containsOnlyOnce("\"status\":\"RESOLVED\"")
        .doesNotContain("\"OPEN\"");
  }

  /** Runs an argosy command in this JVM; fails unless it exits 0; returns what it printed. */
  private static String run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var commandLine = Argosy.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    assertThat(commandLine.execute(args)).as(err.toString()).isZero();
    return out.toString();
  }

  private static List<JsonNode> readJson(String topic) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> nodes = new ArrayList<>();
    for (byte[] value : readValues(topic)) {
      nodes.add(mapper.readTree(value));
    }
    return nodes;
  }

  /** Everything committed to {@code topic}. */
  private static <T extends SpecificRecord> List<T> readAll(String topic, Class<T> type)
      throws Exception {
    AvroSingleObjectCodec<T> codec = AvroSingleObjectCodec.forClass(type);
    List<T> records = new ArrayList<>();
    for (byte[] value : readValues(topic)) {
      records.add(codec.decode(value));
    }
    return records;
  }

  /** The values committed to {@code topic}, in order (topics here have one partition). */
  private static List<byte[]> readValues(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
    List<byte[]> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
        for (ConsumerRecord<byte[], byte[]> message : consumer.poll(Duration.ofMillis(200))) {
          records.add(message.value());
          quietSince = System.nanoTime();
        }
      }
    }
    return records;
  }
}
