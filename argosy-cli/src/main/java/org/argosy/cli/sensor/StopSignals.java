package org.argosy.cli.sensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT (Ctrl-C) handled by the sensor itself rather than by the JVM's shutdown: the
 * JVM would end with status 143 or 130 after its shutdown hooks, however cleanly the sensor
 * stopped, and a service manager would report a failure. Here the first signal asks the run to stop
 * and the command returns normally (exit 0 once everything is written); a second signal ends the
 * process at once with status 1, for an operator who will not wait. Installed only while a run
 * lasts; the previous handlers come back afterwards, so that a command run inside a longer-lived
 * JVM (tests) leaves nothing behind.
 */
final class StopSignals implements AutoCloseable {

  private static final List<String> NAMES = List.of("TERM", "INT");

  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private final AtomicInteger received = new AtomicInteger();

  /**
   * @param onFirst called on the signal's own thread with the signal's name (TERM or INT)
   * @param onRepeat called instead for every later signal
   */
  StopSignals(Consumer<String> onFirst, Consumer<String> onRepeat) {
    SignalHandler handler =
        signal -> {
          if (received.getAndIncrement() == 0) {
            onFirst.accept(signal.getName());
          } else {
            onRepeat.accept(signal.getName());
          }
        };
    for (String name : NAMES) {
      Signal signal = new Signal(name);
      try {
        previous.add(Signal.handle(signal, handler));
        signals.add(signal);
      } catch (IllegalArgumentException e) {
        // the JVM was started with -Xrs or the signal is reserved: its default action stays
      }
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}
