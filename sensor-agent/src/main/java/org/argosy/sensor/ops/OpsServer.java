package org.argosy.sensor.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The sensor's operations endpoint: {@code /metrics} in Prometheus text format and {@code /health}
 * (200 when healthy, 503 with the reason otherwise). Binds where it is told, 127.0.0.1 by default
 * in the sensor's configuration; serves from one daemon thread.
 */
public final class OpsServer implements AutoCloseable {

  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** Null when healthy, otherwise what is wrong. */
  @FunctionalInterface
  public interface HealthCheck {
    String problem();
  }

  private final HttpServer server;

  public OpsServer(InetSocketAddress address, MetricsRegistry metrics, HealthCheck health) {
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address + " for metrics", e);
    }
    server.createContext(
        "/metrics", exchange -> respond(exchange, 200, PROMETHEUS_TEXT, metrics::scrape));
    server.createContext(
        "/health",
        exchange -> {
          String problem = health.problem();
          respond(
              exchange,
              problem == null ? 200 : 503,
              "text/plain; charset=utf-8",
              () -> problem == null ? "ok\n" : problem + "\n");
        });
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "ops-endpoint");
              thread.setDaemon(true);
              return thread;
            }));
    server.start();
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(
      HttpExchange exchange, int status, String contentType, Supplier<String> body)
      throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", contentType);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
