package org.argosy.cli.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.argosy.cli.Commands;

/**
 * The live heap of another JVM: the objects still reachable after a full collection, counted by
 * {@code jcmd PID GC.class_histogram}. The histogram collects and counts in one safepoint, so
 * nothing the program allocates afterwards is in the figure. (Asking for {@code GC.run} and then
 * {@code GC.heap_info} counted whatever the program allocated between the two jcmd starts, up to a
 * second of allocation on a busy machine: tens of MiB of noise in a figure meant to show a leak.)
 */
final class JvmHeap {

  /** A histogram row: " 12: 3456 789012 java.lang.String (java.base@17)". */
  private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");

  /** The histogram's last line: "Total 123456 78901234". */
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

  /** Less than this is not worth naming in a growth report. */
  private static final long NOTICEABLE_GROWTH = 64 << 10;

  private JvmHeap() {}

  /** Live bytes of one process, in all and by class. */
  record Live(long bytes, Map<String, Long> bytesByClass) {

    /**
     * The classes whose live bytes grew most from {@code earlier} to this, largest first: what a
     * failed heap bound points at.
     */
    String growthSince(Live earlier, int classes) {
      String grown =
          bytesByClass.entrySet().stream()
              .map(
                  e ->
                      Map.entry(
                          e.getKey(),
                          e.getValue() - earlier.bytesByClass.getOrDefault(e.getKey(), 0L)))
              .filter(e -> e.getValue() >= NOTICEABLE_GROWTH)
              .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
              .limit(classes)
              .map(e -> String.format("%s +%.1f MiB", e.getKey(), e.getValue() / 1048576.0))
              .collect(Collectors.joining(", "));
      return grown.isEmpty() ? "no class by 64 KiB or more" : grown;
    }
  }

  /** Collects the heap of process {@code pid} fully and counts what is still in use. */
  static Live live(long pid) throws IOException {
    String histogram =
        Commands.output(
            Duration.ofSeconds(60),
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                "GC.class_histogram"));
    Matcher total = TOTAL.matcher(histogram);
    if (!total.find()) {
      throw new IOException("no Total line in jcmd " + pid + " GC.class_histogram");
    }
    Map<String, Long> byClass = new HashMap<>();
    for (String line : histogram.split("\n")) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        byClass.merge(row.group(2), Long.parseLong(row.group(1)), Long::sum);
      }
    }
    return new Live(Long.parseLong(total.group(1)), byClass);
  }
}
