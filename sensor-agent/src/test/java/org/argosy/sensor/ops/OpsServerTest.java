package org.argosy.sensor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.argosy.sensor.delivery.LatencyHistogram;
import org.junit.jupiter.api.Test;

class OpsServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(OpsServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesCurrentValuesInPrometheusTextFormat() throws Exception {
    AtomicLong packets = new AtomicLong(41);
    MetricsRegistry metrics =
        new MetricsRegistry()
            .counter("argosy_sensor_packets_total", "Packets captured", packets::get)
            .register(
                "argosy_sensor_decode_errors_total",
                "Packets not metered, by reason",
                MetricsRegistry.Type.COUNTER,
                Map.of("reason", "truncated \"ipv4\""),
                () -> 3)
            .gauge("argosy_sensor_spool_bytes", "Bytes in the spool", () -> 1.5);
    try (OpsServer server =
        new OpsServer(new InetSocketAddress("127.0.0.1", 0), metrics, () -> null)) {
      packets.incrementAndGet();
      HttpResponse<String> response = get(server, "/metrics");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type"))
          .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
      assertThat(response.body())
          .contains("# HELP argosy_sensor_packets_total Packets captured\n")
          .contains("# TYPE argosy_sensor_packets_total counter\n")
          .contains("argosy_sensor_packets_total 42\n")
          .contains("argosy_sensor_decode_errors_total{reason=\"truncated \\\"ipv4\\\"\"} 3\n")
          .contains("# TYPE argosy_sensor_spool_bytes gauge\nargosy_sensor_spool_bytes 1.5\n");
    }
  }

  @Test
  void writesASummaryAsQuantilesSumAndCount() throws Exception {
    LatencyHistogram latency = new LatencyHistogram(Duration.ofMinutes(1));
    for (long micros = 1; micros <= 1000; micros++) {
      latency.record(micros * 1000); // 1 ms to 1 s
    }
    MetricsRegistry metrics =
        new MetricsRegistry()
            .summary(
                "argosy_delivery_latency_seconds",
                "Time to acknowledgement",
                List.of(0.5, 0.99),
                q -> latency.quantileMicros(q) / 1e6,
                () -> latency.sumMicros() / 1e6,
                latency::count);
    try (OpsServer server =
        new OpsServer(new InetSocketAddress("127.0.0.1", 0), metrics, () -> null)) {
      String body = get(server, "/metrics").body();
      assertThat(body)
          .contains("# TYPE argosy_delivery_latency_seconds summary\n")
          .contains("argosy_delivery_latency_seconds_sum 500.5\n")
          .contains("argosy_delivery_latency_seconds_count 1000\n");
      assertThat(sample(body, "argosy_delivery_latency_seconds{quantile=\"0.5\"}"))
          .isCloseTo(0.5, within(0.5 * 0.03));
      assertThat(sample(body, "argosy_delivery_latency_seconds{quantile=\"0.99\"}"))
          .isCloseTo(0.99, within(0.99 * 0.03));
    }
    assertThat(
            new MetricsRegistry()
                .summary("x", "x", List.of(0.5), q -> Double.NaN, () -> 0, () -> 0)
                .scrape())
        .as("no observations yet")
        .contains("x{quantile=\"0.5\"} NaN\n");
  }

  private static double sample(String scrape, String sample) {
    return scrape
        .lines()
        .filter(line -> line.startsWith(sample + " "))
        .mapToDouble(line -> Double.parseDouble(line.substring(sample.length() + 1)))
        .findFirst()
        .orElseThrow(() -> new AssertionError(sample + " not in " + scrape));
  }

  @Test
  void healthSaysWhatIsWrong() throws Exception {
    AtomicReference<String> problem = new AtomicReference<>();
    try (OpsServer server =
        new OpsServer(new InetSocketAddress("127.0.0.1", 0), new MetricsRegistry(), problem::get)) {
      assertThat(get(server, "/health").statusCode()).isEqualTo(200);
      problem.set("capture on eth0 stopped");
      HttpResponse<String> unhealthy = get(server, "/health");
      assertThat(unhealthy.statusCode()).isEqualTo(503);
      assertThat(unhealthy.body()).contains("capture on eth0 stopped");
    }
  }

  @Test
  void rejectsBadMetricNamesAndTypeClashes() {
    MetricsRegistry metrics = new MetricsRegistry();
    assertThatThrownBy(() -> metrics.counter("bad name", "x", () -> 0))
        .hasMessageContaining("bad name");
    metrics.counter("argosy_x_total", "x", () -> 0);
    assertThatThrownBy(() -> metrics.gauge("argosy_x_total", "x", () -> 0))
        .hasMessageContaining("COUNTER");
  }
}
