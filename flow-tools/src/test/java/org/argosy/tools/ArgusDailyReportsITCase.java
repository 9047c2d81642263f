package org.argosy.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.argosy.tools.ra.RaCommand;
import org.argosy.tools.racluster.RaclusterCommand;
import org.argosy.tools.rasort.RasortCommand;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The daily reports of argus-semantics.md, run with our racluster and rasort on the sensor's flows
 * of the bundled capture and with Argus's on argus's own records of the same capture: the same keys
 * in the same order with the same bytes (and trans). A record's load is compared; an aggregate's is
 * not: racluster keeps a key of one record at that record's per-side load, where argosy takes bytes
 * over span for every aggregate. ICMP rows are left out where Argus keys echo flows by (id, seq).
 */
class ArgusDailyReportsITCase {

  @TempDir static Path dir;
  static Path flows;
  static Path argusRecords;

  @BeforeAll
  static void prepare() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(Path.of("/usr/sbin/argus")), "argus is not installed");
    flows = DemoFlows.write(dir);
    argusRecords = dir.resolve("demo.argus");
    shell(
        "argus -r " + DemoFlows.projectRoot().resolve("samples/demo.pcap") + " -w " + argusRecords);
  }

  private static String shell(String command) throws Exception {
    Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
    return output;
  }

  private static String ours(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    assertThat(commandLine.execute(args)).as("%s", err).isZero();
    return out.toString();
  }

  /** racluster -w then rasort, both ours, CSV. */
  private static List<String> oursPipeline(List<String> raclusterArgs, List<String> rasortArgs) {
    Path aggregates = dir.resolve("aggregates-" + System.nanoTime() + ".avro");
    List<String> first =
        new ArrayList<>(List.of("-r", flows.toString(), "-w", aggregates.toString()));
    first.addAll(raclusterArgs);
    ours(new RaclusterCommand(), first.toArray(String[]::new));
    List<String> second = new ArrayList<>(List.of("-r", aggregates.toString(), "-n", "-c", ","));
    second.addAll(rasortArgs);
    return rows(ours(new RasortCommand(), second.toArray(String[]::new)));
  }

  private static List<String> argusPipeline(String racluster, String rasort) throws Exception {
    return rows(
        shell(
            "racluster -r "
                + argusRecords
                + " -w - "
                + racluster
                + " | rasort -r - -n -c , "
                + rasort));
  }

  /** Data rows without the header, whitespace trimmed, ICMP rows dropped. */
  private static List<String> rows(String csv) {
    return csv.lines()
        .skip(1)
        .map(
            line ->
                String.join(",", List.of(line.split(",", -1)).stream().map(String::strip).toList()))
        .filter(line -> !line.startsWith("icmp,") && !line.startsWith("0x"))
        .toList();
  }

  @Test
  void topTalkersInASubnet() throws Exception {
    assertThat(
            oursPipeline(
                List.of("-m", "saddr", "-", "src", "net", "10.77.0.0/24"),
                List.of("-m", "bytes", "load", "-s", "saddr", "bytes", "-N", "10")))
        .containsExactlyElementsOf(
            argusPipeline("-m saddr - src net 10.77.0.0/24", "-m bytes load -s saddr bytes")
                .stream()
                .limit(10)
                .toList())
        .hasSize(2);
  }

  @Test
  void topDestinationPorts() throws Exception {
    assertThat(
            oursPipeline(
                List.of("-m", "proto", "dport", "-", "not", "icmp"),
                List.of("-m", "bytes", "load", "-s", "dport", "bytes", "-N", "10")))
        .containsExactlyElementsOf(
            argusPipeline("-m proto dport - not icmp", "-m bytes load -s dport bytes").stream()
                .limit(10)
                .toList())
        .hasSize(10);
  }

  @Test
  void servicesBetweenTwoHosts() throws Exception {
    assertThat(
            oursPipeline(
                List.of(
                    "-m",
                    "proto",
                    "dport",
                    "-",
                    "src",
                    "host",
                    "10.77.0.11",
                    "and",
                    "dst",
                    "host",
                    "10.77.0.20",
                    "and",
                    "not",
                    "icmp"),
                List.of("-m", "dport", "-s", "dport", "trans", "bytes")))
        .containsExactlyElementsOf(
            argusPipeline(
                "-m proto dport - src host 10.77.0.11 and dst host 10.77.0.20 and not icmp",
                "-m dport -s dport trans bytes"))
        .hasSizeGreaterThan(5);
  }

  @Test
  void totalBetweenTwoHosts() throws Exception {
    List<String> ourTotal =
        rows(
            ours(
                new RaclusterCommand(),
                "-r",
                flows.toString(),
                "-m",
                "daddr",
                "-n",
                "-c",
                ",",
                "-s",
                "bytes",
                "-",
                "src",
                "host",
                "10.77.0.10",
                "and",
                "dst",
                "host",
                "10.77.0.20"));
    List<String> argusTotal =
        rows(
            shell(
                "racluster -r "
                    + argusRecords
                    + " -m daddr -n -c , -s bytes - src host 10.77.0.10 and dst host 10.77.0.20"));
    assertThat(ourTotal).containsExactlyElementsOf(argusTotal).hasSize(1);
  }

  @Test
  void onePortsFlowsAsConversations() throws Exception {
    // ra - dst port 53 prints status records, cut differently by each sensor; merged per
    // conversation, every flow to the port must agree
    assertThat(
            oursPipeline(
                List.of("-", "dst", "port", "53"),
                List.of(
                    "-m", "saddr", "sport", "-s", "saddr", "sport", "daddr", "dport", "pkts",
                    "bytes")))
        .containsExactlyElementsOf(
            argusPipeline("- dst port 53", "-m saddr sport -s saddr sport daddr dport pkts bytes"))
        .hasSizeGreaterThan(50);
  }

  @Test
  void aRecordsLoadIsArgusLoad() throws Exception {
    // records both sensors cut the same way (same start, addresses, ports and counters) print
    // the same load, to Argus's single precision
    String columns = "-n -c , -s stime saddr sport daddr dport spkts dpkts sbytes dbytes load";
    Map<String, Double> argus =
        loads(rows(shell("ra -r " + argusRecords + " " + columns + " - not icmp")));
    Map<String, Double> ourLoads =
        loads(rows(ours(new RaCommand(), ("-r " + flows + " " + columns).split(" "))));
    List<String> both = ourLoads.keySet().stream().filter(argus::containsKey).toList();
    assertThat(both).hasSizeGreaterThan(150);
    for (String record : both) {
      assertThat(ourLoads.get(record))
          .as(record)
          .isCloseTo(argus.get(record), within(1e-6 * argus.get(record) + 1e-6));
    }
  }

  /** The last field of each row by the fields before it. */
  private static Map<String, Double> loads(List<String> rows) {
    Map<String, Double> loads = new HashMap<>();
    for (String row : rows) {
      int comma = row.lastIndexOf(',');
      loads.put(row.substring(0, comma), Double.parseDouble(row.substring(comma + 1)));
    }
    return loads;
  }
}
