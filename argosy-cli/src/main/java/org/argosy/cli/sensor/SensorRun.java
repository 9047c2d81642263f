package org.argosy.cli.sensor;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.argosy.sensor.Sensor;
import org.argosy.sensor.capture.LiveCapture;
import org.argosy.sensor.capture.PcapFileReader.CaptureFileException;
import org.argosy.sensor.publish.FlowRecordSink;

/**
 * Drives a sensor from its inputs until they end or the process is asked to stop. Ctrl-C and
 * SIGTERM run a shutdown hook that stops the inputs and then waits until this run has emitted every
 * active flow and closed the outputs, so that no flow is lost on a stop.
 */
final class SensorRun {

  /** How often the wall clock ages the flow table of a live sensor. */
  private static final long TICK_MILLIS = 1000;

  /**
   * How far the wall-clock tick stays behind now: packets reach us up to libpcap's read timeout
   * after their capture time, and a tick must never close a slot such a packet still belongs to.
   */
  private static final long TICK_LAG_MICROS = 2_000_000;

  /** The longest a stop waits for the final records to be written. */
  private static final long FINISH_WAIT_SECONDS = 60;

  private final Sensor sensor;
  private final FlowRecordSink sink;
  private final List<LiveCapture> captures;
  private final PrintWriter err;
  private final CountDownLatch finished = new CountDownLatch(1);

  SensorRun(Sensor sensor, FlowRecordSink sink, List<LiveCapture> captures, PrintWriter err) {
    this.sensor = sensor;
    this.sink = sink;
    this.captures = captures;
    this.err = err;
  }

  /** Reads the files one after the other; a file that breaks off is reported and the rest read. */
  void readFiles(List<Path> files) {
    runUntilStopped(
        () -> {
          for (Path file : files) {
            try {
              sensor.readFile(file);
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
   * Runs the inputs with a shutdown hook installed, then emits every active flow, closes the sink
   * and prints the counters, all before the hook may let the JVM end. The hook is removed
   * afterwards, so that a command run inside a longer-lived JVM (tests) leaves none behind.
   */
  private void runUntilStopped(Inputs inputs) {
    Thread hook = new Thread(this::stopAndAwaitFinish, "sensor-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
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
        removeHook(hook);
      }
    }
  }

  private void stopAndAwaitFinish() {
    sensor.requestStop();
    captures.forEach(LiveCapture::stop);
    try {
      if (!finished.await(FINISH_WAIT_SECONDS, TimeUnit.SECONDS)) {
        warn("final flow records not written within " + FINISH_WAIT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook is running and waits for us
    }
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
