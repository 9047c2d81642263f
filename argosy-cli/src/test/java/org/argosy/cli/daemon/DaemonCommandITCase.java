package org.argosy.cli.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code argosy daemon} as a user runs it through {@code ./argosy}: started, used by ra, racluster
 * and rasort with the same output and exit codes as without it, stopped, and the commands run as
 * before.
 */
class DaemonCommandITCase {

  @TempDir static Path dir;
  static Path socket;
  static Path flows;

  private record Result(int code, String out, String err) {}

  @BeforeAll
  static void meterTheBundledCapture() throws Exception {
    socket = dir.resolve("run/tools.sock");
    flows = dir.resolve("demo.avro");
    Result sensor = shell("./argosy sensor -r samples/demo.pcap -w " + flows, Map.of());
    assertThat(sensor.code()).as(sensor.err()).isZero();
  }

  @AfterAll
  static void stopIt() throws Exception {
    shell("./argosy daemon stop", Map.of());
  }

  /** A shell line run from the project root, as a user types it, with ./argosy's socket set. */
  private static Result shell(String line, Map<String, String> environment) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("bash", "-c", line).directory(projectRoot().toFile());
    builder.environment().put("ARGOSY_NO_BUILD", "1"); // already built by this Maven run
    builder.environment().put("ARGOSY_RESIDENT_SOCKET", socket.toString());
    builder.environment().putAll(environment);
    Path err = Files.createTempFile(dir, "err", ".txt");
    builder.redirectError(err.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
    return new Result(
        process.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
  }

  private static Path projectRoot() {
    return Path.of(System.getProperty("argosy.project.root", "..")).toAbsolutePath().normalize();
  }

  @Test
  void startedItRunsTheFileToolsAsTheyRunWithoutIt() throws Exception {
    assertThat(shell("./argosy daemon status", Map.of()).code()).isEqualTo(1);
    Result started = shell("./argosy daemon start --idle-timeout PT10M", Map.of());
    assertThat(started.code()).as(started.err()).isZero();
    assertThat(started.out()).startsWith("started: pid ").contains(socket.toString());
    assertThat(Files.getPosixFilePermissions(socket.getParent()))
        .hasSize(3)
        .allMatch(p -> p.name().startsWith("OWNER"));
    assertThat(shell("./argosy daemon start", Map.of()).out()).startsWith("already running");

    List<String> lines =
        List.of(
            "./argosy racluster -r " + flows + " -m proto dport",
            "./argosy ra -r " + flows + " -n -s stime saddr daddr dport bytes - tcp",
            "./argosy racluster -r "
                + flows
                + " -w - -m proto dport | ./argosy rasort -r - -m"
                + " bytes load -s dport bytes load | head -n10",
            "./argosy racluster -r " + flows + " -m dprot");
    for (String line : lines) {
      Result own = shell(line, Map.of("ARGOSY_RESIDENT", "0"));
      Result resident = shell(line, Map.of());
      assertThat(resident).as(line).isEqualTo(own);
    }
    assertThat(shell("./argosy daemon status", Map.of()).out()).contains("5 commands served");

    Result stopped = shell("./argosy daemon stop", Map.of());
    assertThat(stopped.code()).isZero();
    assertThat(socket).doesNotExist();
    assertThat(shell("./argosy daemon status", Map.of()).out()).startsWith("not running");
    Result after = shell(lines.get(0), Map.of());
    assertThat(after).isEqualTo(shell(lines.get(0), Map.of("ARGOSY_RESIDENT", "0")));
  }
}
