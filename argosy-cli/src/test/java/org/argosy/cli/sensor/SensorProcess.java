package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code argosy sensor ...} as a child JVM, as an operator runs it: signals, exit status, its log
 * and its metrics endpoint. Give it {@code --metrics 127.0.0.1:0} to scrape it; the port it bound
 * is read from its log.
 */
public final class SensorProcess implements AutoCloseable {

  private static final Pattern METRICS_LINE =
      Pattern.compile("sensor: metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics");

  private final Process process;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();
  private int metricsPort = -1;

  private SensorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code argosy sensor ARGS} with extra ARGOSY_SENSOR_* variables. */
  public static SensorProcess start(Path log, Map<String, String> environment, String... args)
      throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "sensor";
    System.arraycopy(args, 0, command, 1, args.length);
    return new SensorProcess(
        ChildJava.start(
            ChildJava.command(List.of(), "org.argosy.cli.Argosy", command), environment, log),
        log);
  }

  /** Returns once every interface is being captured (and the metrics endpoint is up). */
  public SensorProcess awaitCapturing() throws Exception {
    ChildJava.awaitLine(log, line -> line.startsWith("sensor: capturing on"), process);
    return this;
  }

  /** The current value of a metric sample, e.g. {@code argosy_sensor_packets_total}. */
  public double metric(String sample) throws Exception {
    Matcher value = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(scrape());
    assertThat(value.find()).as("sample %s in the scrape", sample).isTrue();
    return Double.parseDouble(value.group(1));
  }

  /** The whole Prometheus text of {@code /metrics}. */
  String scrape() throws Exception {
    if (metricsPort < 0) {
      Matcher line =
          METRICS_LINE.matcher(
              ChildJava.awaitLine(log, l -> METRICS_LINE.matcher(l).find(), process));
      assertThat(line.find()).isTrue();
      metricsPort = Integer.parseInt(line.group(1));
    }
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** Polls a metric until it reaches {@code atLeast}, for up to {@code timeout}. */
  void awaitMetric(String sample, double atLeast, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    double value = metric(sample);
    while (value < atLeast) {
      assertThat(System.nanoTime())
          .as("%s reached %s of %s within %s; log: %s", sample, value, atLeast, timeout, log())
          .isLessThan(deadline);
      assertThat(process.isAlive()).as("sensor still running: %s", log()).isTrue();
      Thread.sleep(100);
      value = metric(sample);
    }
  }

  /**
   * Sends SIGTERM and waits for the exit.
   *
   * @return the time from the signal to the exit
   */
  public Duration terminate(Duration atMost) throws Exception {
    long start = System.nanoTime();
    process.destroy();
    assertThat(process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS))
        .as("exited within %s of SIGTERM; log: %s", atMost, log())
        .isTrue();
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Waits for the process to end by itself (a capture file read to its end) and its status. */
  int awaitExit(Duration atMost) throws Exception {
    assertThat(process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS))
        .as("ended within %s; log: %s", atMost, log())
        .isTrue();
    return process.exitValue();
  }

  /** SIGKILL: no chance to write anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  /**
   * SIGSTOP, or SIGCONT with {@code stopped} false: a sensor that falls behind without losing
   * anything (the kernel buffers what it captures meanwhile, with the packets' own timestamps).
   */
  void signalStopped(boolean stopped) throws Exception {
    Process signal =
        new ProcessBuilder("kill", stopped ? "-STOP" : "-CONT", Long.toString(process.pid()))
            .inheritIO()
            .start();
    assertThat(signal.waitFor(10, TimeUnit.SECONDS) && signal.exitValue() == 0)
        .as("kill %s %d", stopped ? "-STOP" : "-CONT", process.pid())
        .isTrue();
  }

  public int exitValue() {
    return process.exitValue();
  }

  public long pid() {
    return process.pid();
  }

  public String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }
}
