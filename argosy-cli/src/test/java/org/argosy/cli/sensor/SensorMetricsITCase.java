package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.argosy.kafka.embedded.EmbeddedKafka;
import org.argosy.kafka.embedded.EmbeddedKafkaExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoint of a live sensor process ({@code -i lo}, UDP conversations the test makes,
 * filtered by their port) publishing to a real broker: libpcap's drop counters and the producer
 * latency.
 */
class SensorMetricsITCase {

  @RegisterExtension
  static final EmbeddedKafkaExtension KAFKA =
      new EmbeddedKafkaExtension(() -> EmbeddedKafka.builder().inProcessOnly().start());

  private static final int FLOWS = 30;

  @TempDir Path work;

  @Test
  void countsKernelDropsWhenTheSensorFallsBehindAndTheLatencyToKafka() throws Exception {
    KAFKA.createTopics(3, "flows");
    try (LoopbackFlows flows = new LoopbackFlows(FLOWS);
        SensorProcess sensor =
            SensorProcess.start(
                work.resolve("sensor.log"),
                Map.of(),
                "-i",
                "lo",
                "--filter",
                flows.filter(),
                // the smallest capture buffer: a paused sensor soon makes the kernel drop
                "--buffer-size",
                "65536",
                "--kafka",
                KAFKA.bootstrapServers(),
                "--spool-dir",
                work.resolve("spool").toString(),
                "--sensor-id",
                "metrics-1",
                "-S",
                "1",
                "--metrics",
                "127.0.0.1:0")) {
      sensor.awaitCapturing();
      flows.send(1, 0); // a little: both copies of each fit in the small buffer
      // generous: a sensor JVM starting on a loaded machine can take long to read its first packets
      sensor.awaitMetric("argosy_sensor_packets_total", flows.sent(), Duration.ofSeconds(60));
      assertThat(sensor.metric(kernelDrops())).isZero();

      // SIGSTOP: the kernel fills the capture buffer, then drops what no longer fits
      signal("STOP", sensor.pid());
      try {
        flows.send(100, 0);
      } finally {
        signal("CONT", sensor.pid());
      }
      long sent = flows.sent();
      // on lo the kernel's capture socket counts each packet twice: going out and coming in
      String received = "argosy_capture_received_packets_total{interface=\"lo\"}";
      sensor.awaitMetric(received, 2 * sent, Duration.ofSeconds(20));
      assertThat(sensor.metric(received)).isEqualTo(2 * sent);
      double drops = sensor.metric(kernelDrops());
      assertThat(drops).isPositive();
      // what the kernel kept reaches the sensor within libpcap's read timeout, when it gets the
      // CPU:
      // then each packet the sensor missed is a copy the kernel dropped
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      double metered = sensor.metric("argosy_sensor_packets_total");
      while (sent - metered > drops) {
        assertThat(System.nanoTime()).as(sensor.scrape()).isLessThan(deadline);
        Thread.sleep(100);
        metered = sensor.metric("argosy_sensor_packets_total");
      }
      assertThat(metered).isLessThan(sent);
      assertThat(metered)
          .as("the sensor metered no more than the copies the kernel kept")
          .isLessThanOrEqualTo(2 * sent - drops);
      assertThat(sensor.metric("argosy_capture_interface_dropped_packets_total{interface=\"lo\"}"))
          .isNotNaN()
          .isNotNegative();

      // each flow's status record of the slot its packets fell in goes to Kafka (the wall-clock
      // tick closes the slot): their latency to the acknowledgement
      sensor.awaitMetric("argosy_delivery_sent_total", FLOWS, Duration.ofSeconds(20));
      double count = sensor.metric("argosy_delivery_latency_seconds_count");
      double p50 = sensor.metric("argosy_delivery_latency_seconds{quantile=\"0.5\"}");
      double p99 = sensor.metric("argosy_delivery_latency_seconds{quantile=\"0.99\"}");
      assertThat(count)
          .as("each record Kafka acknowledged was timed as it was acknowledged")
          .isGreaterThanOrEqualTo(FLOWS);
      assertThat(p50).isPositive().isLessThanOrEqualTo(p99);
      assertThat(p99).isLessThan(5.0);
      assertThat(sensor.metric("argosy_delivery_latency_seconds_sum")).isPositive();
      assertThat(sensor.metric("argosy_delivery_spool_bytes")).isZero();

      sensor.terminate(Duration.ofSeconds(40));
      assertThat(sensor.exitValue()).as(sensor.log()).isZero();
      assertThat(sensor.log())
          .containsPattern("lo: " + 2 * sent + " packets received, [1-9]\\d* dropped");
    }
  }

  private static String kernelDrops() {
    return "argosy_capture_kernel_dropped_packets_total{interface=\"lo\"}";
  }

  private static void signal(String signal, long pid) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
    assertThat(kill.waitFor()).isZero();
  }
}
