package org.argosy.sensor.fuzz;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs numbered fuzz inputs on a worker thread under a watchdog. The seed and the number of inputs
 * come from system properties ({@code argosy.fuzz.seed}, {@code argosy.fuzz.<name>.inputs}; the
 * {@code fuzz} Maven profile raises the counts), are printed, and inputs are generated from them
 * alone, so a failure reproduces with the printed seed. A run fails on the first input whose
 * handling throws, on one that does not finish within the time bound (a hang: the message carries
 * the worker's stack), and when the heap after a full collection grows by more than the bound
 * between the first sample (a fifth of the inputs in) and the last.
 */
final class FuzzRun {

  /** The default seed: fixed, so that the default run is the same run every time. */
  static final long DEFAULT_SEED = 0x5EED_2026_1129L;

  /** One numbered input: builds it from the run's random state and hands it to the target. */
  interface Target {
    void run(long index) throws Exception;
  }

  /** What the run did: inputs, time, heap used after full collections at the samples. */
  record Result(long inputs, Duration elapsed, List<Long> heapSamples) {
    long heapGrowth() {
      long first = heapSamples.get(0);
      return heapSamples.stream().mapToLong(Long::longValue).max().orElse(first) - first;
    }
  }

  private final String name;
  private final long seed;
  private final long inputs;
  private final Duration perInput;
  private final long heapGrowthBound;

  /**
   * @param defaultInputs inputs when {@code argosy.fuzz.<name>.inputs} is not set
   * @param perInput an input running longer than this is a hang
   * @param heapGrowthBound bytes the heap may grow by after the first sample
   */
  FuzzRun(String name, long defaultInputs, Duration perInput, long heapGrowthBound) {
    this.name = name;
    this.seed = Long.getLong("argosy.fuzz.seed", DEFAULT_SEED);
    this.inputs = Long.getLong("argosy.fuzz." + name + ".inputs", defaultInputs);
    this.perInput = perInput;
    this.heapGrowthBound = heapGrowthBound;
  }

  long seed() {
    return seed;
  }

  long inputs() {
    return inputs;
  }

  /**
   * Runs inputs {@code 0 .. inputs-1} in order.
   *
   * @param describe explains the input being run (link type, mutations, bytes) for a failure
   * @throws AssertionError naming the seed, the input and what went wrong
   */
  Result run(Target target, Supplier<String> describe) throws InterruptedException {
    System.out.printf(
        "fuzz %s: seed %d (-Dargosy.fuzz.seed=%d), %d inputs%n", name, seed, seed, inputs);
    List<Long> heap = new ArrayList<>();
    long[] current = {-1};
    long[] startedNanos = {0};
    Throwable[] failure = {null};
    long sampleEvery = Math.max(1, inputs / 5);
    Thread worker =
        new Thread(
            () -> {
              try {
                for (long i = 0; i < inputs; i++) {
                  if (i % sampleEvery == 0 && i > 0) {
                    synchronized (current) {
                      current[0] = -1; // between inputs: a collection is not a hang
                    }
                    heap.add(heapAfterGc());
                  }
                  synchronized (current) {
                    current[0] = i;
                    startedNanos[0] = System.nanoTime();
                  }
                  target.run(i);
                }
                heap.add(heapAfterGc());
              } catch (Throwable t) {
                failure[0] = t;
              }
            },
            "fuzz-" + name);
    worker.setDaemon(true); // a hung worker must not keep the test JVM alive
    long start = System.nanoTime();
    worker.start();
    while (worker.isAlive()) {
      worker.join(50);
      long index;
      long running;
      synchronized (current) {
        index = current[0];
        running = System.nanoTime() - startedNanos[0];
      }
      if (worker.isAlive() && index >= 0 && running > perInput.toNanos()) {
        AssertionError hang =
            new AssertionError(
                String.format(
                    "fuzz %s, seed %d: input #%d did not finish within %s (hang); %s",
                    name, seed, index, perInput, describe.get()));
        hang.setStackTrace(worker.getStackTrace());
        throw hang;
      }
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    if (failure[0] != null) {
      throw new AssertionError(
          String.format(
              "fuzz %s, seed %d: input #%d failed: %s; %s",
              name, seed, current[0], failure[0], describe.get()),
          failure[0]);
    }
    Result result = new Result(inputs, elapsed, heap);
    System.out.printf(
        "fuzz %s: %d inputs in %d ms, heap after GC %s MiB (growth %d KiB, bound %d KiB)%n",
        name,
        inputs,
        elapsed.toMillis(),
        heap.stream().map(b -> Long.toString(b >> 20)).toList(),
        result.heapGrowth() >> 10,
        heapGrowthBound >> 10);
    if (heap.size() > 1 && result.heapGrowth() > heapGrowthBound) {
      throw new AssertionError(
          String.format(
              "fuzz %s, seed %d: heap after GC grew by %d KiB over the run (bound %d KiB): %s",
              name, seed, result.heapGrowth() >> 10, heapGrowthBound >> 10, heap));
    }
    return result;
  }

  private static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }
}
