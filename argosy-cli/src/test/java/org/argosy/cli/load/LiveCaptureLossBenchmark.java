package org.argosy.cli.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.argosy.cli.sensor.ChildJava;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live capture under load, against argus at the same rates: {@code tcpreplay} sends {@code
 * samples/demo.pcap} (real traffic, frames of 60 to 1514 bytes) over and over at a fixed packet
 * rate onto a veth wire ({@link TrafficWire}); {@code argosy sensor -i} with its defaults, then
 * {@code argus -i}, capture the other end, one after the other, for 10 s per rate. A packet is lost
 * when the interface received it (the kernel's rx_packets of the capture end) but the tool did not
 * meter it (the sensor's packet counter; the sum of argus's flow records' packets). Prints one
 * {@code BENCHMARK live-loss} line per rate and tool, and the highest rate each lost nothing at.
 *
 * <p>{@code mvn -B -Pbench verify -pl argosy-cli -Dtest=LiveCaptureLossBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; needs root, tcpreplay and argus ({@code apt-get install
 * tcpreplay argus-server argus-client}). {@code -Dbench.rates=50000,100000} picks the rates.
 */
class LiveCaptureLossBenchmark {

  private static final int SECONDS = 10;
  private static final Pattern SENSOR_PACKETS = Pattern.compile("sensor: (\\d+) packets, ");
  private static final Pattern REPLAY_RATE =
      Pattern.compile("Rated: [\\d.]+ Bps, [\\d.]+ Mbps, ([\\d.]+) pps");

  /** One run: what the interface received in it and what the tool metered. */
  record Trial(String tool, long requestedRate, double sentRate, long received, long metered) {
    long lost() {
      return received - metered;
    }
  }

  @Test
  void highestRateWithoutLossAgainstArgus(@TempDir Path dir) throws Exception {
    String why = TrafficWire.unavailable();
    assumeTrue(why == null, "cannot create network namespaces: " + why);
    assumeTrue(onPath("tcpreplay") && onPath("argus") && onPath("ra"), "tcpreplay and argus");
    Path capture = Path.of(System.getProperty("argosy.project.root")).resolve("samples/demo.pcap");
    List<Long> rates = new ArrayList<>();
    for (String rate :
        System.getProperty("bench.rates", "50000,100000,200000,300000,400000,600000").split(",")) {
      rates.add(Long.parseLong(rate.strip()));
    }
    List<Trial> trials = new ArrayList<>();
    try (TrafficWire wire = TrafficWire.create(1)) {
      for (long rate : rates) {
        for (String tool : List.of("sensor", "argus")) {
          Trial trial = run(tool, rate, wire, capture, dir);
          trials.add(trial);
          System.out.printf(
              Locale.ROOT,
              "BENCHMARK live-loss %s: requested %d packets/s, sent %.0f packets/s for %d s;"
                  + " received %d, metered %d, lost %d (%.3f%%)%n",
              tool,
              rate,
              trial.sentRate(),
              SECONDS,
              trial.received(),
              trial.metered(),
              trial.lost(),
              100.0 * trial.lost() / trial.received());
        }
      }
    }
    for (String tool : List.of("sensor", "argus")) {
      System.out.printf(
          Locale.ROOT,
          "BENCHMARK live-loss %s: highest sent rate without a lost packet %.0f packets/s%n",
          tool,
          trials.stream()
              .filter(t -> t.tool().equals(tool) && t.lost() == 0)
              .mapToDouble(Trial::sentRate)
              .max()
              .orElse(0));
    }
  }

  private static Trial run(String tool, long rate, TrafficWire wire, Path capture, Path dir)
      throws Exception {
    Path log = dir.resolve(tool + "-" + rate + ".log");
    Path output = dir.resolve(tool + "-" + rate + (tool.equals("sensor") ? ".avro" : ".argus"));
    Process capturing =
        tool.equals("sensor")
            ? ChildJava.start(
                ChildJava.command(
                    List.of(),
                    "org.argosy.cli.Argosy",
                    "sensor",
                    "-i",
                    wire.captureInterface(),
                    "-w",
                    output.toString()),
                Map.of(),
                log)
            : ChildJava.start(
                List.of(
                    "argus",
                    "-X",
                    "-P",
                    "0",
                    "-i",
                    wire.captureInterface(),
                    "-w",
                    output.toString()),
                Map.of(),
                log);
    if (tool.equals("sensor")) {
      ChildJava.awaitLine(log, line -> line.startsWith("sensor: capturing on"), capturing);
    } else {
      // argus says nothing when it is ready; its output file appears once the capture is open
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(output)) {
        assertThat(System.nanoTime())
            .as("argus started: %s", Files.readString(log))
            .isLessThan(deadline);
        Thread.sleep(50);
      }
      Thread.sleep(1_000);
    }
    long before = wire.receivedPackets();
    Path replayLog = dir.resolve("tcpreplay-" + tool + "-" + rate + ".log");
    Process replay =
        wire.startInside(
            List.of(
                "tcpreplay",
                "-i",
                "eth0",
                "--pps=" + rate,
                "--limit=" + rate * SECONDS,
                "--loop=0",
                capture.toString()),
            replayLog);
    assertThat(replay.waitFor(SECONDS * 6L, TimeUnit.SECONDS)).as("tcpreplay done").isTrue();
    String replayed = Files.readString(replayLog);
    assertThat(replay.exitValue()).as("tcpreplay: %s", replayed).isZero();
    Matcher sentRate = REPLAY_RATE.matcher(replayed);
    assertThat(sentRate.find()).as("tcpreplay's rate in %s", replayed).isTrue();
    Thread.sleep(2_000); // the last packets through libpcap's buffer
    long received = wire.receivedPackets() - before;
    capturing.destroy(); // SIGTERM: both write their last records and end
    assertThat(capturing.waitFor(60, TimeUnit.SECONDS)).as("%s ended", tool).isTrue();
    long metered = tool.equals("sensor") ? sensorPackets(log) : argusPackets(output, dir);
    return new Trial(tool, rate, Double.parseDouble(sentRate.group(1)), received, metered);
  }

  private static long sensorPackets(Path log) throws IOException {
    Matcher packets = SENSOR_PACKETS.matcher(Files.readString(log));
    assertThat(packets.find())
        .as("the sensor's final counters in %s", Files.readString(log))
        .isTrue();
    return Long.parseLong(packets.group(1));
  }

  /** The packets of every record argus wrote, summed. */
  private static long argusPackets(Path file, Path dir) throws Exception {
    Path out = dir.resolve("argus-packets.txt");
    Process ra =
        new ProcessBuilder("ra", "-r", file.toString(), "-n", "-s", "pkts", "-L", "-1")
            .redirectOutput(out.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    assertThat(ra.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(ra.exitValue()).isZero();
    return Files.readAllLines(out).stream().map(String::strip).mapToLong(Long::parseLong).sum();
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
