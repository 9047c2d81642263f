package org.argosy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.argosy.tools.cli.StandardStreams;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Argument errors exit 2 with a message that names the option, field or value at fault. */
class ArgosyCommandLineTest {

  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = Argosy.commandLine();
    commandLine.setErr(new PrintWriter(err, true));
    commandLine.setOut(new PrintWriter(out, true));
    return commandLine.execute(args);
  }

  @Test
  void everyCommandIsListedUnderItsOwnName() {
    for (String name : Argosy.COMMANDS) {
      assertThat(new CommandLine(Argosy.command(name, StandardStreams.system())).getCommandName())
          .isEqualTo(name);
    }
    assertThat(Argosy.commandLine().getSubcommands().keySet())
        .containsAll(Argosy.COMMANDS)
        .contains("help");
  }

  @Test
  void aNamedCommandIsTheOnlyOneBuilt() {
    assertThat(Argosy.commandLine(new String[] {"ra", "-r", "x"}).getSubcommands().keySet())
        .containsExactly("ra");
  }

  @Test
  void unknownCommandIsAUsageError() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("frobnicate");
  }

  @Test
  void missingCommandIsAUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("name a command");
  }

  @Test
  void unknownOptionIsNamed() {
    assertThat(run("demo", "--frobnicate")).isEqualTo(2);
    assertThat(err.toString()).contains("--frobnicate");
  }

  @Test
  void windowThatIsNotAMultipleOfTheStatusIntervalIsRefused() {
    assertThat(run("demo", "--window", "7")).isEqualTo(2);
    assertThat(err.toString()).contains("--window 7").contains("--status-interval 5");
  }

  @Test
  void unknownClusterKeyFieldIsNamedWithTheKnownOnes() {
    assertThat(run("demo", "-m", "proto", "dprot")).isEqualTo(2);
    assertThat(err.toString()).contains("'dprot'").contains("dport");
  }

  @Test
  void nonNumericValueIsNamed() {
    assertThat(run("demo", "-N", "ten")).isEqualTo(2);
    assertThat(err.toString()).contains("-N").contains("ten");
  }

  @Test
  void missingCaptureFileIsNamed() {
    assertThat(run("demo", "--pcap", "/nonexistent/capture.pcap")).isEqualTo(2);
    assertThat(err.toString()).contains("/nonexistent/capture.pcap");
  }

  @Test
  void helpAndVersionExitZero() {
    assertThat(run("demo", "--help")).isZero();
    assertThat(out.toString()).contains("--once").contains("--pcap").contains("Examples");
    assertThat(run("--version")).isZero();
    assertThat(out.toString()).contains("argosy");
  }
}
