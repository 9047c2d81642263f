package org.argosy.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

class QuietTimeWatermarksTest {

  private static final long MILLI = 1_000_000L;

  private final AtomicLong clock = new AtomicLong();
  private final List<Long> emitted = new ArrayList<>();
  private final WatermarkOutput output =
      new WatermarkOutput() {
        @Override
        public void emitWatermark(Watermark watermark) {
          emitted.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
          idleMarks++;
        }

        @Override
        public void markActive() {}
      };
  private final QuietTimeWatermarks watermarks =
      new QuietTimeWatermarks(
          Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), clock::get);
  private int idleMarks;

  private void tick(long millis) {
    clock.addAndGet(millis * MILLI);
    watermarks.onPeriodicEmit(output);
  }

  @Test
  void anEmptyPartitionEmitsNothingAndGoesIdle() {
    tick(20_000);
    assertThat(idleMarks).isZero();
    tick(20_000);
    assertThat(emitted).isEmpty();
    assertThat(idleMarks).isPositive();
  }

  @Test
  void boundedOutOfOrdernessWhileRecordsFlowThenTheClockAfterSilence() {
    watermarks.onEvent(null, 100_000, output);
    tick(1_000);
    assertThat(emitted).containsExactly(94_999L);
    watermarks.onEvent(null, 90_000, output); // older: the watermark stays
    tick(9_000);
    assertThat(emitted).containsExactly(94_999L);
    tick(4_000); // 13 s silent: 3 s past the quiet limit
    assertThat(emitted).containsExactly(94_999L, 97_999L);
    tick(20_000);
    assertThat(emitted).last().isEqualTo(117_999L);

    watermarks.onEvent(null, 101_000, output); // traffic again, behind the clock's watermark
    tick(1_000);
    assertThat(emitted).last().isEqualTo(117_999L); // never backwards
    watermarks.onEvent(null, 200_000, output);
    tick(1_000);
    assertThat(emitted).last().isEqualTo(194_999L);
    assertThat(idleMarks).as("a partition that had records follows the clock instead").isZero();
  }
}
