package org.argosy.cli.sensor;

import static java.util.stream.Collectors.groupingBy;
import static java.util.stream.Collectors.toList;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.core.execution.JobClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.argosy.avro.FlowAggregate;
import org.argosy.avro.FlowAlert;
import org.argosy.avro.FlowRecord;
import org.argosy.avro.codec.AvroSingleObjectCodec;
import org.argosy.avro.codec.RecordDecodingException;
import org.argosy.cli.jobs.ReportJobLauncher;
import org.argosy.jobs.alert.AlertJob;
import org.argosy.jobs.report.ReportJob;
import org.argosy.jobs.report.ReportJobOptions;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.RestartableKafkaBroker;
import org.argosy.query.alert.AlertRuleFile;
import org.argosy.query.report.ReportFile;
import org.argosy.tools.kafka.KafkaClientSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline across a broker crash: two sensor processes capture live traffic (UDP
 * conversations on 127.0.0.1, one capture filter each) and publish to {@code flows} while the
 * report and alert job of {@code argosy jobs} ({@link ReportJobLauncher}, on a local Flink cluster)
 * reads it and writes its results in transactions. The broker process is killed (SIGKILL)
 * mid-stream and restarted on the same port and data; the sensors keep capturing through the outage
 * (their records wait in memory and the disk spool) and the job keeps running.
 *
 * <p>Nothing is lost and nothing is counted twice: each sensor's records on {@code flows} are the
 * records it wrote to its own file ({@code -w}), each sequence number once and none missing; the
 * job's aggregates and alerts, read with read_committed, equal what is computed here from those
 * files alone ({@link WindowTotals}, {@link ThresholdLifecycle}); no record was late or a dead
 * letter; and every packet sent was counted.
 *
 * <p>Why nothing is late although the broker is away for tens of seconds, far beyond the job's
 * default max out-of-orderness (5 s) that this test runs with: the sensors share the partitions of
 * {@code flows}, and the first sensor to reconnect delivers everything up to now before the other's
 * spool, whose records are as old as the outage. Event time is per sensor within each partition
 * ({@code SensorWatermarks}), so the watermark waits for the sensor behind until it has caught up
 * (or been silent for the sensor timeout, 2 minutes). The last windows close {@link #QUIET_ADVANCE}
 * after the last record, when event time starts following the clock; that has to be longer than the
 * outage, or the clock would carry event time past the spooled records while the broker is away. To
 * make sure the first sensor's records of now come before the second's spool, the second sensor is
 * stopped (SIGSTOP) from before the restart until {@link #LAGGING} after it.
 */
class BrokerKillUnderSensorsAndJobsITCase {

  private static final int FLOWS_PER_SENSOR = 10;

  /** A round of one packet per flow this often: 100 packets a second per sensor. */
  private static final long ROUND_MILLIS = 100;

  private static final Duration WINDOW = Duration.ofSeconds(5);
  private static final Duration QUIET_ADVANCE = Duration.ofSeconds(45);

  /** Records a sensor keeps in memory while Kafka is away: a couple of seconds' worth. */
  private static final int QUEUE_RECORDS = 20;

  private static final Duration BEFORE_KILL = Duration.ofSeconds(6);
  private static final Duration KILLED = Duration.ofSeconds(3);
  private static final Duration AFTER_RESTART = Duration.ofSeconds(6);

  /** How long after the restart the second sensor stays stopped (SIGSTOP), to reconnect last. */
  private static final Duration LAGGING = Duration.ofSeconds(8);

  private static final String GROUP = "broker-kill";

  private static final String REPORTS =
      """
      reports:
        - name: per-flow
          keys: site sport dport
          window: 5s
      """;

  /** Above in every whole window of a site's traffic (500 packets), below in a tenth of one. */
  private static final long BUSY_ABOVE = 100;

  private static final String RULES =
      """
      rules:
        - name: busy-site
          kind: threshold
          scope: site
          keys: proto
          metric: pkts
          above: %d
          window: 5s
          cooldown: 0s
      """
          .formatted(BUSY_ABOVE);

  @TempDir Path work;

  @Test
  @Timeout(600)
  void aBrokerKilledWhileSensorsPublishAndTheJobConsumesLosesAndDuplicatesNothing()
      throws Exception {
    try (RestartableKafkaBroker broker = EmbeddedKafka.builder().startRestartable()) {
      String bootstrap = broker.bootstrapServers();
      broker.createTopics(2, ReportJob.FLOWS_TOPIC);
      broker.createTopics(
          1,
          ReportJob.AGGREGATES_TOPIC,
          ReportJob.TOPN_TOPIC,
          ReportJob.LATE_TOPIC,
          ReportJob.DEAD_LETTER_TOPIC,
          AlertJob.ALERTS_TOPIC,
          AlertJob.ALERTS_AVRO_TOPIC);
      List<String> expectedAggregates;
      List<String> expectedAlerts;
      JobClient job = ReportJobLauncher.start(settings(bootstrap)).job();
      try {
        List<Site> sites = List.of(new Site("fra1", "sensor-a"), new Site("ams1", "sensor-b"));
        runTrafficAcrossABrokerKill(broker, sites);

        List<FlowRecord> captured = new ArrayList<>();
        for (Site site : sites) {
          captured.addAll(assertDeliveredExactlyAsWritten(bootstrap, site));
        }
        WindowTotals totals = new WindowTotals(WINDOW.toMillis() * 1000);
        expectedAggregates =
            totals.rows(
                captured,
                // a port key brings the protocol with it (racluster -m sport dport)
                r ->
                    WindowTotals.key(
                        "proto",
                        Integer.toString(r.getProto()),
                        "site",
                        r.getSite().toString(),
                        "sport",
                        Integer.toString(r.getSport()),
                        "dport",
                        Integer.toString(r.getDport())));
        expectedAlerts =
            ThresholdLifecycle.expected(
                packetsPerWindow(totals, captured), WINDOW.toMillis() * 1000, BUSY_ABOVE);
        assertThat(expectedAlerts).isNotEmpty();
        awaitResults(bootstrap, expectedAggregates, expectedAlerts, Duration.ofSeconds(150));
        System.out.printf(
            "broker kill: %d records, %d aggregates and %d alerts as expected%n",
            captured.size(), expectedAggregates.size(), expectedAlerts.size());
      } finally {
        cancel(job);
      }

      // the job is gone: nothing more was committed, no duplicate, no straggler
      assertThat(WindowTotals.rows(aggregates(bootstrap))).isEqualTo(expectedAggregates);
      List<FlowAlert> alerts = alerts(bootstrap);
      assertThat(ThresholdLifecycle.lines(alerts)).isEqualTo(expectedAlerts);
      assertThat(alerts.stream().map(FlowAlert::getId).distinct())
          .as("one id per alert's life")
          .hasSize((int) expectedAlerts.stream().filter(line -> line.contains(" OPEN ")).count());
      assertThat(FlowTopic.committed(bootstrap, Map.of(), ReportJob.LATE_TOPIC)).isEmpty();
      assertThat(FlowTopic.committed(bootstrap, Map.of(), ReportJob.DEAD_LETTER_TOPIC)).isEmpty();
    }
  }

  /** Cancels the (unbounded) job; one that failed for good has ended already. */
  private static void cancel(JobClient job) throws Exception {
    try {
      job.cancel().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | IllegalStateException ended) {
      System.out.println("broker kill: the job had ended: " + ended);
    }
  }

  /** One simulated site: its sensor, its traffic, and the files the sensor writes. */
  private final class Site {
    final String name;
    final String sensorId;
    LoopbackFlows flows;
    SensorProcess sensor;

    Site(String name, String sensorId) {
      this.name = name;
      this.sensorId = sensorId;
    }

    Path recordFile() {
      return work.resolve(sensorId + ".avro");
    }
  }

  /**
   * Starts each site's traffic and sensor, kills the broker once the sensors deliver and the job
   * has read from {@code flows}, restarts it, lets the traffic go on, then stops the traffic and
   * the sensors (SIGTERM: their last records are delivered, their files closed).
   */
  private void runTrafficAcrossABrokerKill(RestartableKafkaBroker broker, List<Site> sites)
      throws Exception {
    try {
      for (Site site : sites) {
        site.flows = new LoopbackFlows(FLOWS_PER_SENSOR);
        site.sensor = startSensor(broker.bootstrapServers(), site);
      }
      for (Site site : sites) {
        site.sensor.awaitCapturing();
        site.flows.sendContinuously(ROUND_MILLIS);
      }
      Thread.sleep(BEFORE_KILL.toMillis());
      for (Site site : sites) {
        site.sensor.awaitMetric(
            "argosy_delivery_sent_total", 2 * FLOWS_PER_SENSOR, Duration.ofSeconds(30));
      }
      awaitJobReading(broker.bootstrapServers());

      long killed = System.nanoTime();
      broker.kill();
      Thread.sleep(KILLED.toMillis());
      // The second sensor reconnects well after the first, which has delivered records of now
      // by then: the case where a partition-wide event time would make the second one's spool late.
      Site lagging = sites.get(sites.size() - 1);
      lagging.sensor.signalStopped(true);
      broker.restart();
      Duration outage = Duration.ofNanos(System.nanoTime() - killed);
      System.out.printf("broker kill: the broker was away for %d ms%n", outage.toMillis());
      assertThat(outage)
          .as("an outage the job's event time tolerates (see the class comment)")
          .isLessThan(QUIET_ADVANCE.minusSeconds(10));
      Thread.sleep(LAGGING.toMillis());
      lagging.sensor.signalStopped(false);
      Thread.sleep(AFTER_RESTART.toMillis());

      for (Site site : sites) {
        site.flows.stop();
      }
      for (Site site : sites) {
        site.sensor.awaitMetric(
            "argosy_sensor_packets_total", site.flows.sent(), Duration.ofSeconds(20));
        assertThat(site.sensor.metric("argosy_sensor_packets_total"))
            .as("every packet %s sent was captured", site.name)
            .isEqualTo(site.flows.sent());
        double spooled = site.sensor.metric("argosy_delivery_spooled_total");
        assertThat(spooled)
            .as("%s published through the outage: its records went to the spool", site.name)
            .isPositive();
        System.out.printf(
            "broker kill: %s sent %d packets, spooled %.0f records%n",
            site.name, site.flows.sent(), spooled);
        site.sensor.terminate(Duration.ofSeconds(40));
        assertThat(site.sensor.exitValue()).as(site.sensor.log()).isZero();
      }
    } finally {
      for (Site site : sites) {
        if (site.sensor != null) {
          site.sensor.close();
        }
        if (site.flows != null) {
          site.flows.close();
        }
      }
    }
  }

  private SensorProcess startSensor(String bootstrap, Site site) throws Exception {
    return SensorProcess.start(
        work.resolve(site.sensorId + ".log"),
        Map.of("ARGOSY_SENSOR_QUEUE_RECORDS", Integer.toString(QUEUE_RECORDS)),
        "-i",
        "lo",
        "--filter",
        site.flows.filter(),
        "--kafka",
        bootstrap,
        "--site",
        site.name,
        "--sensor-id",
        site.sensorId,
        "--spool-dir",
        work.resolve("spool").toString(),
        // holds what the lagging sensor captures while stopped (with the default 32 MiB, a
        // sensor stopped for about 23 s lost a quarter of its packets)
        "--buffer-size",
        Integer.toString(128 << 20),
        "--metrics",
        "127.0.0.1:0",
        "-S",
        "1",
        "-w",
        site.recordFile().toString());
  }

  /**
   * The site's records on {@code flows} are exactly those in its file, each sequence number once, 0
   * to n-1; returns them.
   */
  private static List<FlowRecord> assertDeliveredExactlyAsWritten(String bootstrap, Site site)
      throws Exception {
    List<FlowRecord> written = FlowRecordFiles.read(site.recordFile());
    assertThat(written).isNotEmpty();
    Map<Long, List<FlowRecord>> delivered =
        FlowTopic.readAll(bootstrap, Map.of(), ReportJob.FLOWS_TOPIC).stream()
            .map(FlowTopic.Delivered::record)
            .filter(r -> r.getSensorId().toString().equals(site.sensorId))
            .collect(groupingBy(FlowRecord::getSeq, TreeMap::new, toList()));
    assertThat(delivered.keySet())
        .as("sequence numbers of %s, each once and none missing", site.sensorId)
        .containsExactlyElementsOf(LongStream.range(0, written.size()).boxed().toList());
    assertThat(delivered.values()).allSatisfy(copies -> assertThat(copies).hasSize(1));
    for (FlowRecord record : written) {
      assertThat(delivered.get(record.getSeq())).containsExactly(record);
    }
    return written;
  }

  /** Packets per site and protocol per window: the busy-site rule's value. */
  private static Map<String, SortedMap<Long, Long>> packetsPerWindow(
      WindowTotals totals, List<FlowRecord> records) {
    Map<String, SortedMap<Long, Long>> values = new TreeMap<>();
    for (FlowRecord r : records) {
      values
          .computeIfAbsent(
              WindowTotals.key(
                  "site", r.getSite().toString(), "proto", Integer.toString(r.getProto())),
              k -> new TreeMap<>())
          .merge(totals.windowOf(r.getStime()), r.getSpkts() + r.getDpkts(), Long::sum);
    }
    return values;
  }

  private static ReportJobLauncher.Settings settings(String bootstrap) {
    ReportJobOptions options =
        ReportJobOptions.builder()
            .quietAdvance(QUIET_ADVANCE)
            .rankBuckets(4)
            .checkpointInterval(Duration.ofSeconds(1))
            .build();
    return new ReportJobLauncher.Settings(
        bootstrap,
        KafkaClientSettings.none(),
        ReportFile.parse(REPORTS, "broker kill reports"),
        AlertRuleFile.parse(RULES, "broker kill rules"),
        options,
        false,
        0,
        2,
        GROUP,
        null,
        false);
  }

  /** Waits until the job has committed offsets of {@code flows}: it reads, and checkpoints. */
  private static void awaitJobReading(String bootstrap) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (true) {
        long read =
            admin
                .listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get()
                .values()
                .stream()
                .filter(Objects::nonNull)
                .mapToLong(OffsetAndMetadata::offset)
                .sum();
        if (read > 0) {
          System.out.printf("broker kill: the job had read %d records when it was killed%n", read);
          return;
        }
        assertThat(System.nanoTime()).as("the job reads flows").isLessThan(deadline);
        Thread.sleep(200);
      }
    }
  }

  /**
   * Waits until the job has committed the expected aggregates and alerts (the last windows close
   * {@link #QUIET_ADVANCE} plus the max out-of-orderness, 5 s, after the last record); fails with
   * the difference if it has not within {@code timeout}.
   */
  private static void awaitResults(
      String bootstrap, List<String> aggregates, List<String> alerts, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> committedAggregates = WindowTotals.rows(aggregates(bootstrap));
      List<String> committedAlerts = ThresholdLifecycle.lines(alerts(bootstrap));
      if (committedAggregates.equals(aggregates) && committedAlerts.equals(alerts)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        assertThat(committedAggregates).isEqualTo(aggregates);
        assertThat(committedAlerts).isEqualTo(alerts);
      }
      Thread.sleep(2000);
    }
  }

  private static List<FlowAggregate> aggregates(String bootstrap) throws RecordDecodingException {
    return decoded(bootstrap, ReportJob.AGGREGATES_TOPIC, FlowAggregate.class);
  }

  private static List<FlowAlert> alerts(String bootstrap) throws RecordDecodingException {
    return decoded(bootstrap, AlertJob.ALERTS_AVRO_TOPIC, FlowAlert.class);
  }

  private static <T extends SpecificRecord> List<T> decoded(
      String bootstrap, String topic, Class<T> type) throws RecordDecodingException {
    AvroSingleObjectCodec<T> codec = AvroSingleObjectCodec.forClass(type);
    List<T> decoded = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> message : FlowTopic.committed(bootstrap, Map.of(), topic)) {
      decoded.add(codec.decode(message.value()));
    }
    return decoded;
  }
}
