package org.argosy.cli.sensor;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.capture.CaptureFilter;
import org.argosy.sensor.capture.LiveCapture;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.publish.FlowRecordSink;

/**
 * Drives a sensor from its inputs until they end or the process is asked to stop. Ctrl-C and
 * SIGTERM ({@link StopSignals}) stop the inputs; the run then emits every active flow as a final
 * record, drains the outputs (Kafka, or the spool when Kafka does not take them within the drain
 * timeout) and returns normally, so that the command exits 0. Should that take longer than the stop
 * bound, the process exits 1 with a warning; a second signal exits 1 at once.
 */
final class SensorRun {

  /** How often the wall clock ages the flow table of a live sensor. */
  private static final long TICK_MILLIS = 1000;

  /**
   * How far the wall-clock tick stays behind now: packets reach us up to libpcap's read timeout
   * after their capture time, and a tick must never close a slot such a packet still belongs to.
   */
  private static final long TICK_LAG_MICROS = 2_000_000;

  private final Sensor sensor;
  private final FlowRecordSink sink;
  private final List<LiveCapture> captures;
  private final PrintWriter err;
  private final Duration stopBound;
  private final CountDownLatch finished = new CountDownLatch(1);

  /**
   * @param stopBound the longest a stop may take from the signal to the outputs being closed
   */
  SensorRun(
      Sensor sensor,
      FlowRecordSink sink,
      List<LiveCapture> captures,
      PrintWriter err,
      Duration stopBound) {
    this.sensor = sensor;
    this.sink = sink;
    this.captures = captures;
    this.err = err;
    this.stopBound = stopBound;
  }

  /**
   * Reads the packets of the files that pass {@code filter}, one file after the other; a file that
   * breaks off is reported and the rest read.
   */
  void readFiles(List<Path> files, CaptureFilter filter) {
    runUntilStopped(
        () -> {
          for (Path file : files) {
            try {
              sensor.readFile(file, filter);
            } catch (CaptureFileException e) {
              warn(e.getMessage());
            }
          }
        });
  }

  /** Captures on every interface, each on its own thread, until a stop. */
  void captureLive() throws InterruptedException {
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (LiveCapture capture : captures) {
      threads.add(
          new Thread(
              () -> {
                try {
                  capture.run(sensor.input(capture.linkType()));
                } catch (LiveCapture.LiveCaptureException | RuntimeException e) {
                  failure.compareAndSet(null, e);
                  captures.forEach(LiveCapture::stop);
                }
              },
              "capture-" + capture.interfaceName()));
    }
    runUntilStopped(
        () -> {
          for (LiveCapture capture : captures) {
            err.printf(
                "sensor: capturing on %s (%s)%n", capture.interfaceName(), capture.linkType());
          }
          err.flush();
          threads.forEach(Thread::start);
          for (Thread thread : threads) {
            while (thread.isAlive()) {
              thread.join(TICK_MILLIS);
              sensor.tick(System.currentTimeMillis() * 1000 - TICK_LAG_MICROS);
            }
          }
          reportDrops();
        });
    if (failure.get() != null) {
      throw new IllegalStateException(failure.get().getMessage(), failure.get());
    }
  }

  private interface Inputs {
    void run() throws InterruptedException;
  }

  /**
   * Runs the inputs with the stop signals handled, then emits every active flow, closes the sink
   * and prints the counters.
   */
  private void runUntilStopped(Inputs inputs) {
    try (StopSignals signals = new StopSignals(this::stop, this::stopNow)) {
      try {
        inputs.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        try {
          sensor.finish();
          sink.close();
          err.println("sensor: " + sensor.counters());
          err.flush();
        } finally {
          finished.countDown();
        }
      }
    }
  }

  /** The first SIGTERM or Ctrl-C: stop the inputs, and watch that the rest ends in time. */
  private void stop(String signal) {
    err.println("sensor: SIG" + signal + ": stopping capture, writing the final flow records");
    err.flush();
    sensor.requestStop();
    captures.forEach(LiveCapture::stop);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                if (!finished.await(stopBound.toMillis(), TimeUnit.MILLISECONDS)) {
                  warn("final flow records not written within " + stopBound + "; exiting");
                  System.exit(1);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "sensor-stop-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  private void stopNow(String signal) {
    warn("SIG" + signal + " again: exiting without waiting for the final flow records");
    System.exit(1);
  }

  private void reportDrops() {
    for (LiveCapture capture : captures) {
      try {
        LiveCapture.Stats stats = capture.stats();
        err.printf(
            "sensor: %s: %d packets received, %d dropped by the kernel, %d dropped by the"
                + " interface%n",
            capture.interfaceName(),
            stats.received(),
            stats.droppedByKernel(),
            stats.droppedByInterface());
      } catch (LiveCapture.LiveCaptureException e) {
        warn(e.getMessage());
      }
    }
    err.flush();
  }

  private void warn(String message) {
    err.println("sensor: warning: " + message);
    err.flush();
  }
}
