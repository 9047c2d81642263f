package org.argosy.sensor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.argosy.avro.FlowRecord;
import org.argosy.sensor.ProjectPaths;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.flow.FlowTableConfig;
import org.argosy.sensor.flow.SensorIdentity;
import org.argosy.sensor.publish.FlowRecordSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capture file to flow records: this sensor against {@code argus -r} and nfdump's {@code nfpcapd
 * -r} (NetFlow-style flows into nfcapd files) on the same capture, in the same run, as ratios. Runs
 * only with {@code mvn -Pbench verify -pl sensor-agent}. Captures: the bundled one repeated {@value
 * #COPIES} times, each copy shifted in time past the previous, and two synthesized ones of more
 * than a million packets (many short flows, also as pcapng; a few bulk transfers). Besides wall
 * time, CPU time: the sensor JVM's (all its threads, GC included) and the tools' processes' (user
 * and system), the fairer comparison on a machine shared with other work.
 */
class SensorVsArgusBenchmark {

  private static final int COPIES = 40;
  private static final int RUNS = 5;
  private static final int PCAP_GLOBAL_HEADER = 24;
  private static final int PCAP_RECORD_HEADER = 16;

  /** A line of bash's {@code times}: user and system time, as {@code 0m1.234s 0m0.056s}. */
  private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

  @Test
  void sensorAgainstArgusOnTheBundledCaptureRepeated(@TempDir Path work) throws Exception {
    Path root = ProjectPaths.root();
    compare(
        "demo.pcap x" + COPIES,
        repeat(root.resolve("samples/demo.pcap"), work.resolve("bench.pcap"), COPIES),
        work);
  }

  @Test
  void sensorAgainstArgusOnTwoHundredThousandShortFlows(@TempDir Path work) throws Exception {
    Path capture = work.resolve("short-flows.pcap");
    SyntheticCapture.shortFlows(capture, 200_000);
    compare("200K short TCP flows", capture, work);
  }

