package org.argosy.tools.ra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.argosy.tools.DemoFlows;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** ra over the flow file the sensor writes for the bundled capture. */
class RaCommandTest {

  @TempDir static Path dir;
  static Path flows;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void writeFlowFile() throws Exception {
    flows = DemoFlows.write(dir);
  }

  private int ra(String... args) {
    CommandLine commandLine = new CommandLine(new RaCommand());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private List<String> lines() {
    return out.toString().lines().toList();
  }

  @Test
  void printsArgusDefaultColumnsWithServiceNames() {
    assertThat(ra("-r", flows.toString(), "-N", "5")).isZero();
    assertThat(lines()).hasSize(6);
    assertThat(lines().get(0).trim().split("\\s+"))
        .containsExactly(
            "StartTime",
            "Flgs",
            "Proto",
            "SrcAddr",
            "Sport",
            "Dir",
            "DstAddr",
            "Dport",
            "TotPkts",
            "TotBytes",
            "State");
    assertThat(out.toString()).contains("domain").contains("10.77.0.20");
  }

  @Test
  void filterAfterALoneDashSelectsRecords() {
    assertThat(
            ra(
                "-r",
                flows.toString(),
                "-n",
                "-c",
                ",",
                "-s",
                "proto",
                "dport",
                "bytes",
                "-",
                "udp",
                "and",
                "dst",
                "port",
                "53"))
        .isZero();
    List<String> rows = lines().subList(1, lines().size());
    assertThat(lines().get(0)).isEqualTo("Proto,Dport,TotBytes");
    assertThat(rows).isNotEmpty().allSatisfy(row -> assertThat(row).startsWith("udp,53,"));
  }

  @Test
  void jsonLinesCarryNumbersAsNumbers() {
    assertThat(
            ra("-r", flows.toString(), "--json", "-n", "-s", "saddr", "dport", "pkts", "-N", "1"))
        .isZero();
    assertThat(lines()).hasSize(1);
    assertThat(lines().get(0))
        .matches("\\{\"saddr\":\"10\\.77\\.0\\.\\d+\",\"dport\":\"\\d*\",\"pkts\":\\d+\\}");
  }

  @Test
  void everyRecordIsPrintedOnceAcrossTwoFiles() throws Exception {
    assertThat(ra("-r", flows.toString(), "-c", ",", "-s", "seq")).isZero();
    List<String> once = lines().subList(1, lines().size());
    out.getBuffer().setLength(0);
    assertThat(ra("-r", flows.toString(), "-r", flows.toString(), "-c", ",", "-s", "seq")).isZero();
    List<String> twice = lines().subList(1, lines().size());
    assertThat(once).hasSizeGreaterThan(200).doesNotHaveDuplicates();
    assertThat(twice).hasSize(2 * once.size());
  }

  @Test
  void usageErrorsNameTheProblem() {
    assertThat(ra("-r", flows.toString(), "-s", "bytez")).isEqualTo(2);
    assertThat(err.toString()).contains("'bytez'").contains("bytes");
    assertThat(ra("-r", flows.toString(), "-", "dst", "port")).isEqualTo(2);
    assertThat(ra()).isEqualTo(2);
    assertThat(err.toString()).contains("name an input");
    assertThat(ra("-S", "127.0.0.1:9092/flows")).isEqualTo(2);
    assertThat(err.toString()).contains("kafka://HOST:PORT/TOPIC");
  }

  @Test
  void aDamagedFileIsARuntimeErrorNamingIt() throws Exception {
    byte[] whole = Files.readAllBytes(flows);
    Path cut = dir.resolve("cut.avro");
    Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
    assertThat(ra("-r", cut.toString(), "-c", ",", "-s", "seq")).as("%s", err).isEqualTo(1);
    assertThat(err.toString()).contains(cut.toString()).contains("records");
    assertThat(err.toString()).contains("cut short").contains("block 1");

    Path notFlows = dir.resolve("hello.txt");
    Files.writeString(notFlows, "hello");
    assertThat(ra("-r", notFlows.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("hello.txt");
  }
}
