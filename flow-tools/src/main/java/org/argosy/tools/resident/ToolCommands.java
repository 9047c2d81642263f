package org.argosy.tools.resident;

import org.argosy.tools.cli.StandardStreams;
import picocli.CommandLine;

/** Makes the command line that the resident process executes for a client's arguments. */
@FunctionalInterface
public interface ToolCommands {

  /**
   * A new command line for {@code args} (the tool's name first) whose commands read {@code -r -}
   * from and write {@code -w -} to {@code streams}; its exit code handling is the one the tools
   * have when they run in a JVM of their own.
   */
  CommandLine commandLine(String[] args, StandardStreams streams);
}
