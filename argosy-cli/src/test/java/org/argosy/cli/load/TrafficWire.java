package org.argosy.cli.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.argosy.cli.Commands;
import org.argosy.cli.sensor.ChildJava;

/**
 * A traffic source wired to this host, for load tests: a network namespace whose {@code eth0}
 * (10.79.0.1/24) is one end of a veth pair; the other end is {@link #captureInterface()} here, up
 * and without any address, for the sensor to capture. The namespace sends to destinations 10.79.0.2
 * and up whose MAC (static neighbours, no ARP) is not this end's: the kernel here sees frames for
 * another host and drops them after the capture taps, so nothing answers, nothing is routed
 * anywhere, and the interface carries exactly the generated packets. {@link #close} deletes the
 * namespace and with it both ends.
 */
final class TrafficWire implements AutoCloseable {

  static final String SOURCE = "10.79.0.1";
  static final String FIRST_DESTINATION = "10.79.0.2";

  private static final String DESTINATION_MAC = "02:79:00:00:00:02";
  private static final String CAPTURE_MAC = "02:79:00:00:00:fe";
  private static final long COMMAND_TIMEOUT_SECONDS = 30;

  private final String namespace;
  private final String captureInterface;
  private final List<Process> started = new ArrayList<>();

  private TrafficWire(String namespace, String captureInterface) {
    this.namespace = namespace;
    this.captureInterface = captureInterface;
  }

  /** Whether this process may create namespaces: null if so, else why not. */
  static String unavailable() {
    String probe = "argosy-load-probe-" + ProcessHandle.current().pid();
    try {
      run("ip", "netns", "add", probe);
      run("ip", "netns", "del", probe);
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Creates the namespace and the wire, with static neighbours for {@code destinations}. */
  static TrafficWire create(int destinations) throws IOException {
    long pid = ProcessHandle.current().pid();
    TrafficWire wire = new TrafficWire("argosy-load-" + pid, "aload" + pid);
    try {
      wire.build(destinations);
    } catch (IOException | RuntimeException e) {
      wire.close();
      throw e;
    }
    return wire;
  }

  private void build(int destinations) throws IOException {
    run("ip", "netns", "add", namespace);
    inside("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
    inside("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1");
    inside("ip", "link", "set", "lo", "up");
    run(
        "ip",
        "link",
        "add",
        captureInterface,
        "address",
        CAPTURE_MAC,
        "type",
        "veth",
        "peer",
        "name",
        "eth0",
        "netns",
        namespace);
    // No IPv6 router or neighbour solicitations, no forwarding: only the generated packets.
    run("sysctl", "-qw", "net.ipv6.conf." + captureInterface + ".disable_ipv6=1");
    run("sysctl", "-qw", "net.ipv4.conf." + captureInterface + ".forwarding=0");
    run("ip", "link", "set", captureInterface, "up");
    inside("ip", "addr", "add", SOURCE + "/24", "dev", "eth0");
    inside("ip", "link", "set", "eth0", "up");
    String[] octets = FIRST_DESTINATION.split("\\.");
    for (int d = 0; d < destinations; d++) {
      String destination =
          octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + d);
      inside(
          "ip",
          "neigh",
          "replace",
          destination,
          "lladdr",
          DESTINATION_MAC,
          "dev",
          "eth0",
          "nud",
          "permanent");
    }
    awaitCarrier();
  }

  /** The interface here that sees every generated packet. */
  String captureInterface() {
    return captureInterface;
  }

  /** Packets received on {@link #captureInterface()} so far, as the kernel counts them. */
  long receivedPackets() throws IOException {
    return Long.parseLong(
        Files.readString(Path.of("/sys/class/net", captureInterface, "statistics", "rx_packets"))
            .strip());
  }

  /** Starts {@link SoakTraffic} in the namespace, its output going to {@code log}. */
  Process startTraffic(Path log, String... args) throws IOException {
    return startInside(
        ChildJava.command(List.of(), List.of("-Xmx256m"), SoakTraffic.class.getName(), args), log);
  }

  /** Starts a command in the namespace (its interface is eth0), its output going to {@code log}. */
  Process startInside(List<String> command, Path log) throws IOException {
    List<String> inside = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    inside.addAll(command);
    Process process = ChildJava.start(inside, Map.of(), log);
    started.add(process);
    return process;
  }

  /** The veth brings its carrier up asynchronously; until then the kernel drops what is sent. */
  private void awaitCarrier() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_TIMEOUT_SECONDS);
    Path here = Path.of("/sys/class/net", captureInterface, "operstate");
    while (!Files.readString(here).strip().equals("up")
        || !run("ip", "netns", "exec", namespace, "cat", "/sys/class/net/eth0/operstate")
            .strip()
            .equals("up")) {
      if (System.nanoTime() > deadline) {
        throw new IOException("the traffic wire " + captureInterface + " never came up");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }

  @Override
  public void close() {
    for (Process process : started) {
      process.destroyForcibly();
    }
    try {
      run("ip", "netns", "del", namespace);
    } catch (IOException e) {
      // not created, or already gone: nothing to clean up
    }
  }

  private void inside(String... command) throws IOException {
    List<String> words = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    words.addAll(List.of(command));
    run(words.toArray(String[]::new));
  }

  /** Runs a command to its end and returns its output; a failure is an exception with it. */
  private static String run(String... command) throws IOException {
    return Commands.output(Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS), List.of(command));
  }
}
