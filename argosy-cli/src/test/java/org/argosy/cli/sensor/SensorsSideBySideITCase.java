package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.argosy.avro.FlowRecord;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sensor processes on one machine, as two simulated sites: each captures its own conversations
 * (one capture filter each), has its own sensor id, metrics port and spool, and both publish to one
 * topic. A third started by mistake with the first one's id and spool is refused.
 */
class SensorsSideBySideITCase {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA =
      new EmbeddedKafkaExtension(() -> EmbeddedKafka.builder().inProcessOnly().start());

  private static final int ROUNDS = 10;

  @TempDir Path work;

  @Test
  void twoSensorsPublishToOneTopicWithoutMixingAnything() throws Exception {
    KAFKA.createTopics(3, "flows");
    Path spool = work.resolve("spool");
    try (LoopbackFlows fraFlows = new LoopbackFlows(20);
        LoopbackFlows amsFlows = new LoopbackFlows(35);
        SensorProcess fra = start("fra1", "sensor-a", fraFlows, spool);
        SensorProcess ams = start("ams1", "sensor-b", amsFlows, spool)) {
      fra.awaitCapturing();
      ams.awaitCapturing();

      try (SensorProcess clash = start("fra1", "sensor-a", fraFlows, spool)) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!clash.log().contains("in use by another sensor process")) {
          assertThat(System.nanoTime()).as(clash.log()).isLessThan(deadline);
          Thread.sleep(100);
        }
        clash.terminate(Duration.ofSeconds(30));
        assertThat(clash.exitValue()).isEqualTo(1);
      }

      fraFlows.send(ROUNDS, 10);
      amsFlows.send(ROUNDS, 10);
      fra.awaitMetric("argosy_sensor_packets_total", fraFlows.sent(), Duration.ofSeconds(20));
      ams.awaitMetric("argosy_sensor_packets_total", amsFlows.sent(), Duration.ofSeconds(20));
      assertThat(fra.metric("argosy_sensor_packets_total")).isEqualTo(fraFlows.sent());
      assertThat(ams.metric("argosy_sensor_packets_total")).isEqualTo(amsFlows.sent());

      fra.terminate(Duration.ofSeconds(40));
      ams.terminate(Duration.ofSeconds(40));
      assertThat(fra.exitValue()).as(fra.log()).isZero();
      assertThat(ams.exitValue()).as(ams.log()).isZero();
    }

    Map<String, List<FlowRecord>> bySensor =
        FlowTopic.readAll(KAFKA.bootstrapServers(), Map.of(), "flows").stream()
            .peek(
                d -> {
                  assertThat(d.headers().get("sensor")).isEqualTo(d.record().getSensorId());
                  assertThat(d.headers().get("site")).isEqualTo(d.record().getSite());
                })
            .map(FlowTopic.Delivered::record)
            .collect(Collectors.groupingBy(r -> r.getSensorId().toString()));
    assertThat(bySensor).containsOnlyKeys("sensor-a", "sensor-b");
    assertOwnConversationsOnly(bySensor.get("sensor-a"), "fra1", 20);
    assertOwnConversationsOnly(bySensor.get("sensor-b"), "ams1", 35);
  }

  /** Every packet of each of its flows, numbered 0, 1, 2, ... per sensor. */
  private static void assertOwnConversationsOnly(List<FlowRecord> records, String site, int flows) {
    assertThat(records).allSatisfy(r -> assertThat(r.getSite()).isEqualTo(site));
    assertThat(records).allSatisfy(r -> assertThat(r.getIface()).isEqualTo("lo"));
    Map<Integer, Long> packetsByFlow =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    FlowRecord::getSport, Collectors.summingLong(FlowRecord::getSpkts)));
    assertThat(packetsByFlow).hasSize(flows);
    assertThat(packetsByFlow.values()).containsOnly((long) ROUNDS);
    assertThat(records.stream().map(FlowRecord::getDport).distinct()).hasSize(1);
    assertThat(records.stream().mapToLong(FlowRecord::getSeq).sorted())
        .containsExactlyElementsOf(LongStream.range(0, records.size()).boxed().toList());
  }

  private SensorProcess start(String site, String id, LoopbackFlows flows, Path spool)
      throws Exception {
    return SensorProcess.start(
        work.resolve(id + "-" + System.nanoTime() + ".log"),
        Map.of(),
        "-i",
        "lo",
        "--filter",
        flows.filter(),
        "--kafka",
        KAFKA.bootstrapServers(),
        "--site",
        site,
        "--sensor-id",
        id,
        "--spool-dir",
        spool.toString(),
        "--metrics",
        "127.0.0.1:0",
        "-S",
        "86400");
  }
}
