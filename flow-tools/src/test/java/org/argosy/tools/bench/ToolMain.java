package org.argosy.tools.bench;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.argosy.tools.cli.FileToolLogging;
import org.argosy.tools.cli.StandardStreams;
import org.argosy.tools.ra.RaCommand;
import org.argosy.tools.racluster.RaclusterCommand;
import org.argosy.tools.rasort.RasortCommand;
import org.argosy.tools.resident.ResidentServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ToolMain NAME ARGS...}: one of the tools in a JVM of its own, as {@code ./argosy NAME}
 * runs it, so that the benchmark times whole processes (start-up included) on both sides and can
 * pipe one into the next; {@code ToolMain serve SOCKET} is the resident process for them, as {@code
 * ./argosy daemon serve} runs it. Kept here because flow-tools cannot depend on argosy-cli.
 */
public final class ToolMain {

  private static final Map<String, Function<StandardStreams, Callable<Integer>>> TOOLS =
      Map.of(
          "ra", RaCommand::new,
          "racluster", RaclusterCommand::new,
          "rasort", RasortCommand::new);

  /** The top command, under which the tool named first is the subcommand. */
  @Command(name = "tools")
  static final class Tools {}

  private ToolMain() {}

  /** The command line for {@code args} (a tool's name first), its tools on {@code streams}. */
  public static CommandLine commandLine(String[] args, StandardStreams streams) {
    CommandLine commandLine = new CommandLine(new Tools());
    Function<StandardStreams, Callable<Integer>> tool =
        args.length == 0 ? null : TOOLS.get(args[0]);
    if (tool != null) {
      commandLine.addSubcommand(args[0], tool.apply(streams));
    }
    return commandLine;
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("serve")) {
      ResidentServer.builder()
          .socket(Path.of(args[1]))
          .commands(ToolMain::commandLine)
          .warmUp(true)
          .build()
          .serve();
      return;
    }
    FileToolLogging.configure(args);
    if (args.length == 0 || !TOOLS.containsKey(args[0])) {
      System.err.println("usage: ToolMain " + String.join("|", TOOLS.keySet()) + " ARGS...");
      System.exit(2);
    }
    CommandLine commandLine = commandLine(args, StandardStreams.system());
    int exit = commandLine.execute(args);
    commandLine.getOut().flush();
    System.exit(exit);
  }
}
