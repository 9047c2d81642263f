package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.argosy.avro.FlowCause;
import org.argosy.avro.FlowRecord;
import org.argosy.query.IpAddresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code argosy sensor -i} on a live interface: two network namespaces created by the test, joined
 * by a veth pair (10.231.0.1 and .2 exist only inside them); the sensor captures on the client's
 * end, {@link NamespaceTraffic} runs on both, then the sensor gets SIGTERM and must write every
 * flow as a final record. Skipped, with the reason, when namespaces cannot be created (not root, no
 * iproute2).
 */
class LiveCaptureITCase {

  private static final String CLIENT_ADDRESS = "10.231.0.1";
  private static final String SERVER_ADDRESS = "10.231.0.2";

  private final String clientNs = "argosy-live-c-" + ProcessHandle.current().pid();
  private final String serverNs = "argosy-live-s-" + ProcessHandle.current().pid();
  private final List<Process> started = new ArrayList<>();

  @BeforeEach
  void createNamespaces() throws Exception {
    String failure = run("ip", "netns", "add", clientNs);
    Assumptions.assumeTrue(
        failure == null, "cannot create network namespaces (needs root and iproute2): " + failure);
    require(run("ip", "netns", "add", serverNs));
    require(
        run(
            "ip", "netns", "exec", clientNs, "ip", "link", "add", "vc", "type", "veth", "peer",
            "name", "vs"));
    require(run("ip", "netns", "exec", clientNs, "ip", "link", "set", "vs", "netns", serverNs));
    configure(clientNs, "vc", CLIENT_ADDRESS);
    configure(serverNs, "vs", SERVER_ADDRESS);
  }

  @AfterEach
  void deleteNamespaces() throws Exception {
    for (Process process : started) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    run("ip", "netns", "del", clientNs);
    run("ip", "netns", "del", serverNs);
  }

  @Test
  void capturesTheConversationsAndWritesEveryFlowOnSigterm(@TempDir Path work) throws Exception {
    Path out = work.resolve("live.avro");
    Path sensorLog = work.resolve("sensor.log");
    Process sensor =
        start(
            clientNs,
            sensorLog,
            "org.argosy.cli.Argosy",
            "sensor",
            "-i",
            "vc",
            "-w",
            out.toString(),
            "-S",
            "1",
            "--site",
            "lab");
    awaitLine(sensorLog, line -> line.contains("capturing on vc"), sensor);
    Process server =
        start(serverNs, work.resolve("server.log"), NamespaceTraffic.class.getName(), "server");
    awaitLine(work.resolve("server.log"), line -> line.equals("listening"), server);

    Process client =
        start(
            clientNs,
            work.resolve("client.log"),
            NamespaceTraffic.class.getName(),
            "client",
            SERVER_ADDRESS);
    assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(client.exitValue()).as(Files.readString(work.resolve("client.log"))).isZero();
    assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
    // no packets from now on: only the wall-clock tick can cut the records of the slots just ended
    // (it runs once a second, 2 s behind the clock, with 1 s slots: at most 4 s)
    Thread.sleep(6000);
    sensor.destroy(); // SIGTERM
    assertThat(sensor.waitFor(60, TimeUnit.SECONDS)).isTrue();

    String log = Files.readString(sensorLog);
    assertThat(log).containsPattern("vc: \\d+ packets received, 0 dropped by the kernel");
    List<FlowRecord> records = FlowRecordFiles.read(out);
    assertThat(records).allSatisfy(r -> assertThat(r.getIface()).isEqualTo("vc"));

    List<FlowRecord> echo = conversation(records, 6, NamespaceTraffic.TCP_PORT);
    assertThat(echo.stream().mapToLong(FlowRecord::getSappbytes).sum())
        .isEqualTo(NamespaceTraffic.TCP_BYTES);
    assertThat(echo.stream().mapToLong(FlowRecord::getDappbytes).sum())
        .isEqualTo(NamespaceTraffic.TCP_BYTES);
    // Argus shows FIN for a connection closed by both sides, and -> once the SYN was seen
    assertThat(echo.get(echo.size() - 1).getState()).isEqualTo("FIN");
    assertThat(echo).extracting(FlowRecord::getDirection).containsOnly("->");

    List<FlowRecord> udp = conversation(records, 17, NamespaceTraffic.UDP_PORT);
    assertThat(udp.stream().mapToLong(FlowRecord::getSpkts).sum())
        .isEqualTo(NamespaceTraffic.UDP_EXCHANGES);
    assertThat(udp.stream().mapToLong(FlowRecord::getDpkts).sum())
        .isEqualTo(NamespaceTraffic.UDP_EXCHANGES);
    assertThat(udp.stream().mapToLong(FlowRecord::getSappbytes).sum())
        .isEqualTo(NamespaceTraffic.UDP_EXCHANGES * NamespaceTraffic.UDP_BYTES);
    assertThat(udp)
        .as("cut by the tick on the idle interface, nothing left for the final flush")
        .extracting(FlowRecord::getCause)
        .doesNotContain(FlowCause.END);

    List<FlowRecord> refused = conversation(records, 6, NamespaceTraffic.CLOSED_PORT);
    assertThat(refused).extracting(FlowRecord::getState).containsOnly("RST");

    assertThat(records)
        .anySatisfy(
            r -> {
              assertThat(r.getProto()).isEqualTo(1);
              assertThat(IpAddresses.format(r.getSaddr())).isEqualTo(CLIENT_ADDRESS);
              assertThat(r.getDpkts()).isPositive();
            });
  }

  /** The records of the client's conversation to {@code port}, in emission order. */
  private static List<FlowRecord> conversation(List<FlowRecord> records, int proto, int port) {
    List<FlowRecord> matching =
        records.stream()
            .filter(r -> r.getProto() != null && r.getProto() == proto)
            .filter(r -> r.getDport() != null && r.getDport() == port)
            .filter(r -> IpAddresses.format(r.getSaddr()).equals(CLIENT_ADDRESS))
            .toList();
    assertThat(matching).as("records of %d/%d", proto, port).isNotEmpty();
    return matching;
  }

  private void configure(String namespace, String device, String address) throws Exception {
    require(
        run("ip", "netns", "exec", namespace, "ip", "addr", "add", address + "/24", "dev", device));
    require(run("ip", "netns", "exec", namespace, "ip", "link", "set", device, "up"));
    require(run("ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up"));
  }

  /** Starts a Java main class of this module's class path inside {@code namespace}. */
  private Process start(String namespace, Path log, String mainClass, String... args)
      throws IOException {
    Process process =
        ChildJava.start(
            ChildJava.command(List.of("ip", "netns", "exec", namespace), mainClass, args),
            Map.of(),
            log);
    started.add(process);
    return process;
  }

  private static void awaitLine(Path log, Predicate<String> wanted, Process process)
      throws Exception {
    ChildJava.awaitLine(log, wanted, process);
  }

  /** Runs a command to its end; null on success, else its output. */
  private static String run(String... command) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    String output;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      output = String.join("\n", reader.lines().toList());
    }
    return process.waitFor() == 0 ? null : String.join(" ", command) + ": " + output;
  }

  private static void require(String failure) {
    assertThat(failure).as("setup command failed").isNull();
  }
}
