package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.argosy.cli.Argosy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code argosy sensor} refuses what it cannot do with exit 2 and a message naming the option. */
class SensorCommandTest {

  private static final String DEMO =
      FlowRecordFiles.projectRoot().resolve("samples/demo.pcap").toString();

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Argosy.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(out, true));
    return commandLine.execute(args);
  }

  @Test
  void anInputIsRequired() {
    assertThat(run("sensor", "--print")).isEqualTo(2);
    assertThat(err.toString()).contains("-r FILE, -R DIR or -i IFACE");
  }

  @Test
  void anOutputIsRequired() {
    assertThat(run("sensor", "-r", DEMO)).isEqualTo(2);
    assertThat(err.toString()).contains("-w FILE, --print or --kafka");
  }

  @Test
  void liveAndFileInputsDoNotMix() {
    assertThat(run("sensor", "-i", "lo", "-r", DEMO, "--print")).isEqualTo(2);
    assertThat(err.toString()).contains("-i cannot be combined with -r");
  }

  @Test
  void missingCaptureFileIsNamed() {
    assertThat(run("sensor", "-r", "/nonexistent/x.pcap", "--print")).isEqualTo(2);
    assertThat(err.toString()).contains("-r").contains("/nonexistent/x.pcap");
  }

  @Test
  void missingDirectoryIsNamed() {
    assertThat(run("sensor", "-R", "/nonexistent/spool", "--print")).isEqualTo(2);
    assertThat(err.toString()).contains("-R").contains("/nonexistent/spool");
  }

  @Test
  void outputInAMissingDirectoryIsNamed() {
    assertThat(run("sensor", "-r", DEMO, "-w", "/nonexistent/dir/flows.avro")).isEqualTo(2);
    assertThat(err.toString()).contains("-w").contains("/nonexistent/dir/flows.avro");
  }

  @Test
  void statusIntervalMustBePositive() {
    assertThat(run("sensor", "-r", DEMO, "--print", "-S", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--status-interval 0");
  }

  @Test
  void kafkaAddressMustBeHostAndPort() {
    assertThat(run("sensor", "-r", DEMO, "--kafka", "localhost")).isEqualTo(2);
    assertThat(err.toString()).contains("--kafka 'localhost'");
  }

  @Test
  void topicWithoutKafkaIsRefused() {
    assertThat(run("sensor", "-r", DEMO, "--print", "--topic", "t")).isEqualTo(2);
    assertThat(err.toString()).contains("--topic needs --kafka");
  }

  @Test
  void unknownInterfaceIsNamed() {
    assertThat(run("sensor", "-i", "no-such-if0", "--print")).isEqualTo(1);
    assertThat(err.toString()).contains("no-such-if0");
  }

  @Test
  void badSnaplenIsAUsageError() {
    assertThat(run("sensor", "-i", "lo", "--print", "--snaplen", "10")).isEqualTo(2);
    assertThat(err.toString()).contains("snaplen 10");
  }

  @Test
  void aBadFilterIsAUsageErrorQuotingIt() {
    assertThat(run("sensor", "-r", DEMO, "--print", "--filter", "tcp port")).isEqualTo(2);
    assertThat(err.toString()).contains("--filter: bad capture filter 'tcp port'");
  }

  @Test
  void aFilterSelectsThePacketsOfACaptureFile() {
    assertThat(run("sensor", "-r", DEMO, "--print", "--filter", "udp and dst port 53")).isZero();
    assertThat(out.toString().lines().toList())
        .isNotEmpty()
        // only the queries pass: every DNS conversation is one-sided
        .allSatisfy(
            line -> assertThat(line).matches("\\S+ \\S+ udp \\S+ -> \\S+\\.53 pkts \\d+/0 .*"));
  }

  @Test
  void printsOneLinePerRecord() {
    assertThat(run("sensor", "-r", DEMO, "--print")).isZero();
    assertThat(out.toString())
        .contains("start udp 10.77.0.10.40007 <-> 10.77.0.20.53 pkts 1/1 bytes 75/123 CON");
    assertThat(out.toString().lines().count()).isEqualTo(293);
  }

  /** A bad --config file: exit 2, one line naming the problem, never a stack trace. */
  private void assertConfigRefused(Path config, String... expected) {
    assertThat(
            run(
                "sensor",
                "--config",
                config.toString(),
                "-r",
                DEMO,
                "--kafka",
                "127.0.0.1:1",
                "--spool-dir",
                config.resolveSibling("spool").toString()))
        .as(err.toString())
        .isEqualTo(2);
    assertThat(err.toString())
        .contains(expected)
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(config.resolveSibling("spool")).as("nothing started").doesNotExist();
  }

  @Test
  void aConfigFileWithAnUnknownKeyIsRefusedNamingKeyAndFile(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("sensor.yaml"), "site: a\nspool:\n  max-byte: 5\n");
    assertConfigRefused(config, "unknown setting 'spool.max-byte' in " + config, "spool.max-bytes");
  }

  @Test
  void aConfigFileWithABadValueIsRefusedBeforeTheSpoolOpens(@TempDir Path dir) throws Exception {
    Path config = Files.writeString(dir.resolve("sensor.yaml"), "spool:\n  fsync: sometimes\n");
    assertConfigRefused(config, "spool.fsync must be one of always, segment or never");
    Path numbers = Files.writeString(dir.resolve("numbers.yaml"), "queue.records: lots\n");
    assertConfigRefused(numbers, "setting queue.records must be a whole number, got 'lots'");
  }

  @Test
  void anUnreadableOrBrokenConfigFileIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    assertConfigRefused(
        dir.resolve("missing.yaml"), "cannot read config file " + dir.resolve("missing.yaml"));
    Path broken =
        Files.writeString(
            dir.resolve("broken.yaml"),
            "kafka:\n  properties:\n    sasl.jaas.config: 'password=\"hunter2\"\n  bootstrap: x\n");
    assertConfigRefused(broken, broken + ":", "is not valid YAML");
    assertThat(err.toString()).doesNotContain("hunter2");
  }
}
