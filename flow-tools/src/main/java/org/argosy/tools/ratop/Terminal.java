package org.argosy.tools.ratop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal in character-at-a-time mode without echo (through stty), so that ratop
 * reacts to single keys; {@link #restore()} puts back the settings it found, also when the JVM is
 * stopped by Ctrl-C.
 */
final class Terminal {

  private final String savedSettings;

  private Terminal(String savedSettings) {
    this.savedSettings = savedSettings;
  }

  /** Raw mode on the controlling terminal, or null when there is none (output to a pipe). */
  static Terminal enterRawMode() {
    if (System.console() == null) {
      return null;
    }
    try {
      String saved = stty("-g").trim();
      stty("-icanon", "-echo", "min", "1");
      Terminal terminal = new Terminal(saved);
      Runtime.getRuntime().addShutdownHook(new Thread(terminal::restore, "restore-terminal"));
      return terminal;
    } catch (IOException e) {
      return null;
    }
  }

  synchronized void restore() {
    try {
      stty(savedSettings);
    } catch (IOException e) {
      // the terminal is gone; nothing left to restore
    }
  }

  private static String stty(String... args) throws IOException {
    String[] command = new String[args.length + 1];
    command[0] = "stty";
    System.arraycopy(args, 0, command, 1, args.length);
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/tty")))
            .redirectErrorStream(true)
            .start();
    try (InputStream out = process.getInputStream()) {
      String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("stty failed: " + text);
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
