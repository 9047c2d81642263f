package org.argosy.cli.load;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.argosy.cli.Commands;

/**
 * The live heap of another JVM: what is still in use right after a full collection, asked for with
 * {@code jcmd}. Heap in use between collections says more about the collector's pacing than about
 * what the program keeps; right after a full collection it is what the program holds on to.
 */
final class JvmHeap {

  /** G1's line of {@code GC.heap_info}: "garbage-first heap total 262144K, used 45678K". */
  private static final Pattern USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

  private JvmHeap() {}

  /** Collects the heap of process {@code pid} fully and returns the bytes still in use. */
  static long liveBytes(long pid) throws IOException {
    jcmd(pid, "GC.run");
    Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
    if (!used.find()) {
      throw new IOException("no heap figure in jcmd " + pid + " GC.heap_info");
    }
    return Long.parseLong(used.group(1)) * 1024;
  }

  private static String jcmd(long pid, String command) throws IOException {
    return Commands.output(
        Duration.ofSeconds(60),
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
            Long.toString(pid),
            command));
  }
}
