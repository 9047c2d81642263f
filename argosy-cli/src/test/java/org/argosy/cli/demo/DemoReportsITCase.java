package org.argosy.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.argosy.cli.Argosy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code argosy demo --reports reports/daily-reports.yaml --once}: the shipped daily reports over
 * the bundled capture, one day window, printed with each report's output fields. The top
 * destination ports must be Argus's totals per (proto, dport) for the whole capture
 * (samples/expected/argus-racluster-proto-dport.txt), ranked by bytes.
 */
class DemoReportsITCase {

  @Test
  @Timeout(300) // a job whose sink keeps failing restarts forever: fail instead of hanging
  void dailyReportsPrintTheirRankingsForTheDayWindow() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var commandLine = Argosy.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exit =
        commandLine.execute(
            "demo",
            "--reports",
            ExpectedRanking.projectRoot().resolve("reports/daily-reports.yaml").toString(),
            "--pcap",
            ExpectedRanking.bundledCapture().toString(),
            "--once",
            "--web-ui-port",
            "0");
    assertThat(exit).as(err.toString()).isZero();

    List<String> lines = out.toString().lines().toList();
    assertThat(lines)
        .filteredOn(line -> line.contains(" window "))
        .extracting(line -> line.split(" ")[0])
        .as("top-broadcasters has no row: nothing in the capture is broadcast")
        .containsExactly("top-talkers", "top-dports");
    assertThat(lines)
        .anyMatch(line -> line.matches("rank\\s+saddr\\s+bytes\\s+load"))
        .anyMatch(line -> line.matches("\\s+1  10\\.77\\.0\\.11\\s+5262173\\s+\\d+\\.\\d{3}"));

    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("rank\\s+proto\\s+dport\\s+bytes\\s+load")) {
        header = i;
      }
    }
    assertThat(header).as(out.toString()).isPositive();
    List<String[]> printed = new ArrayList<>();
    for (String line : lines.subList(header + 1, header + 11)) {
      printed.add(line.trim().split("\\s+"));
    }
    List<String[]> argus = argusTopTenByBytes();
    for (int i = 0; i < 10; i++) {
      assertThat(printed.get(i)[1] + "/" + printed.get(i)[2] + " " + printed.get(i)[3])
          .as("rank %d", i + 1)
          .isEqualTo(argus.get(i)[0] + "/" + argus.get(i)[1] + " " + argus.get(i)[3]);
    }
  }

  /** Argus's (proto, dport) totals of the capture, largest bytes first; ICMP has no dport here. */
  private static List<String[]> argusTopTenByBytes() throws Exception {
    return Files.readAllLines(
            ExpectedRanking.projectRoot()
                .resolve("samples/expected/argus-racluster-proto-dport.txt"))
        .stream()
        .filter(line -> line.startsWith("tcp,") || line.startsWith("udp,"))
        .map(line -> line.split(","))
        .sorted((a, b) -> Long.compare(Long.parseLong(b[3]), Long.parseLong(a[3])))
        .limit(10)
        .toList();
  }
}
