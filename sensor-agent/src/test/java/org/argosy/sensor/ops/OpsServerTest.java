package org.argosy.sensor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
