package org.argosy.cli.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid),
                command)
            .redirectErrorStream(true)
            .start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("jcmd " + pid + " " + command + ": no answer within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException("jcmd " + pid + " " + command + ": " + output.strip());
    }
    return output;
  }
}
