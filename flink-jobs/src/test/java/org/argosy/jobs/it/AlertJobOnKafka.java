package org.argosy.jobs.it;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.mapping;
import static java.util.stream.Collectors.toList;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.argosy.avro.AlertStatus;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.avro.codec.RecordDecodingException;
import org.argosy.jobs.alert.AlertJob;
import org.argosy.jobs.kafka.FlowTopics;
import org.argosy.jobs.kafka.TopicSinks;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.jobs.source.FlowOrDeadLetter;
import org.argosy.query.alert.AlertJson;
import org.argosy.query.alert.AlertRuleFile;

/**
 * The alert job between topics of a real broker, for the fault tests: one run reads {@code
 * <run>-flows} (written by {@link JobOnKafka}) and writes {@code <run>-alerts} (JSON), {@code
 * <run>-alerts-avro}, {@code -late} and {@code -dlq}, exactly once; alerts are read back with
 * {@code isolation.level=read_committed}.
 */
final class AlertJobOnKafka {

  /**
   * Rules that samples/demo.pcap (five 10 s windows of three hosts) crosses in several windows,
   * with every stage of the alert job: keyed tallies, the elephant's buckets and shares, the report
   * engine's ranking (top-entry) and the new-key detector; cooldown 0 makes a condition that holds
   * in consecutive windows UPDATE in each.
   */
  static final String RULES =
      """
      rules:
        - name: busy-services
          kind: threshold
          keys: proto dport
          metric: bytes
          above: 200K
          window: 10s
          cooldown: 0s
        - name: chatty-hosts
          kind: threshold
          keys: saddr
          metric: pkts
          above: 1000
          window: 10s
          cooldown: 0s
        - name: big-conversations
          kind: elephant
          above: 300K
          share: 20%
          window: 10s
          cooldown: 0s
        - name: new-top-service
          kind: top-entry
          keys: proto dport
          n: 3
          absent: 2
          window: 10s
        - name: new-client-port
          kind: new-key
          keys: proto dport
          absent: 2
          window: 10s
      """;

  /**
   * Windows close while the job reads (so that alerts are written, and committed, before and after
   * a failure), and no record is late: the out-of-orderness is above the disorder of the records
   * within a partition (4.6 s; asserted by {@link #assertNoneWouldBeLate}), so each window's
   * contents, and with them the alerts, do not depend on how the partitions interleave.
   */
  static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(6);

  private final String bootstrap;
  private final JobOnKafka kafka;

  AlertJobOnKafka(String bootstrap) {
    this.bootstrap = bootstrap;
    this.kafka = new JobOnKafka(bootstrap);
  }

  static String alertsJson(String run) {
    return run + "-alerts";
  }

  static String alertsAvro(String run) {
    return run + "-alerts-avro";
  }

  /** Every topic of a run. */
  static String[] topics(String run) {
    return new String[] {
      JobOnKafka.flows(run),
      alertsJson(run),
      alertsAvro(run),
      JobOnKafka.late(run),
      JobOnKafka.dlq(run)
    };
  }

  static ReportJobOptions options() {
    return ReportJobOptions.builder()
        .maxOutOfOrderness(OUT_OF_ORDERNESS)
        .sourceIdleness(Duration.ofMinutes(10))
        .rankBuckets(4)
        .checkpointInterval(JobOnKafka.options().checkpointInterval())
        .build();
  }

  /** Fails unless every record is on time in its partition (round robin, as produced). */
  static void assertNoneWouldBeLate(List<FlowRecord> records) {
    long disorder = 0;
    for (int partition = 0; partition < JobOnKafka.PARTITIONS; partition++) {
      long newest = Long.MIN_VALUE;
      for (int i = partition; i < records.size(); i += JobOnKafka.PARTITIONS) {
        newest = Math.max(newest, records.get(i).getStime());
        disorder = Math.max(disorder, newest - records.get(i).getStime());
      }
    }
    assertThat(disorder)
        .as("the most a record is behind the newest of its partition, in microseconds")
        .isLessThan(OUT_OF_ORDERNESS.toMillis() * 1000);
  }

  /** Adds the alert job of {@code run} to {@code env}, reading {@code source}. */
  void addAlertJob(
      StreamExecutionEnvironment env, String run, Source<FlowOrDeadLetter, ?, ?> source) {
    TopicSinks sinks = FlowTopics.sinks(bootstrap, run, Map.of());
    AlertJob.build(
        env,
        source,
        new AlertJob.Sinks(
            sinks.alertsJson(alertsJson(run)),
            sinks.alertsAvro(alertsAvro(run)),
            sinks.late(JobOnKafka.late(run))),
        sinks.deadLetters(JobOnKafka.dlq(run)),
        AlertRuleFile.parse(RULES, "alert failover rules"),
        options());
  }

