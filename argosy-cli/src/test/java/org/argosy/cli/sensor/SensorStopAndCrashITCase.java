package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.RestartableKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code argosy sensor -i lo --kafka ...} as a process, stopped by SIGTERM and killed by SIGKILL,
 * against a broker process that the tests stop and restart. The sensor captures UDP conversations
 * the test makes on 127.0.0.1 (a capture filter on their port keeps the rest of the machine's
 * loopback traffic out), so every packet and every record is known.
 */
class SensorStopAndCrashITCase {

  private static final int FLOWS = 30;
  private static final int ROUNDS = 20;

  /**
   * Records the sensor keeps in memory while Kafka is away before it spools: more than one second's
   * status records of the crash test's flows, fewer than a few seconds' worth.
   */
  private static final int QUEUE_RECORDS = 100;

  /** One status slot for a whole test: what a flow has at the stop is in its final record. */
  private static final int ONE_SLOT = 86_400;

  private static RestartableKafkaBroker broker;

  @TempDir Path work;

  @BeforeAll
  static void startBroker() {
    broker = EmbeddedKafka.builder().startRestartable();
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void brokerRunning() {
    broker.restart(); // a test that stopped it may have failed before restarting it
  }

  @Test
  void sigtermWritesEveryActiveFlowToKafkaAsAFinalRecordAndExitsZero() throws Exception {
    String topic = "stop-kafka-up";
    broker.createTopics(3, topic);
    try (LoopbackFlows flows = new LoopbackFlows(FLOWS);
        SensorProcess sensor = startSensor(flows, topic, "s-up", Map.of(), ONE_SLOT)) {
      sensor.awaitCapturing();
      flows.send(ROUNDS, 20);
      sensor.awaitMetric("argosy_sensor_packets_total", FLOWS * ROUNDS, Duration.ofSeconds(20));

      Duration stopping = sensor.terminate(Duration.ofSeconds(40));

      assertThat(sensor.exitValue()).as(sensor.log()).isZero();
      assertThat(stopping).isLessThan(Duration.ofSeconds(15));
      assertThat(sensor.log()).contains("SIGTERM: stopping capture");
      List<FlowRecord> records =
          FlowTopic.readAll(broker.bootstrapServers(), Map.of(), topic).stream()
              .map(FlowTopic.Delivered::record)
              .toList();
      assertEveryFlowEndedWithAllItsPackets(flows, records);
      assertThat(records.stream().mapToLong(FlowRecord::getSeq).sorted())
          .as("first run of this sensor: 0, 1, 2, ... each once")
          .containsExactlyElementsOf(LongStream.range(0, records.size()).boxed().toList());
    }
  }

  @Test
  void sigtermWhileKafkaIsAwaySpoolsTheFinalRecordsAndExitsZero() throws Exception {
    String topic = "stop-kafka-down";
    broker.createTopics(3, topic);
    Path spool = work.resolve("spool");
    try (LoopbackFlows flows = new LoopbackFlows(FLOWS);
        SensorProcess sensor =
            startSensor(
                flows, topic, "s-down", Map.of("ARGOSY_SENSOR_DRAIN_TIMEOUT", "3"), ONE_SLOT)) {
      sensor.awaitCapturing();
      flows.send(ROUNDS, 20);
      sensor.awaitMetric("argosy_sensor_packets_total", FLOWS * ROUNDS, Duration.ofSeconds(20));
      broker.stop();

      Duration stopping = sensor.terminate(Duration.ofSeconds(60));

      assertThat(sensor.exitValue()).as(sensor.log()).isZero();
      // one drain timeout (3 s) for Kafka, then the producer gives up (at most max.block.ms, 5 s)
      assertThat(stopping).isLessThan(Duration.ofSeconds(20));
      List<FlowRecord> spooled = SpoolSnapshot.records(spool.resolve("s-down"), work.resolve("x"));
      assertEveryFlowEndedWithAllItsPackets(flows, spooled);
      assertThat(sensor.log()).containsPattern(spooled.size() + " spooled");
    }
  }

  @Test
  void sigkillWhileKafkaIsAwayLosesOnlyWhatWasNeverSpooledAndARestartReplaysTheSpool()
      throws Exception {
    String topic = "crash";
    broker.createTopics(3, topic);
    Path spool = work.resolve("spool");
    Map<String, String> smallQueue =
        Map.of("ARGOSY_SENSOR_QUEUE_RECORDS", Integer.toString(QUEUE_RECORDS));
    Set<Long> spooled;
    try (LoopbackFlows flows = new LoopbackFlows(FLOWS)) {
      flows.sendContinuously(50);
      try (SensorProcess first = startSensor(flows, topic, "s-crash", smallQueue, 1)) {
        first.awaitCapturing();
        // status records every second, 30 at a time: the memory queue absorbs them while Kafka
        // takes them; then Kafka goes away mid-capture, the queue fills and records go to the spool
        first.awaitMetric("argosy_delivery_sent_total", 2 * FLOWS, Duration.ofSeconds(30));
        assertThat(first.metric("argosy_delivery_spooled_total")).isZero();
        broker.stop();
        first.awaitMetric("argosy_delivery_spooled_total", 3 * FLOWS, Duration.ofSeconds(30));
        assertThat(first.metric("argosy_delivery_spool_bytes")).isPositive();
        assertThat(first.metric("argosy_delivery_queued_records"))
            .as("the full queue and the batch Kafka did not take")
            .isBetween((double) QUEUE_RECORDS, 2.0 * QUEUE_RECORDS);
        first.kill();
      }
      spooled =
          SpoolSnapshot.records(spool.resolve("s-crash"), work.resolve("snapshot")).stream()
              .map(FlowRecord::getSeq)
              .collect(Collectors.toCollection(TreeSet::new));
      broker.restart();

      try (SensorProcess second = startSensor(flows, topic, "s-crash", smallQueue, 1)) {
        second.awaitCapturing();
        second.awaitMetric(
            "argosy_delivery_sent_total", spooled.size() + 2 * FLOWS, Duration.ofSeconds(30));
        second.terminate(Duration.ofSeconds(40));
        assertThat(second.exitValue()).as(second.log()).isZero();
      }
    }

    List<FlowTopic.Delivered> delivered =
        FlowTopic.readAll(broker.bootstrapServers(), Map.of(), topic);
    Map<Long, Integer> counts = FlowTopic.sequenceCounts(delivered);
    assertThat(counts.values()).as("no sequence number twice").containsOnly(1);
    long firstSpooled = ((TreeSet<Long>) spooled).first();
    long lastSpooled = ((TreeSet<Long>) spooled).last();
    assertThat(spooled)
        .as("the spool holds an unbroken run of sequence numbers")
        .containsExactlyElementsOf(
            LongStream.rangeClosed(firstSpooled, lastSpooled).boxed().toList());
    assertThat(counts.keySet()).as("everything spooled arrived").containsAll(spooled);

    // Before the spooled records: what Kafka took before it went away, and the gap of what sat in
    // memory when the process was killed: the full queue, and at most one batch being sent.
    List<Long> neverSpooled =
        LongStream.range(0, firstSpooled).filter(seq -> !counts.containsKey(seq)).boxed().toList();
    assertThat(neverSpooled)
        .as("lost with the process, visible as a gap just before the spooled numbers")
        .hasSizeBetween(QUEUE_RECORDS, 2 * QUEUE_RECORDS)
        .allSatisfy(
            seq -> assertThat(seq).isGreaterThanOrEqualTo(firstSpooled - 2 * QUEUE_RECORDS));

    // After them: the restarted sensor's records, numbered on from a fresh block, without a gap.
    List<Long> afterRestart =
        counts.keySet().stream().filter(seq -> seq > lastSpooled).sorted().toList();
    assertThat(afterRestart).isNotEmpty();
    assertThat(afterRestart)
        .containsExactlyElementsOf(
            LongStream.rangeClosed(afterRestart.get(0), afterRestart.get(afterRestart.size() - 1))
                .boxed()
                .toList());

    // The replayed spool reached each partition ahead of the restarted sensor's new records.
    Map<Integer, Long> lastReplayedOffset =
        delivered.stream()
            .filter(d -> spooled.contains(d.record().getSeq()))
            .collect(
                Collectors.toMap(
                    FlowTopic.Delivered::partition, FlowTopic.Delivered::offset, Math::max));
    assertThat(delivered)
        .filteredOn(d -> d.record().getSeq() > lastSpooled)
        .allSatisfy(
            d ->
                assertThat(d.offset())
                    .isGreaterThan(lastReplayedOffset.getOrDefault(d.partition(), -1L)));
  }

  private SensorProcess startSensor(
      LoopbackFlows flows,
      String topic,
      String sensorId,
      Map<String, String> environment,
      int statusIntervalSeconds)
      throws Exception {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "-i",
                "lo",
                "--filter",
                flows.filter(),
                "--kafka",
                broker.bootstrapServers(),
                "--topic",
                topic,
                "--site",
                "lab",
                "--sensor-id",
                sensorId,
                "--spool-dir",
                work.resolve("spool").toString(),
                "--metrics",
                "127.0.0.1:0",
                "-S",
                Integer.toString(statusIntervalSeconds)));
    return SensorProcess.start(
        work.resolve(sensorId + "-" + System.nanoTime() + ".log"),
        environment,
        args.toArray(String[]::new));
  }

  /** Each flow's records count every packet it sent, and the last of them is its END record. */
  private static void assertEveryFlowEndedWithAllItsPackets(
      LoopbackFlows flows, List<FlowRecord> records) {
    Map<Integer, List<FlowRecord>> byFlow =
        records.stream().collect(Collectors.groupingBy(r -> r.getSport()));
    assertThat(byFlow.keySet()).containsExactlyInAnyOrderElementsOf(flows.sourcePorts());
    byFlow.forEach(
        (port, flow) -> {
          assertThat(flow.stream().mapToLong(FlowRecord::getSpkts).sum())
              .as("packets of the flow from port %d", port)
              .isEqualTo(ROUNDS);
          assertThat(flow.stream().mapToLong(FlowRecord::getSappbytes).sum())
              .isEqualTo((long) ROUNDS * LoopbackFlows.PAYLOAD_BYTES);
          assertThat(flow.get(flow.size() - 1).getCause()).isEqualTo(FlowCause.END);
        });
    assertThat(records).extracting(FlowRecord::getDport).containsOnly(flows.port());
  }
}
