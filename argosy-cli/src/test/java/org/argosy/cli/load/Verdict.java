package org.argosy.cli.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import org.argosy.cli.load.PipelineSoak.Sample;

/**
 * What the soak's samples say, after the warm-up minute: the record rate held, and whether lag,
 * backlog, heaps and checkpoints stayed bounded. {@link #print} writes the figures BENCHMARKS.md
 * quotes; {@link #assertBounded} fails the run when a bound was crossed.
 */
final class Verdict {

  /** How far the job's committed offsets may trail: a checkpoint interval plus 20 s of records. */
  private static final long LAG_BOUND_SECONDS_PAST_CHECKPOINT = 20;

  /** How many seconds of records the sensor may hold unacknowledged. */
  private static final long BACKLOG_BOUND_SECONDS = 10;

  /** How much the median live heap may grow from the first half of the run to the second. */
  private static final long HEAP_GROWTH_BOUND = 64L << 20;

  private final List<Sample> steady;
  private final List<Long> checkpointMillis;
  private final List<FlinkCheckpoints.Failure> failedCheckpoints;
  private final long steadyFromMillis;
  private final Duration checkpointInterval;
  private final long trafficSeconds;
  private final double recordsPerSecond;

  Verdict(
      List<Sample> samples,
      long startMillis,
      Duration warmUp,
      FlinkCheckpoints checkpoints,
      Duration checkpointInterval,
      long trafficSeconds) {
    this.steady = samples.stream().filter(s -> s.second() >= warmUp.toSeconds()).toList();
    this.checkpointInterval = checkpointInterval;
    assertThat(steady).as("samples after the warm-up").hasSizeGreaterThan(2);
    this.checkpointMillis = List.copyOf(checkpoints.completedMillisById().values());
    this.failedCheckpoints = List.copyOf(checkpoints.failedById().values());
    this.steadyFromMillis = startMillis + warmUp.toMillis();
    this.trafficSeconds = trafficSeconds;
    Sample first = steady.get(0);
    Sample last = steady.get(steady.size() - 1);
    this.recordsPerSecond =
        (double) (last.sensorRecords() - first.sensorRecords()) / (last.second() - first.second());
  }

  void print(long captured, long counted, long received, long drops) {
    System.out.printf(
        "SOAK result: %d s of traffic, %.0f records/s held after the warm-up; packets received %d,"
            + " captured %d, kernel drops %d, counted by the job %d%n",
        trafficSeconds, recordsPerSecond, received, captured, drops, counted);
    System.out.printf(
        "SOAK lag (records): max %d, last %d, bound %d; sensor backlog max %d, bound %d; spool max"
            + " %d bytes%n",
        max(Sample::lag),
        steady.get(steady.size() - 1).lag(),
        lagBound(),
        max(Sample::sensorBacklog),
        backlogBound(),
        max(Sample::spoolBytes));
    System.out.printf(
        "SOAK live heap MiB, median (max) of the first half / of the second half: sensor %.1f"
            + " (%.1f) / %.1f (%.1f), job %.1f (%.1f) / %.1f (%.1f)%n",
        mib(half(Sample::sensorLiveHeap, true).median()),
        mib(half(Sample::sensorLiveHeap, true).max()),
        mib(half(Sample::sensorLiveHeap, false).median()),
        mib(half(Sample::sensorLiveHeap, false).max()),
        mib(half(Sample::jobLiveHeap, true).median()),
        mib(half(Sample::jobLiveHeap, true).max()),
        mib(half(Sample::jobLiveHeap, false).median()),
        mib(half(Sample::jobLiveHeap, false).max()));
    List<Long> sorted = checkpointMillis.stream().sorted().toList();
    System.out.printf(
        "SOAK checkpoints: %d completed, %d failed %s, end-to-end ms p50 %d, p99 %d, max %d%n",
        sorted.size(),
        failedCheckpoints.size(),
        failedCheckpoints,
        sorted.isEmpty() ? -1 : sorted.get(sorted.size() / 2),
        sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * 0.99)),
        sorted.isEmpty() ? -1 : sorted.get(sorted.size() - 1));
  }

  /**
   * Fails the run when a bound was crossed; a heap that grew too much is reported with the classes
   * that grew most in that process ({@link JvmHeap.Live#growthSince}).
   */
  void assertBounded(String sensorHeapGrowth, String jobHeapGrowth) {
    assertThat(max(Sample::lag))
        .as("the job's consumer lag after the warm-up")
        .isLessThanOrEqualTo(lagBound());
    assertThat(max(Sample::sensorBacklog))
        .as("records the sensor held unacknowledged after the warm-up")
        .isLessThanOrEqualTo(backlogBound());
    assertThat(max(Sample::spoolBytes)).as("bytes the sensor had to spool").isZero();
    for (boolean sensor : new boolean[] {true, false}) {
      ToLongFunction<Sample> heap = sensor ? Sample::sensorLiveHeap : Sample::jobLiveHeap;
      // the median: one sample taken while windows close and results wait for their commit
      // says little; a leak raises them all
      assertThat(half(heap, false).median())
          .as(
              "%s live heap, median of the second half against the first; grown most since the"
                  + " warm-up: %s",
              sensor ? "sensor" : "job", sensor ? sensorHeapGrowth : jobHeapGrowth)
          .isLessThanOrEqualTo(half(heap, true).median() + HEAP_GROWTH_BOUND);
    }
    assertThat(failedCheckpoints)
        .as("checkpoints that failed after the warm-up")
        .noneMatch(failure -> failure.triggeredAtMillis() >= steadyFromMillis);
    assertThat(checkpointMillis)
        .as("completed checkpoints, most intervals one")
        .hasSizeGreaterThanOrEqualTo(
            (int) (trafficSeconds / checkpointInterval.toSeconds() * 8 / 10));
    assertThat(checkpointMillis)
        .as("checkpoint end-to-end durations (ms) within their interval")
        .allSatisfy(millis -> assertThat(millis).isLessThan(checkpointInterval.toMillis()));
  }

  private long lagBound() {
    return (long)
        (recordsPerSecond * (checkpointInterval.toSeconds() + LAG_BOUND_SECONDS_PAST_CHECKPOINT));
  }

  private long backlogBound() {
    return (long) (recordsPerSecond * BACKLOG_BOUND_SECONDS);
  }

  private long max(ToLongFunction<Sample> figure) {
    return steady.stream().mapToLong(figure).max().orElseThrow();
  }

  /** Median and largest of some heap samples. */
  private record HeapFigures(long median, long max) {}

  /** The heap samples of the first or second half of the steady samples that have one. */
  private HeapFigures half(ToLongFunction<Sample> heap, boolean firstHalf) {
    List<Long> values = steady.stream().mapToLong(heap).filter(v -> v >= 0).boxed().toList();
    assertThat(values).as("heap samples after the warm-up").hasSizeGreaterThanOrEqualTo(2);
    List<Long> half =
        (firstHalf
                ? values.subList(0, values.size() / 2)
                : values.subList(values.size() / 2, values.size()))
            .stream().sorted().toList();
    return new HeapFigures(half.get(half.size() / 2), half.get(half.size() - 1));
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }
}
