package org.argosy.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.argosy.cli.daemon.DaemonCommand;
import org.argosy.cli.demo.DemoCommand;
import org.argosy.cli.jobs.JobsCommand;
import org.argosy.cli.jobs.ReportJobLauncher;
import org.argosy.cli.sensor.SensorCommand;
import org.argosy.tools.alerts.AlertsCommand;
import org.argosy.tools.cli.FileToolLogging;
import org.argosy.tools.cli.StandardStreams;
import org.argosy.tools.ra.RaCommand;
import org.argosy.tools.racluster.RaclusterCommand;
import org.argosy.tools.ragraph.RagraphCommand;
import org.argosy.tools.rasort.RasortCommand;
import org.argosy.tools.ratop.RatopCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code argosy} command. Exit codes: 0 success, 1 runtime failure, 2 usage error (picocli's
 * default for a bad option or argument, with a message naming it).
 */
@Command(
    name = "argosy",
    mixinStandardHelpOptions = true,
    versionProvider = ArgosyVersion.class,
    description = "Argus-grade network flow monitoring on Kafka and Flink.")
public final class Argosy implements Runnable {

  /** The subcommands' names, as each one's {@code @Command} gives it, in the order help lists. */
  static final List<String> COMMANDS =
      List.of(
          "alerts",
          "daemon",
          "demo",
          "jobs",
          "ra",
          "racluster",
          "ragraph",
          "rasort",
          "ratop",
          "sensor");

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  /**
   * Kafka's test kit jar ships a log4j2.yaml that log4j would prefer over an XML file; name ours
   * explicitly, unless the user chose one.
   */
  private static final String LOG_CONFIG_PROPERTY = "log4j2.configurationFile";

  public static void main(String[] args) {
    FileToolLogging.configure(args);
    System.getProperties().putIfAbsent(LOG_CONFIG_PROPERTY, "argosy-log4j2.xml");
    // A Flink cluster runs this main() inside its JobManager to submit `jobs`: exiting there would
    // stop the cluster and every job in it, so a failure goes to the submitter as an exception.
    if (!(args.length > 0 && args[0].equals("jobs") && ReportJobLauncher.runByFlinkCluster())) {
      System.exit(commandLine(args).execute(args));
    }
    StringWriter errors = new StringWriter();
    CommandLine commandLine = commandLine(args);
    commandLine.setErr(new PrintWriter(errors, true));
    int exitCode = commandLine.execute(args);
    System.err.print(errors);
    if (exitCode != 0) {
      throw new IllegalStateException(
          "argosy jobs failed (exit code " + exitCode + "): " + errors.toString().strip());
    }
  }

  /** The configured command line with every subcommand, also used by tests. */
  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command line for {@code args}: only the subcommand they name when they name one, since
   * picocli reads every option of every subcommand it is given by reflection, a fifth of a short
   * {@code ra}'s run; every subcommand otherwise (help, a usage error that lists them).
   */
  static CommandLine commandLine(String[] args) {
    return commandLine(args, StandardStreams.system());
  }

  /**
   * The command line for {@code args} whose file tools read {@code -r -} from and write {@code -w
   * -} to {@code streams}: the resident process runs its clients' commands in it.
   */
  public static CommandLine commandLine(String[] args, StandardStreams streams) {
    CommandLine commandLine = new CommandLine(new Argosy());
    if (args.length > 0 && COMMANDS.contains(args[0])) {
      commandLine.addSubcommand(command(args[0], streams));
    } else {
      COMMANDS.forEach(name -> commandLine.addSubcommand(command(name, streams)));
      commandLine.addSubcommand(new CommandLine.HelpCommand());
    }
    commandLine.setExecutionExceptionHandler(new RuntimeFailureHandler());
    return commandLine;
  }

  /** A new subcommand object; a switch loads only the class it creates. */
  static Object command(String name, StandardStreams streams) {
    return switch (name) {
      case "alerts" -> new AlertsCommand();
      case "daemon" -> new DaemonCommand();
      case "demo" -> new DemoCommand();
      case "jobs" -> new JobsCommand();
      case "ra" -> new RaCommand(streams);
      case "racluster" -> new RaclusterCommand(streams);
      case "ragraph" -> new RagraphCommand();
      case "rasort" -> new RasortCommand(streams);
      case "ratop" -> new RatopCommand();
      case "sensor" -> new SensorCommand();
      default -> throw new IllegalArgumentException("no command " + name);
    };
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command, e.g. demo");
  }
}
