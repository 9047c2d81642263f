package org.argosy.cli.alerts;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.argosy.cli.Commands;

/**
 * Two hosts in network namespaces of their own, joined by one veth pair: a wire between two
 * machines of 10.77.0.0/24 that exists only inside them. As in samples/make-demo-pcap.sh: IPv6 off,
 * static neighbours (no ARP), checksum and segmentation offloads off (frames as on a wire, at most
 * 1514 bytes), and addresses with their broadcast address set. {@link #close} ends every process
 * started here and deletes both namespaces.
 */
final class NamespacePair implements AutoCloseable {

  /** One end: its namespace, address and MAC; its interface is {@code eth0}. */
  record Host(String namespace, String address, String mac) {}

  private static final long COMMAND_TIMEOUT_SECONDS = 30;

  /** How long a capture file must stay the same size to count as complete. */
  private static final long STABLE_MILLIS = 500;

  private final Host first;
  private final Host second;
  private final List<Process> started = new ArrayList<>();

  private NamespacePair(Host first, Host second) {
    this.first = first;
    this.second = second;
  }

  /** Whether this process may create namespaces and has the tools: null if so, else why not. */
  static String unavailable() {
    String probe = "argosy-alerts-probe-" + ProcessHandle.current().pid();
    try {
      run("tcpdump", "--version");
      run("ethtool", "--version");
      run("ip", "netns", "add", probe);
      run("ip", "netns", "del", probe);
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  /** Creates both namespaces; {@code label} keeps concurrent pairs apart. */
  static NamespacePair create(String label, String firstAddress, String secondAddress)
      throws IOException {
    String prefix = "argosy-" + label + "-" + ProcessHandle.current().pid();
    NamespacePair pair =
        new NamespacePair(
            new Host(prefix + "-a", firstAddress, mac(firstAddress)),
            new Host(prefix + "-b", secondAddress, mac(secondAddress)));
    try {
      pair.wire();
    } catch (IOException | RuntimeException e) {
      pair.close();
      throw e;
    }
    return pair;
  }

  /** A locally administered MAC ending in the address's last two octets. */
  private static String mac(String address) {
    String[] octets = address.split("\\.");
    return String.format(
        "02:77:00:00:%02x:%02x", Integer.parseInt(octets[2]), Integer.parseInt(octets[3]));
  }

  private void wire() throws IOException {
    for (Host host : List.of(first, second)) {
      run("ip", "netns", "add", host.namespace());
      in(host, "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
      in(host, "ip link set lo up");
    }
    in(
        first,
        "ip link add eth0 address %s type veth peer name eth0 address %s netns %s",
        first.mac(),
        second.mac(),
        second.namespace());
    for (Host host : List.of(first, second)) {
      Host other = host == first ? second : first;
      in(host, "ethtool -K eth0 rx off tx off sg off tso off gso off gro off");
      in(host, "ip addr add %s/24 brd + dev eth0", host.address());
      in(host, "ip link set eth0 up");
      in(
          host,
          "ip neigh replace %s lladdr %s dev eth0 nud permanent",
          other.address(),
          other.mac());
    }
    awaitCarrier();
  }

  /** Runs a command line of words without quoting (formatted from {@code args}) in {@code host}. */
  private static void in(Host host, String words, Object... args) throws IOException {
    output(inside(host, List.of(words.formatted(args).split(" "))));
  }

  /**
   * Waits until both ends have carrier: until then the kernel drops what a host sends (the link
   * watcher brings a veth up asynchronously, up to a second after {@code ip link set up}).
   */
  private void awaitCarrier() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_TIMEOUT_SECONDS);
    for (Host host : List.of(first, second)) {
      while (!output(inside(host, List.of("cat", "/sys/class/net/eth0/operstate")))
          .strip()
          .equals("up")) {
        if (System.nanoTime() > deadline) {
          throw new IOException("eth0 of " + host.namespace() + " never came up");
        }
        pause(20);
      }
    }
  }

  /**
   * Gives {@code owner} {@code count} more addresses of the subnet, from {@code from} on (the last
   * octet counting up), which the other host reaches directly (static neighbours).
   */
  void addAddresses(Host owner, String from, int count) throws IOException {
    Host other = owner == first ? second : first;
    String[] octets = from.split("\\.");
    String prefix = octets[0] + "." + octets[1] + "." + octets[2] + ".";
    for (int last = Integer.parseInt(octets[3]); count-- > 0; last++) {
      run("ip", "-n", owner.namespace(), "addr", "add", prefix + last + "/24", "dev", "eth0");
      run(
          "ip",
          "-n",
          other.namespace(),
          "neigh",
          "replace",
          prefix + last,
          "lladdr",
          owner.mac(),
          "dev",
          "eth0",
          "nud",
          "permanent");
    }
  }

  Host first() {
    return first;
  }

  Host second() {
    return second;
  }

  /** Runs a command inside {@code host}'s namespace to its end; fails unless it exits 0. */
  void exec(Host host, String... command) throws IOException {
    output(inside(host, List.of(command)));
  }

  /** Starts a {@link ScenarioTraffic} mode inside {@code host}'s namespace. */
  Process traffic(Host host, Path log, String... args) throws IOException {
    List<String> java = new ArrayList<>();
    java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    java.add("-Xmx64m");
    java.add("-cp");
    java.add(ownClasses());
    java.add(ScenarioTraffic.class.getName());
    java.addAll(List.of(args));
    return start(host, log, java);
  }

  /** Starts {@code command} inside {@code host}'s namespace, output and errors to {@code log}. */
  Process start(Host host, Path log, List<String> command) throws IOException {
    Process process =
        new ProcessBuilder(inside(host, command))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(new File("/dev/null"))
            .start();
    started.add(process);
    return process;
  }

  /** What runs while {@link #capture} captures. */
  interface Traffic {
    void run() throws Exception;
  }

  /**
   * Captures {@code host}'s {@code eth0} with tcpdump (snaplen 96, as samples/elephant.pcap) into
   * {@code pcap} while {@code traffic} runs. tcpdump runs in immediate mode and writes each packet
   * as it comes, and is stopped only once the file has stopped growing: on SIGTERM it exits at
   * once, and whatever the kernel still held for it would be lost without a word. Fails unless it
   * wrote every packet the kernel passed it.
   */
  void capture(Host host, Path pcap, Traffic traffic) throws Exception {
    Path log = pcap.resolveSibling(pcap.getFileName() + ".log");
    String tcpdump = "tcpdump -i eth0 -n -s 96 -B 16384 --immediate-mode -U -Z root -w " + pcap;
    Process capture = start(host, log, List.of(tcpdump.split(" ")));
    awaitOutput(capture, log, "listening on");
    traffic.run();
    long size = -1;
    while (Files.size(pcap) != size) {
      size = Files.size(pcap);
      pause(STABLE_MILLIS);
    }
    capture.destroy();
    String counters = finish(capture, log, COMMAND_TIMEOUT_SECONDS);
    Matcher captured = Pattern.compile("(\\d+) packets captured").matcher(counters);
    Matcher received = Pattern.compile("(\\d+) packets received by filter").matcher(counters);
    if (!captured.find()
        || !received.find()
        || !captured.group(1).equals(received.group(1))
        || !counters.contains("\n0 packets dropped by kernel")) {
      throw new IOException("tcpdump did not write every packet: " + counters);
    }
  }

  /** Runs a started process to its end, failing with its output unless it exits 0 in time. */
  static String finish(Process process, Path log, long timeoutSeconds)
      throws IOException, InterruptedException {
    boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    String output = Files.readString(log);
    if (!ended || process.exitValue() != 0) {
      throw new IOException(
          (ended ? "exit " + process.exitValue() : "still running after " + timeoutSeconds + " s")
              + ": "
              + output);
    }
    return output;
  }

  /** Waits until {@code log} has a line containing {@code text}, failing if the process ends. */
  static void awaitOutput(Process process, Path log, String text)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_TIMEOUT_SECONDS);
    while (!(Files.exists(log) && Files.readString(log).contains(text))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(
            "no '"
                + text
                + "' from "
                + process.info().commandLine().orElse("?")
                + ": "
                + (Files.exists(log) ? Files.readString(log) : ""));
      }
      Thread.sleep(50);
    }
  }

  @Override
  public void close() {
    for (Process process : started) {
      process.destroyForcibly();
    }
    for (Host host : List.of(first, second)) {
      try {
        run("ip", "netns", "del", host.namespace());
      } catch (IOException e) {
        // never created, or already gone
      }
    }
  }

  private static List<String> inside(Host host, List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
    full.addAll(command);
    return full;
  }

  /** The directory (or jar) this class was loaded from: all that ScenarioTraffic needs. */
  private static String ownClasses() {
    try {
      return Path.of(
              ScenarioTraffic.class.getProtectionDomain().getCodeSource().getLocation().toURI())
          .toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(String... command) throws IOException {
    output(List.of(command));
  }

  private static void pause(long millis) throws IOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Runs a command to its end and returns its output; fails unless it exits 0 in time. */
  private static String output(List<String> command) throws IOException {
    return Commands.output(Duration.ofSeconds(COMMAND_TIMEOUT_SECONDS), command);
  }
}
