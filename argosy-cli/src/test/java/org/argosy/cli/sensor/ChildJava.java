package org.argosy.cli.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Java main classes of this module run as child processes, as a user runs the sensor: the module's
 * classes and test classes and its runtime class path as the {@code ./argosy} launcher uses it.
 * Standard output and error go to a log file that {@link #awaitLine} watches.
 */
public final class ChildJava {

  private ChildJava() {}

  /** The command that runs {@code mainClass}, after {@code prefix} (e.g. ip netns exec NS). */
  public static List<String> command(List<String> prefix, String mainClass, String... args)
      throws IOException {
    return command(prefix, List.of("-Xmx512m"), mainClass, args);
  }

  /** As {@link #command(List, String, String...)}, with these JVM options. */
  public static List<String> command(
      List<String> prefix, List<String> jvmOptions, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(prefix);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath());
    command.add(mainClass);
    command.addAll(List.of(args));
    return command;
  }

  /** Starts the command with extra environment variables, its output going to {@code log}. */
  public static Process start(List<String> command, Map<String, String> environment, Path log)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(environment);
    return builder.start();
  }

  /** The module's classes and test classes, and its runtime class path. */
  static String classPath() throws IOException {
    Path target = FlowRecordFiles.projectRoot().resolve("argosy-cli/target");
    return String.join(
        ":",
        target.resolve("classes").toString(),
        target.resolve("test-classes").toString(),
        Files.readString(target.resolve("classpath.txt")).trim());
  }

  /** Waits up to 60 s for a line of the log, failing early when the process ends. */
  public static String awaitLine(Path log, Predicate<String> wanted, Process process)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (wanted.test(line)) {
            return line;
          }
        }
      }
      assertThat(process.isAlive()).as("still running: %s", Files.readString(log)).isTrue();
      Thread.sleep(100);
    }
    throw new AssertionError("expected line not in " + log + ": " + Files.readString(log));
  }
}
