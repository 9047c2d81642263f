package org.argosy.sensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Argus itself, the reference of the differential tests. */
final class Argus {

  private Argus() {}

  static boolean installed() {
    return onPath("argus") && onPath("racluster");
  }

  /**
   * {@code argus -r capture -w x.argus}, then {@code racluster -n -c , -s fields}: one row per flow
   * with its status records merged, header row left out; no rows when argus wrote no file.
   */
  static List<String[]> flows(Path capture, Path work, String... fields) throws Exception {
    Path argusFile = work.resolve(capture.getFileName() + ".argus");
    Path csv = work.resolve(capture.getFileName() + ".csv");
    run(work, "argus", "-r", capture.toString(), "-w", argusFile.toString());
    if (!Files.exists(argusFile)) {
      return List.of();
    }
    List<String> command =
        new ArrayList<>(List.of("racluster", "-r", argusFile.toString(), "-n", "-c", ",", "-s"));
    command.addAll(List.of(fields));
    run(csv, command.toArray(String[]::new));
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    return lines.stream().skip(1).map(line -> line.split(",", -1)).toList();
  }

  /** Runs a command; {@code output} is a directory (stdout discarded) or the file for stdout. */
  private static void run(Path output, String... command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    if (Files.isDirectory(output)) {
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    } else {
      builder.redirectOutput(output.toFile());
    }
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
    assertThat(process.exitValue()).as("%s exit code", command[0]).isZero();
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
