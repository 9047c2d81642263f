package org.argosy.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.argosy.query.ProtocolNames;
import org.junit.jupiter.api.Test;

/** The {@code ./argosy} script as a user runs it, from the project root. */
class ArgosyLauncherITCase {

  private record Result(int exitCode, String out, String err) {}

  private static Result argosy(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("./argosy"));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(ExpectedRanking.projectRoot().toFile());
    builder.environment().put("ARGOSY_NO_BUILD", "1"); // already built by this Maven run
    builder.environment().put("ARGOSY_RESIDENT", "0"); // the JVM per command, with its archive
    // stderr to a file, so that neither pipe can fill up while the other is read
    Path err = Files.createTempFile("argosy-launcher", ".err");
    builder.redirectError(err.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    try {
      Process process = builder.start();
      byte[] out = process.getInputStream().readAllBytes();
      assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
      return new Result(
          process.exitValue(),
          new String(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  @Test
  void usageErrorsExitTwoNamingTheProblem() throws Exception {
    Result badWindow = argosy("demo", "--window", "7");
    assertThat(badWindow.exitCode()).isEqualTo(2);
    assertThat(badWindow.err()).contains("--window 7");

    Result badCommand = argosy("frobnicate");
    assertThat(badCommand.exitCode()).isEqualTo(2);
    assertThat(badCommand.err()).contains("frobnicate");
  }

  /**
   * A file tool's first run records its classes in an archive, later runs map it: same output,
   * nothing from the JVM on either stream (stdout may be binary records), and an archive older than
   * the jars is recorded again.
   */
  @Test
  void fileToolsRecordAClassArchiveAndPrintTheSameWithIt() throws Exception {
    Path work = Files.createTempDirectory("argosy-cds");
    Path flows = work.resolve("demo.avro");
    Path root = ExpectedRanking.projectRoot();
    assertThat(
            argosy(
                    "sensor",
                    "-r",
                    root.resolve("samples/demo.pcap").toString(),
                    "-w",
                    flows.toString())
                .exitCode())
        .isZero();
    Path archive = root.resolve("argosy-cli/target/cds/racluster.jsa");
    Files.deleteIfExists(archive);
    String[] query = {"racluster", "-r", flows.toString(), "-m", "proto", "dport"};

    // help and a usage error load a fraction of a run's classes: neither is recorded
    assertThat(argosy("racluster", "--help").exitCode()).isZero();
    assertThat(argosy("racluster", "-r", flows.toString(), "-m", "dprot").exitCode()).isEqualTo(2);
    assertThat(archive).doesNotExist();
    Result recording = argosy(query);
    assertThat(recording.exitCode()).as(recording.err()).isZero();
    assertThat(recording.err()).isEmpty();
    assertThat(archive).isRegularFile();
    Result mapped = argosy(query);
    assertThat(mapped.err()).isEmpty();
    assertThat(mapped.out()).isEqualTo(recording.out()).contains("tcp");

    Files.setLastModifiedTime(
        archive,
        FileTime.fromMillis(
            Files.getLastModifiedTime(root.resolve("argosy-cli/target/argosy-cli.jar")).toMillis()
                - 60_000));
    FileTime stale = Files.getLastModifiedTime(archive);
    assertThat(argosy(query).out()).isEqualTo(recording.out());
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(stale);
  }

  @Test
  void demoOncePrintsEveryWindowsExpectedTopTen() throws Exception {
    Result demo = argosy("demo", "--once", "--web-ui-port", "0");
    assertThat(demo.exitCode()).as(demo.err()).isZero();

    List<String[]> printedRows =
        demo.out()
            .lines()
            .filter(line -> line.matches("\\s*\\d+\\s+\\S+.*"))
            .map(line -> line.trim().split("\\s+"))
            .toList();
    List<ExpectedRanking> expected = ExpectedRanking.readAll();
    assertThat(printedRows).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      String[] row = printedRows.get(i);
      ExpectedRanking want = expected.get(i);
      String where = "printed row " + (i + 1) + ": " + String.join(" ", row);
      assertThat(row[0]).as(where).isEqualTo(Integer.toString(want.rank()));
      assertThat(row[1]).as(where).isEqualTo(ProtocolNames.name(Integer.parseInt(want.proto())));
      assertThat(row[2]).as(where).isEqualTo(want.dport().isEmpty() ? "-" : want.dport());
      assertThat(Long.parseLong(row[3])).as(where).isEqualTo(want.bytes());
      assertThat(Long.parseLong(row[4])).as(where).isEqualTo(want.pkts());
      assertThat(Long.parseLong(row[5])).as(where).isEqualTo(want.trans());
      assertThat(Double.parseDouble(row[6])).as(where).isCloseTo(want.load(), within(0.0011));
    }
  }
}
