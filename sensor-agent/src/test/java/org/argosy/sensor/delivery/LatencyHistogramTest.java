package org.argosy.sensor.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
  private final LatencyHistogram histogram = new LatencyHistogram(Duration.ofSeconds(60), now::get);

  @Test
  void quantilesAreWithinThreePercentOfTheExactOnes() {
    Random random = new Random(7);
    long[] values = new long[100_000];
    for (int i = 0; i < values.length; i++) {
      // log-uniform from 10 µs to 10 s, as latencies spread
      values[i] = (long) Math.pow(10, 1 + 6 * random.nextDouble());
      histogram.record(values[i]);
    }
    java.util.Arrays.sort(values);
    for (double q : new double[] {0.5, 0.9, 0.99, 0.999}) {
      double exact = values[(int) Math.ceil(q * values.length) - 1];
      assertThat(histogram.quantileMicros(q)).as("q %s", q).isCloseTo(exact, within(exact * 0.03));
    }
    assertThat(histogram.count()).isEqualTo(values.length);
    assertThat(histogram.sumMicros()).isEqualTo(java.util.Arrays.stream(values).sum());
  }

  @Test
  void smallValuesAreExactAndEveryBucketRoundTrips() {
    for (long v = 0; v < 32; v++) {
      assertThat(LatencyHistogram.middleOf(LatencyHistogram.bucketOf(v))).isEqualTo(v);
    }
    for (int bucket = 0; bucket < LatencyHistogram.BUCKETS; bucket++) {
      double middle = LatencyHistogram.middleOf(bucket);
      assertThat(LatencyHistogram.bucketOf((long) middle))
          .as("bucket %d", bucket)
          .isEqualTo(bucket);
    }
    assertThat(LatencyHistogram.bucketOf(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
  }

  @Test
  void quantilesForgetWhatLeftTheWindowButSumAndCountDoNot() {
    assertThat(histogram.quantileMicros(0.5)).isNaN();
    for (int i = 0; i < 100; i++) {
      histogram.record(5_000_000); // a slow minute
    }
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    for (int i = 0; i < 100; i++) {
      histogram.record(1_000);
    }
    assertThat(histogram.quantileMicros(0.99)).isCloseTo(5_000_000, within(150_000.0));

    now.addAndGet(Duration.ofSeconds(45).toNanos());
    assertThat(histogram.quantileMicros(0.99))
        .as("the slow values are older than the window")
        .isCloseTo(1_000, within(30.0));
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    assertThat(histogram.quantileMicros(0.5)).isNaN();
    assertThat(histogram.count()).isEqualTo(200);
    assertThat(histogram.sumMicros()).isEqualTo(100 * 5_000_000L + 100 * 1_000L);
  }

  @Test
  void recordsTheTimeSinceAStart() {
    long start = now.get();
    now.addAndGet(Duration.ofMillis(250).toNanos());
    histogram.recordSince(start);
    assertThat(histogram.quantileMicros(0.5)).isCloseTo(250_000, within(250_000 * 0.03));
  }
}
