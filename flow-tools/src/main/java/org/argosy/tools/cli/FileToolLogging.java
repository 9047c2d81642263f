package org.argosy.tools.cli;

import java.util.Arrays;
import java.util.Set;

/**
 * Leaves logging off for ra, racluster and rasort over files. Nothing they do logs anything a user
 * needs, yet Avro and Arrow ask SLF4J for loggers, and finding log4j and reading its configuration
 * costs 0.4 to 0.6 s of CPU per process (BENCHMARKS.md, "Operator tools vs Argus and nfdump"), more
 * than racluster takes to merge two million records. With a topic (-S) the Kafka client's warnings
 * matter, and logging stays on.
 */
public final class FileToolLogging {

  private static final Set<String> FILE_TOOLS = Set.of("ra", "racluster", "rasort");

  private FileToolLogging() {}

  /**
   * Called first in a main method with its arguments (the tool's name first): binds SLF4J to its
   * no-operation provider unless the user chose a provider.
   */
  public static void configure(String[] args) {
    if (isFileToolRun(args)) {
      turnOff();
    }
  }

  /** Whether {@code args} (the tool's name first) run ra, racluster or rasort over files only. */
  public static boolean isFileToolRun(String[] args) {
    return args.length > 0 && FILE_TOOLS.contains(args[0]) && !Arrays.asList(args).contains("-S");
  }

  /** Binds SLF4J to its no-operation provider unless the user chose a provider. */
  public static void turnOff() {
    System.getProperties()
        .putIfAbsent("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
    // else SLF4J says on standard error that it loads the provider named
    System.getProperties().putIfAbsent("slf4j.internal.verbosity", "WARN");
  }
}
