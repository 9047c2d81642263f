package org.argosy.sensor.delivery;

import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Latencies in microseconds, kept as counts in log-linear buckets (32 per power of two: a quantile
 * is within about 3% of the true value) over a sliding window, for the p50/p99 of a Prometheus
 * summary. The window is six slices that rotate as time passes, so a quantile covers between five
 * and six sixths of the window; the sum and count cover the whole lifetime, as Prometheus expects
 * of a summary. Thread-safe; recording costs a lock and an array increment.
 */
public final class LatencyHistogram {

  private static final int SUB_BITS = 5;
  private static final int SUB_BUCKETS = 1 << SUB_BITS;

  /** Values from 2^40 µs (about 12 days) on share the last bucket. */
  private static final int MAX_EXPONENT = 40;

  static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB_BUCKETS;
  private static final int SLICES = 6;

  private final long sliceNanos;
  private final LongSupplier clock;
  private final long[][] counts = new long[SLICES][BUCKETS];
  private final long[] sliceEpoch = new long[SLICES];
  private long totalCount;
  private long totalMicros;

  /** A histogram whose quantiles cover about the last {@code window}. */
  public LatencyHistogram(Duration window) {
    this(window, System::nanoTime);
  }

  LatencyHistogram(Duration window, LongSupplier nanoClock) {
    if (window.toNanos() < SLICES) {
      throw new IllegalArgumentException("window too short: " + window);
    }
    this.sliceNanos = window.toNanos() / SLICES;
    this.clock = nanoClock;
    Arrays.fill(sliceEpoch, Long.MIN_VALUE);
  }

  /** Records one latency; negative values count as 0. */
  public void record(long micros) {
    long value = Math.max(0, micros);
    int bucket = bucketOf(value);
    synchronized (this) {
      current()[bucket]++;
      totalCount++;
      totalMicros += value;
    }
  }

  /** Records the time from {@code startNanos} (a {@link System#nanoTime()} reading) to now. */
  public void recordSince(long startNanos) {
    record((clock.getAsLong() - startNanos) / 1000);
  }

  /**
   * The {@code q} quantile (0 to 1) of the window in microseconds, as the middle of its bucket; NaN
   * when the window holds no value.
   */
  public synchronized double quantileMicros(double q) {
    if (q < 0 || q > 1) {
      throw new IllegalArgumentException("quantile must be between 0 and 1: " + q);
    }
    long epoch = Math.floorDiv(clock.getAsLong(), sliceNanos);
    long[] merged = new long[BUCKETS];
    long n = 0;
    for (int slice = 0; slice < SLICES; slice++) {
      if (sliceEpoch[slice] > epoch - SLICES) {
        for (int b = 0; b < BUCKETS; b++) {
          merged[b] += counts[slice][b];
        }
      }
    }
    for (long count : merged) {
      n += count;
    }
    if (n == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * n));
    long seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += merged[b];
      if (seen >= rank) {
        return middleOf(b);
      }
    }
    return middleOf(BUCKETS - 1);
  }

  /** Values recorded since the start. */
  public synchronized long count() {
    return totalCount;
  }

  /** Sum of the values recorded since the start, in microseconds. */
  public synchronized long sumMicros() {
    return totalMicros;
  }

  private long[] current() {
    long epoch = Math.floorDiv(clock.getAsLong(), sliceNanos);
    int slice = (int) Math.floorMod(epoch, SLICES);
    if (sliceEpoch[slice] != epoch) {
      Arrays.fill(counts[slice], 0);
      sliceEpoch[slice] = epoch;
    }
    return counts[slice];
  }

  static int bucketOf(long value) {
    if (value < SUB_BUCKETS) {
      return (int) value;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(value);
    if (exponent > MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int sub = (int) (value >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
    return (exponent - SUB_BITS + 1) * SUB_BUCKETS + sub;
  }

  /** The middle of the values of a bucket. */
  static double middleOf(int bucket) {
    if (bucket < SUB_BUCKETS) {
      return bucket;
    }
    int exponent = bucket / SUB_BUCKETS + SUB_BITS - 1;
    int sub = bucket % SUB_BUCKETS;
    double width = Math.pow(2, exponent - SUB_BITS);
    double low = Math.pow(2, exponent) + sub * width;
    return low + (width - 1) / 2;
  }
}
