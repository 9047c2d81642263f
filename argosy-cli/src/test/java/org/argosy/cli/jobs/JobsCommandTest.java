package org.argosy.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.argosy.cli.Argosy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to {@code argosy jobs} and {@code argosy demo --reports} stops before anything runs.
 */
class JobsCommandTest {

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    var commandLine = Argosy.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(new StringWriter(), true));
    return commandLine.execute(args);
  }

  private static Path badReports(Path dir) throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(
        file,
        """
        reports:
          - name: talkers
            keys: saddr
            filter: src net 10.77.0.0/24 and
        """);
    return file;
  }

  @Test
  void aBadReportFileNamesReportFieldAndColumnAndExitsTwo(@TempDir Path dir) throws Exception {
    // An unreachable Kafka would take seconds to notice: the file is checked first.
    assertThat(run("jobs", "--bootstrap", "127.0.0.1:1", "--reports", badReports(dir).toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("bad.yaml:4: report 'talkers': field 'filter', column 25: expected a filter term")
        .doesNotContain("Exception");
  }

  @Test
  void demoRefusesABadReportFileToo(@TempDir Path dir) throws Exception {
    assertThat(run("demo", "--reports", badReports(dir).toString(), "--web-ui-port", "0"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("report 'talkers': field 'filter', column 25");
  }

  @Test
  void demoReportsExcludeTheSingleRankingOptions(@TempDir Path dir) throws Exception {
    assertThat(run("demo", "--reports", badReports(dir).toString(), "-N", "5")).isEqualTo(2);
    assertThat(err.toString()).contains("-N cannot be combined with --reports");
  }

  @Test
  void aBadAlertRuleFileStopsJobsAndDemoBeforeAnythingStarts(@TempDir Path dir) throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(
        rules,
        """
        rules:
          - name: scan
            kind: distinct
            keys: saddr
            count: dport
            above: many
        """);
    assertThat(run("jobs", "--bootstrap", "127.0.0.1:1", "--alerts", rules.toString()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("rules.yaml:6: rule 'scan': field 'above': 'many' is not an amount")
        .doesNotContain("Exception");
    assertThat(run("demo", "--alerts", rules.toString(), "--web-ui-port", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("rule 'scan': field 'above'");
  }

  @Test
  void jobsNeedReportsOrRulesWithDistinctNames(@TempDir Path dir) throws Exception {
    assertThat(run("jobs", "--bootstrap", "127.0.0.1:1")).isEqualTo(2);
    assertThat(err.toString()).contains("give --reports FILE, --alerts FILE or both");
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(
        rules,
        """
        rules:
          - name: top-talkers
            kind: elephant
            above: 1G
        """);
    Path reports =
        Path.of(System.getProperty("argosy.project.root"), "reports", "daily-reports.yaml");
    assertThat(
            run(
                "jobs",
                "--bootstrap",
                "127.0.0.1:1",
                "--reports",
                reports.toString(),
                "--alerts",
                rules.toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("'top-talkers' is both a report and an alert rule");
  }

  @Test
  void requiredOptionsAndFormatsAreChecked() {
    assertThat(run("jobs", "--reports", "x.yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("--bootstrap");
    assertThat(run("jobs", "--bootstrap", "localhost", "--reports", "x.yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("'localhost' is not HOST:PORT");
    assertRefused("unknown state backend 'tape'", "--state-backend", "tape");
    assertRefused("sensor timeout must be positive", "--sensor-timeout", "0");
    assertRefused(
        "--managed-memory 'lots' is not a size such as 512m",
        "--state-backend",
        "rocksdb",
        "--managed-memory",
        "lots");
    assertRefused("--managed-memory must be at least 16m, got 1m", "--managed-memory", "1m");
  }

  /** `jobs` with a valid address and report file and {@code options} is a usage error. */
  private void assertRefused(String message, String... options) {
    List<String> args =
        new ArrayList<>(List.of("jobs", "--bootstrap", "127.0.0.1:9092", "--reports", "x.yaml"));
    args.addAll(List.of(options));
    assertThat(run(args.toArray(String[]::new))).as(String.join(" ", args)).isEqualTo(2);
    assertThat(err.toString()).contains(message);
  }

  @Test
  void aMissingReportFileIsNamed() {
    assertThat(run("jobs", "--bootstrap", "127.0.0.1:1", "--reports", "/no/such.yaml"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("/no/such.yaml: cannot read the report file");
  }

  /**
   * One --kafka-config for jobs and the topic readers: a wrong file stops each with exit 2 and a
   * line naming the property and the file, before anything connects (the address is unreachable:
   * reaching for it would take seconds), and never with the secret in the message.
   */
  @Test
  void aBadKafkaConfigStopsJobsAndTheTopicReadersBeforeAnythingConnects(@TempDir Path dir)
      throws Exception {
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(
        rules,
        "rules:\n  - name: busy\n    kind: threshold\n    keys: proto dport\n    window: 1m\n"
            + "    above: 2M\n");
    Path typo = dir.resolve("client.properties");
    Files.writeString(
        typo,
        "security.protocol=SASL_SSL\nssl.truststore.password=hunter2\nsasl.mechanisms=PLAIN\n");
    Path missing = dir.resolve("missing.properties");
    Path badValue = dir.resolve("client.yaml");
    Files.writeString(badValue, "security.protocol: TLS\nssl.truststore.password: hunter2\n");
    String[][] commands = {
      {"jobs", "--bootstrap", "127.0.0.1:1", "--alerts", rules.toString(), "--kafka-config"},
      {"ra", "-S", "kafka://127.0.0.1:1/flows", "--kafka-config"},
      {"racluster", "-S", "kafka://127.0.0.1:1/flows", "-m", "proto", "--kafka-config"},
      {"ratop", "-S", "kafka://127.0.0.1:1/flow-topn", "--rankings", "--kafka-config"},
      {
        "ragraph", "-S", "kafka://127.0.0.1:1/flows", "-m", "proto", "-w", "x.png", "--kafka-config"
      },
      {"alerts", "-S", "kafka://127.0.0.1:1/flow-alerts-avro", "--kafka-config"}
    };
    for (String[] command : commands) {
      for (Object[] file :
          new Object[][] {
            {typo, "unknown Kafka client property 'sasl.mechanisms' in " + typo},
            {missing, "cannot read Kafka client settings file " + missing + ": no such file"},
            {
              badValue,
              "Kafka client property security.protocol in " + badValue + ": invalid value TLS"
            }
          }) {
        err.getBuffer().setLength(0);
        String[] args = java.util.Arrays.copyOf(command, command.length + 1);
        args[command.length] = file[0].toString();
        assertThat(run(args)).as(String.join(" ", args) + ": " + err).isEqualTo(2);
        assertThat(err.toString())
            .as(String.join(" ", args))
            .contains((String) file[1])
            .doesNotContain("hunter2")
            .doesNotContain("Exception");
      }
    }
    err.getBuffer().setLength(0);
    assertThat(run("ra", "-r", "flows.avro", "--kafka-config", typo.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka-config needs -S");
  }
}
