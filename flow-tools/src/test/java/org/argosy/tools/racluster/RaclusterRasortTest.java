package org.argosy.tools.racluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.argosy.tools.DemoFlows;
import org.argosy.tools.rasort.RasortCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * racluster and rasort on the sensor's flows of the bundled capture, against what Argus's own
 * racluster printed for the same capture (samples/expected/argus-racluster-proto-dport.txt).
 */
class RaclusterRasortTest {

  @TempDir static Path dir;
  static Path flows;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void writeFlowFile() throws Exception {
    flows = DemoFlows.write(dir);
  }

  private int run(Object command, String... args) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  /** Argus's (proto, dport) totals; its ICMP rows (one per echo id) summed to our port-less key. */
  private static Map<String, String> argusTotals() throws Exception {
    Map<String, long[]> totals = new LinkedHashMap<>();
    for (String line :
        Files.readAllLines(
            DemoFlows.projectRoot().resolve("samples/expected/argus-racluster-proto-dport.txt"))) {
      if (line.startsWith("#") || line.startsWith("Proto")) {
        continue;
      }
      String[] f = line.split(",");
      String key = f[0] + "," + (f[0].equals("icmp") ? "" : f[1]);
      long[] sum = totals.computeIfAbsent(key, k -> new long[2]);
      sum[0] += Long.parseLong(f[2]);
      sum[1] += Long.parseLong(f[3]);
    }
    Map<String, String> rows = new LinkedHashMap<>();
    totals.forEach((key, sum) -> rows.put(key, sum[0] + "," + sum[1]));
    return rows;
  }

  @Test
  void perKeyTotalsEqualArgusRacluster() throws Exception {
    assertThat(
            run(
                new RaclusterCommand(),
                "-r",
                flows.toString(),
                "-m",
                "proto",
                "dport",
                "-n",
                "-c",
                ",",
                "-s",
                "proto",
                "dport",
                "pkts",
                "bytes"))
        .as("%s", err)
        .isZero();
    Map<String, String> ours = new LinkedHashMap<>();
    for (String line : out.toString().lines().skip(1).toList()) {
      String[] f = line.split(",", -1);
      ours.put(f[0] + "," + f[1], f[2] + "," + f[3]);
    }
    assertThat(ours).containsExactlyInAnyOrderEntriesOf(argusTotals());
  }

  @Test
  void racluster_w_thenRasortIsTheTopDestinationPortsReport() throws Exception {
    Path aggregates = dir.resolve("proto-dport.avro");
    assertThat(
            run(
                new RaclusterCommand(),
                "-r",
                flows.toString(),
                "-w",
                aggregates.toString(),
                "-m",
                "proto",
                "dport"))
        .isZero();
    assertThat(
            run(
                new RasortCommand(),
                "-r",
                aggregates.toString(),
                "-m",
                "bytes",
                "load",
                "-n",
                "-c",
                ",",
                "-s",
                "dport",
                "bytes",
                "-N",
                "10"))
        .as("%s", err)
        .isZero();
    List<String> printed = out.toString().lines().toList();
    List<String> expected =
        argusTotals().entrySet().stream()
            .sorted((a, b) -> Long.compare(bytes(b.getValue()), bytes(a.getValue())))
            .limit(10)
            .map(e -> e.getKey().split(",", -1)[1] + "," + bytes(e.getValue()))
            .toList();
    assertThat(printed.get(0)).isEqualTo("Dport,TotBytes");
    assertThat(printed.subList(1, printed.size())).containsExactlyElementsOf(expected);
  }

  @Test
  void filterAfterTheKeysSelectsBeforeMerging() {
    assertThat(
            run(
                new RaclusterCommand(),
                "-r",
                flows.toString(),
                "-m",
                "daddr",
                "-",
                "src",
                "host",
                "10.77.0.11",
                "and",
                "dst",
                "host",
                "10.77.0.20",
                "-c",
                ","))
        .as("%s", err)
        .isZero();
    List<String> rows = out.toString().lines().toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1)).startsWith("10.77.0.20,");
  }

  @Test
  void usageErrorsNameTheProblem() {
    assertThat(run(new RaclusterCommand(), "-r", flows.toString(), "-m", "dprot")).isEqualTo(2);
    assertThat(err.toString()).contains("'dprot'");
    assertThat(run(new RasortCommand(), "-r", flows.toString(), "-m", "bytez")).isEqualTo(2);
    assertThat(err.toString()).contains("'bytez'");
    assertThat(run(new RasortCommand(), "-m", "bytes")).isEqualTo(2);
    assertThat(err.toString()).contains("-r");
  }

  private static long bytes(String pktsAndBytes) {
    return Long.parseLong(pktsAndBytes.split(",")[1]);
  }
}
