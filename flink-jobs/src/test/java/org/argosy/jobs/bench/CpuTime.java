package org.argosy.jobs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU seconds used so far by this JVM, its running child processes (the broker) and its finished,
 * reaped ones (each {@code racluster} run): the work a benchmark run did. On two cores shared with
 * other builds, wall-clock time grows with everyone else's load; CPU time much less so, which makes
 * it the steadier comparison between runs at different load. Linux only ({@code /proc/self/stat}).
 */
final class CpuTime {

  /** {@code /proc} counts the CPU time of reaped children in clock ticks of 1/100 s on Linux. */
  private static final double SECONDS_PER_TICK = 0.01;

  private CpuTime() {}

  static double seconds() {
    double running = ProcessHandle.current().descendants().mapToDouble(CpuTime::cpuSeconds).sum();
    return cpuSeconds(ProcessHandle.current()) + running + reapedChildrenSeconds();
  }

  private static double cpuSeconds(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos() / 1e9;
  }

  /** Fields 16 and 17 of {@code /proc/self/stat}: cutime and cstime. */
  private static double reapedChildrenSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // After the command name in parentheses, fields start at 3 (the state).
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3])) * SECONDS_PER_TICK;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