  /** The same short flows as pcapng (editcap's conversion), read by the pure-Java pcapng reader. */
  @Test
  void sensorAgainstArgusOnTwoHundredThousandShortFlowsAsPcapng(@TempDir Path work)
      throws Exception {
    Path pcap = work.resolve("short-flows.pcap");
    SyntheticCapture.shortFlows(pcap, 200_000);
    Path capture = work.resolve("short-flows.pcapng");
    Process editcap =
        new ProcessBuilder("editcap", "-F", "pcapng", pcap.toString(), capture.toString())
            .inheritIO()
            .start();
    assertThat(editcap.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(editcap.exitValue()).as("editcap exit code").isZero();
    compare("200K short TCP flows, pcapng", capture, work);
  }

  @Test
  void sensorAgainstArgusOnFourBulkTransfers(@TempDir Path work) throws Exception {
    Path capture = work.resolve("bulk.pcap");
    SyntheticCapture.bulkFlows(capture, 4, 200_000);
    compare("4 bulk TCP transfers", capture, work);
  }

  private static void compare(String name, Path capture, Path work) throws Exception {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long packets = 0;
    double[] sensorSeconds = new double[RUNS];
    double[] argusSeconds = new double[RUNS];
    double[] sensorCpu = new double[RUNS];
    double[] argusCpu = new double[RUNS];
    double[] nfpcapdSeconds = new double[RUNS];
    double[] nfpcapdCpu = new double[RUNS];
    for (int run = -1; run < RUNS; run++) { // run -1 warms up all three
      long start = System.nanoTime();
      long cpuStart = os.getProcessCpuTime();
      CountingSink sink = new CountingSink();
      Sensor sensor =
          new Sensor(
              FlowTableConfig.withStatusInterval(5), new SensorIdentity("b", "b", "b"), sink);
      sensor.readFile(capture);
      sensor.finish();
      double sensorTime = (System.nanoTime() - start) / 1e9;
      double sensorCpuTime = (os.getProcessCpuTime() - cpuStart) / 1e9;
      packets = sensor.counters().packets();

      Path argusOut = work.resolve("out.argus");
      Files.deleteIfExists(argusOut);
      double[] argus = timed(work, "argus -r \"$1\" -w \"$2\"", capture, argusOut);
      Path nfpcapdOut = work.resolve("nfpcapd");
      deleteRecursively(nfpcapdOut);
      Files.createDirectories(nfpcapdOut);
      double[] nfpcapd =
          timed(work, "nfpcapd -r \"$1\" -w \"$2\" > /dev/null", capture, nfpcapdOut);
      if (run >= 0) {
        sensorSeconds[run] = sensorTime;
        sensorCpu[run] = sensorCpuTime;
        argusSeconds[run] = argus[0];
        argusCpu[run] = argus[1];
        nfpcapdSeconds[run] = nfpcapd[0];
        nfpcapdCpu[run] = nfpcapd[1];
      }
    }
    double sensor = median(sensorSeconds);
    double argus = median(argusSeconds);
    double nfpcapd = median(nfpcapdSeconds);
    System.out.printf(
        Locale.ROOT,
        "%nBENCHMARK sensor-vs-argus %s: %d packets, %d MB; median of %d runs: sensor %.3f s (%.0f"
            + " packets/s), argus %.3f s (%.0f packets/s), nfpcapd %.3f s (%.0f packets/s);"
            + " argus time / sensor time = %.2f, nfpcapd time / sensor time = %.2f;"
            + " CPU: sensor JVM %.3f s, argus %.3f s, nfpcapd %.3f s, argus CPU / sensor CPU = %.2f,"
            + " nfpcapd CPU / sensor CPU = %.2f%n",
        name,
        packets,
        Files.size(capture) >> 20,
        RUNS,
        sensor,
        packets / sensor,
        argus,
        packets / argus,
        nfpcapd,
        packets / nfpcapd,
        argus / sensor,
        nfpcapd / sensor,
        median(sensorCpu),
        median(argusCpu),
        median(nfpcapdCpu),
        median(argusCpu) / median(sensorCpu),
        median(nfpcapdCpu) / median(sensorCpu));
  }

  /**
   * Runs a bash command line on {@code input} and {@code output} ($1 and $2) and returns its wall
   * seconds and its CPU seconds (user and system, from bash's {@code times} builtin, which prints
   * what its children used).
   */
  private static double[] timed(Path work, String commandLine, Path input, Path output)
      throws IOException, InterruptedException {
    Path times = work.resolve("times.txt");
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder(
                "bash",
                "-c",
                commandLine + " && times > \"$3\"",
                "timed",
                input.toString(),
                output.toString(),
                times.toString())
            .inheritIO()
            .start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("exit code of %s", commandLine).isZero();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new double[] {seconds, childrenCpuSeconds(Files.readAllLines(times))};
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
  }

  /** The children's user plus system seconds from bash's {@code times} (its second line). */
  private static double childrenCpuSeconds(List<String> times) {
    assertThat(times).as("output of bash's times").hasSize(2);
    Matcher m = TIMES.matcher(times.get(1));
    assertThat(m.matches()).as("times line %s", times.get(1)).isTrue();
    return Integer.parseInt(m.group(1)) * 60
        + Double.parseDouble(m.group(2))
        + Integer.parseInt(m.group(3)) * 60
        + Double.parseDouble(m.group(4));
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** Writes {@code copies} copies of a classic pcap, each shifted to start after the last ends. */
  private static Path repeat(Path source, Path target, int copies) throws IOException {
    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(source)).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(in.getInt(0)).as("little-endian microsecond pcap").isEqualTo(0xa1b2c3d4);
    long firstSecond = in.getInt(PCAP_GLOBAL_HEADER) & 0xffffffffL;
    long lastSecond = firstSecond;
    for (int off = PCAP_GLOBAL_HEADER; off < in.limit(); ) {
      lastSecond = in.getInt(off) & 0xffffffffL;
      off += PCAP_RECORD_HEADER + in.getInt(off + 8);
    }
    // whole minutes, so every copy keeps its alignment to the status interval and windows
    long shift = ((lastSecond - firstSecond) / 60 + 1) * 60;
    try (OutputStream out = new DataOutputStream(Files.newOutputStream(target))) {
      out.write(in.array(), 0, PCAP_GLOBAL_HEADER);
      for (int copy = 0; copy < copies; copy++) {
        ByteBuffer shifted = ByteBuffer.wrap(in.array().clone()).order(ByteOrder.LITTLE_ENDIAN);
        for (int off = PCAP_GLOBAL_HEADER; off < shifted.limit(); ) {
          shifted.putInt(off, (int) ((shifted.getInt(off) & 0xffffffffL) + copy * shift));
          off += PCAP_RECORD_HEADER + shifted.getInt(off + 8);
        }
        out.write(shifted.array(), PCAP_GLOBAL_HEADER, shifted.limit() - PCAP_GLOBAL_HEADER);
      }
    }
    return target;
  }

  /** Counts records; the benchmark measures metering, not publishing. */
  private static final class CountingSink implements FlowRecordSink {
    long records;

    @Override
    public void send(FlowRecord record, long conversationHash) {
      records++;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
