package org.argosy.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.TopNRanking;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.cli.Argosy;
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
 * the daily reports run over it (bounded), and their results read back, committed, from {@code
 * flow-topn} and {@code flow-aggregates}.
 */
class JobsCommandITCase {

  @RegisterExtension static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

  @TempDir Path spool;

  private static Path projectRoot() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }

  @Test
  @Timeout(300) // a job whose sink keeps failing restarts forever: fail instead of hanging
  void dailyReportsRunAgainstAKafkaClusterExactlyOnce() throws Exception {
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

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var commandLine = Argosy.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit =
        commandLine.execute(
            "jobs",
            "--bootstrap",
            KAFKA.bootstrapServers(),
            "--reports",
            projectRoot().resolve("reports/daily-reports.yaml").toString(),
            "--bounded",
            "--web-ui-port",
            "0",
            "--checkpoint-interval",
            "1");
    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("3 reports of").contains("running as Flink job");

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
  }

  /** Everything committed to {@code topic}. */
  private static <T extends SpecificRecord> List<T> readAll(String topic, Class<T> type)
      throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
    AvroSingleObjectCodec<T> codec = AvroSingleObjectCodec.forClass(type);
    List<T> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long quietSince = System.nanoTime();
      while (System.nanoTime() - quietSince < Duration.ofSeconds(3).toNanos()) {
        for (ConsumerRecord<byte[], byte[]> message : consumer.poll(Duration.ofMillis(200))) {
          records.add(codec.decode(message.value()));
          quietSince = System.nanoTime();
        }
      }
    }
    return records;
  }
}