  /**
   * Creates the topics of {@code reference} and {@code run}, writes {@code records} to the flows of
   * both, and runs the job of {@code reference} without restarts: the alerts {@code run} must
   * reproduce under a fault.
   */
  void prepareReference(
      JobOnKafka.TopicCreator creator, List<FlowRecord> records, String reference, String run)
      throws Exception {
    kafka.prepareRuns(creator, records, AlertJobOnKafka::topics, reference, run);
    StreamExecutionEnvironment env = JobOnKafka.environment(new Configuration());
    addAlertJob(
        env,
        reference,
        FlowTopics.flowSource(
            bootstrap, JobOnKafka.flows(reference), reference + "-job", true, Map.of()));
    env.execute(reference);
  }

  /**
   * Asserts that {@code run} committed the same alerts as {@code reference}, none twice, and no
   * late record or dead letter; that each run's JSON topic holds its Avro topic's alerts; and that
   * the reference raised conditions that open, update and resolve across several windows, each id
   * opened once and resolved once.
   *
   * <p>Alerts are compared without their evidence: a window's evidence rows are its biggest
   * conversations as far as records arrived (bounded memory, see {@code WindowTally}), so they may
   * merge a conversation's records differently when the partitions interleave differently, as they
   * do after a restart. Every other field is compared: id, rule, status, window, key, sites,
   * observed value, threshold, first and last seen.
   */
  void assertSameAlerts(String reference, String run) throws RecordDecodingException {
    List<FlowAlert> alerts = alerts(reference);
    assertThat(alerts.stream().map(FlowAlert::getStatus))
        .contains(AlertStatus.OPEN, AlertStatus.UPDATE, AlertStatus.RESOLVED);
    assertThat(alerts.stream().map(FlowAlert::getWindowStart).distinct().count())
        .as("windows with alerts")
        .isGreaterThanOrEqualTo(3);
    Map<String, List<AlertStatus>> lives =
        alerts.stream()
            .collect(groupingBy(FlowAlert::getId, mapping(FlowAlert::getStatus, toList())));
    assertThat(lives.values())
        .allSatisfy(
            life -> {
              assertThat(life).filteredOn(s -> s == AlertStatus.OPEN).hasSize(1);
              assertThat(life).filteredOn(s -> s == AlertStatus.RESOLVED).hasSize(1);
            });

    List<String> conditions = withoutEvidence(alerts);
    assertThat(conditions).doesNotHaveDuplicates();
    List<FlowAlert> underFault = alerts(run);
    assertThat(withoutEvidence(underFault)).isEqualTo(conditions);
    assertJsonTopicHolds(reference, alerts);
    assertJsonTopicHolds(run, underFault);
    assertThat(kafka.readCommitted(JobOnKafka.late(run))).isEmpty();
    assertThat(kafka.readCommitted(JobOnKafka.dlq(run))).isEmpty();
  }

  /** The alerts of a run from its Avro topic, in the order read. */
  List<FlowAlert> alerts(String run) throws RecordDecodingException {
    AvroSingleObjectCodec<FlowAlert> codec = AvroSingleObjectCodec.forClass(FlowAlert.class);
    List<FlowAlert> alerts = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : kafka.readCommitted(alertsAvro(run))) {
      alerts.add(codec.decode(record.value()));
    }
    return alerts;
  }

  /** The two sinks of one run wrote the same alerts, evidence included. */
  private void assertJsonTopicHolds(String run, List<FlowAlert> alerts) {
    assertThat(
            kafka.readCommitted(alertsJson(run)).stream()
                .map(record -> new String(record.value(), StandardCharsets.UTF_8))
                .sorted())
        .as("the JSON topic of %s holds its Avro topic's alerts", run)
        .containsExactlyElementsOf(alerts.stream().map(AlertJson::encode).sorted().toList());
  }

  /** Each alert as its Avro JSON text without evidence rows, sorted. */
  private static List<String> withoutEvidence(List<FlowAlert> alerts) {
    return alerts.stream()
        .map(alert -> FlowAlert.newBuilder(alert).setEvidence(List.of()).build().toString())
        .sorted()
        .toList();
  }
}
