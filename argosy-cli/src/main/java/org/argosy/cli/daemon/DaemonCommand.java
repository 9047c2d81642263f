package org.argosy.cli.daemon;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.argosy.cli.Argosy;
import org.argosy.tools.resident.ResidentClient;
import org.argosy.tools.resident.ResidentServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code argosy daemon}: the resident process that runs ra, racluster and rasort over files for
 * {@code ./argosy}, which sends those commands to it while it runs ({@link ResidentServer}).
 */
@Command(
    name = "daemon",
    mixinStandardHelpOptions = true,
    description = {
      "Keeps one JVM running for ra, racluster and rasort over files: while it runs, argosy"
          + " hands those commands to it, and each starts in milliseconds with its code compiled,"
          + " instead of paying a new JVM's start and compilation (most of a command's time over a"
          + " few million records). The commands read and write the caller's files, standard"
          + " input and output, and exit with the same codes. Commands on a topic (-S), ratop and"
          + " ragraph run as before. It stops when asked, after --idle-timeout without a command,"
          + " or when the project is rebuilt. ARGOSY_RESIDENT=0 runs a command without it.",
      "",
      "Examples:",
      "  argosy daemon start",
      "  argosy daemon status",
      "  argosy daemon stop",
      "  argosy daemon serve --idle-timeout P30D   (in the foreground, for a service manager)"
    },
    subcommands = {
      DaemonCommand.Start.class,
      DaemonCommand.Status.class,
      DaemonCommand.Stop.class,
      DaemonCommand.Serve.class
    })
public final class DaemonCommand implements Runnable {

  /** Set by ./argosy: a socket per user and project checkout. */
  static final String SOCKET_PROPERTY = "argosy.resident.socket";

  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: start, status, stop or serve");
  }

  /** The socket option every subcommand has. */
  static final class SocketOption {

    @Option(
        names = "--socket",
        paramLabel = "FILE",
        description = "The process's Unix socket (default: the one ./argosy uses).")
    Path socket;

    Path socket(CommandLine commandLine) {
      if (socket != null) {
        return socket;
      }
      String configured = System.getProperty(SOCKET_PROPERTY);
      if (configured == null) {
        throw new CommandLine.ParameterException(
            commandLine, "no socket: give --socket FILE (./argosy sets it)");
      }
      return Path.of(configured);
    }
  }

  /** How long the process waits for a command before it stops. */
  static final class IdleTimeoutOption {

    @Option(
        names = "--idle-timeout",
        paramLabel = "DURATION",
        description = "Stop after this long without a command, e.g. PT3H (default) or P30D.")
    Duration idleTimeout = Duration.ofHours(3);
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Starts the resident process in the background and returns once it answers (after a"
              + " warm-up of a few seconds); its log is the socket's name with .log.")
  static final class Start implements Callable<Integer> {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin private SocketOption socketOption;

    @CommandLine.Mixin private IdleTimeoutOption idle;

    @Override
    public Integer call() throws IOException, InterruptedException {
      Path socket = socketOption.socket(spec.commandLine());
      String running = ResidentClient.status(socket);
      if (running != null) {
        spec.commandLine().getOut().println("already running: " + running.strip());
        return 0;
      }
      Path log = Path.of(socket + ".log");
      ResidentServer.prepareDirectory(socket);
      Process process =
          new ProcessBuilder(serveCommand(socket, idle.idleTimeout))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectErrorStream(true)
              .start();
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        String status = ResidentClient.status(socket);
        if (status != null) {
          spec.commandLine().getOut().println("started: " + status.strip());
          return 0;
        }
        if (!process.isAlive()) {
          break;
        }
        Thread.sleep(100);
      }
      spec.commandLine()
          .getErr()
          .println("daemon: error: the resident process did not start; see " + log);
      return 1;
    }

    /**
     * The command line that serves in the background: this JVM's options and class path, in a
     * session of its own (setsid) so that closing the terminal leaves it running.
     */
    private static List<String> serveCommand(Path socket, Duration idleTimeout) {
      List<String> command = new ArrayList<>();
      if (new File("/usr/bin/setsid").canExecute()) {
        command.add("/usr/bin/setsid"); // not a group leader: it execs the JVM, which we watch
      }
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (!option.startsWith("-XX:SharedArchiveFile")
            && !option.startsWith("-XX:ArchiveClasses")) {
          command.add(option);
        }
      }
      // an idle resident process gives its heap back to the system
      command.add("-XX:G1PeriodicGCInterval=60000");
      command.addAll(
          List.of(
              "-cp",
              System.getProperty("java.class.path"),
              Argosy.class.getName(),
              "daemon",
              "serve",
              "--socket",
              socket.toString(),
              "--idle-timeout",
              idleTimeout.toString()));
      return command;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Prints the resident process's pid, socket and counts; exit 1 when none runs.")
  static final class Status implements Callable<Integer> {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin private SocketOption socketOption;

    @Override
    public Integer call() {
      Path socket = socketOption.socket(spec.commandLine());
      String status = ResidentClient.status(socket);
      if (status == null) {
        spec.commandLine().getOut().println("not running (socket " + socket + ")");
        return 1;
      }
      spec.commandLine().getOut().println(status.strip());
      return 0;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stops the resident process once its running commands are done.")
  static final class Stop implements Callable<Integer> {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin private SocketOption socketOption;

    @Override
    public Integer call() throws InterruptedException {
      Path socket = socketOption.socket(spec.commandLine());
      String answer = ResidentClient.stop(socket);
      if (answer == null) {
        spec.commandLine().getOut().println("not running (socket " + socket + ")");
        return 0;
      }
      // the process removes its socket as it stops listening, before its last commands end
      long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
      while (Files.exists(socket)) {
        if (System.nanoTime() > deadline) {
          spec.commandLine()
              .getErr()
              .println("daemon: error: asked to stop, but " + socket + " is still there");
          return 1;
        }
        Thread.sleep(50);
      }
      spec.commandLine().getOut().println(answer.strip());
      return 0;
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Runs the resident process in the foreground until it stops.")
  static final class Serve implements Callable<Integer> {

    @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin private SocketOption socketOption;

    @CommandLine.Mixin private IdleTimeoutOption idle;

    @Option(
        names = "--no-warm-up",
        description = "Serve at once, without first compiling the tools' code on made-up files.")
    private boolean noWarmUp;

    @Override
    public Integer call() throws IOException {
      Path socket = socketOption.socket(spec.commandLine());
      ResidentServer server;
      try {
        server =
            ResidentServer.builder()
                .socket(socket)
                .commands(Argosy::commandLine)
                .idleTimeout(idle.idleTimeout)
                .warmUp(!noWarmUp)
                .build();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      System.err.println(
          "argosy resident process " + ProcessHandle.current().pid() + " on " + socket);
      server.serve();
      return 0;
    }
  }
}
