package org.argosy.tools.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.argosy.tools.cli.FileToolLogging;
import org.argosy.tools.ra.RaCommand;
import org.argosy.tools.racluster.RaclusterCommand;
import org.argosy.tools.rasort.RasortCommand;
import picocli.CommandLine;

/**
 * {@code ToolMain NAME ARGS...}: one of the tools in a JVM of its own, as {@code ./argosy NAME}
 * runs it, so that the benchmark times whole processes (start-up included) on both sides and can
 * pipe one into the next. Kept here because flow-tools cannot depend on argosy-cli.
 */
public final class ToolMain {

  private static final Map<String, Supplier<Callable<Integer>>> TOOLS =
      Map.of(
          "ra", RaCommand::new,
          "racluster", RaclusterCommand::new,
          "rasort", RasortCommand::new);

  private ToolMain() {}

  public static void main(String[] args) {
    FileToolLogging.configure(args);
    Supplier<Callable<Integer>> tool = args.length == 0 ? null : TOOLS.get(args[0]);
    if (tool == null) {
      System.err.println("usage: ToolMain " + String.join("|", TOOLS.keySet()) + " ARGS...");
      System.exit(2);
    }
    CommandLine commandLine = new CommandLine(tool.get());
    int exit = commandLine.execute(Arrays.copyOfRange(args, 1, args.length));
    commandLine.getOut().flush();
    System.exit(exit);
  }
}
