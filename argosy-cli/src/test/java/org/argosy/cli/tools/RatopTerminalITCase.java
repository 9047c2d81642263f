package org.argosy.cli.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ratop in a real terminal: tmux runs {@code ./argosy ratop}, the test reads the screen, switches
 * the order with a key, and quits with q.
 */
class RatopTerminalITCase {

  private static final String SESSION = "argosy-ratop-test";

  @TempDir Path dir;

  private static Path projectRoot() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(projectRoot().toFile());
    builder.environment().put("ARGOSY_NO_BUILD", "1");
    builder.redirectErrorStream(true);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
    return output;
  }

  private static String screen() throws IOException, InterruptedException {
    return run("tmux", "capture-pane", "-t", SESSION, "-p");
  }

  private static String awaitScreen(Predicate<String> shows) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String screen = screen();
    while (!shows.test(screen) && System.nanoTime() < deadline) {
      Thread.sleep(300);
      screen = screen();
    }
    return screen;
  }

  @AfterEach
  void killSession() throws Exception {
    new ProcessBuilder("tmux", "kill-session", "-t", SESSION).start().waitFor();
  }

  @Test
  void showsTopKeysSwitchesOrderAndQuits() throws Exception {
    Path flows = dir.resolve("demo.avro");
    run("./argosy", "sensor", "-r", "samples/demo.pcap", "-w", flows.toString());

    run(
        "tmux",
        "new-session",
        "-d",
        "-s",
        SESSION,
        "-x",
        "150",
        "-y",
        "30",
        "ARGOSY_NO_BUILD=1 ./argosy ratop -r "
            + flows
            + " -m proto dport -N 5;"
            + " echo RATOP-EXIT=$?; sleep 60");
    String first = awaitScreen(s -> s.contains("sorted by bytes") && s.contains("   5  "));
    assertThat(first).contains("top 5 of 14").contains("tcp   http ");
    List<String> rows = first.lines().filter(l -> l.matches("\\s+\\d+  .*")).toList();
    assertThat(rows).hasSize(5);
    assertThat(rows.get(0)).contains("2023013"); // http carries the most bytes

    run("tmux", "send-keys", "-t", SESSION, "p");
    assertThat(awaitScreen(s -> s.contains("sorted by pkts"))).contains("sorted by pkts");
    run("tmux", "send-keys", "-t", SESSION, "+");
    assertThat(awaitScreen(s -> s.contains("top 10 of 14"))).contains("top 10 of 14");

    run("tmux", "send-keys", "-t", SESSION, "q");
    assertThat(awaitScreen(s -> s.contains("RATOP-EXIT="))).contains("RATOP-EXIT=0");
  }
}
