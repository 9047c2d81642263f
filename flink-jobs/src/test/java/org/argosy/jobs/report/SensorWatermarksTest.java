package org.argosy.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.argosy.avro.FlowRecord;
import org.junit.jupiter.api.Test;

class SensorWatermarksTest {

  private static final long MILLI = 1_000_000L;
  private static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(5);
  private static final Duration IDLENESS = Duration.ofSeconds(30);
  private static final Duration SENSOR_TIMEOUT = Duration.ofMinutes(2);

  private static final FlowRecord A = flow("dc1", "s1");
  private static final FlowRecord B = flow("dc2", "s1"); // same id, other site: another sensor

  private final AtomicLong clock = new AtomicLong();
  private final List<Long> emitted = new ArrayList<>();
  private int idleMarks;
  private int activeMarks;
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
        public void markActive() {
          activeMarks++;
        }
      };

  /** With quiet advance after 10 s, as the report job with {@code --quiet-advance 10}. */
  private final SensorWatermarks quietAdvance = generator(Duration.ofSeconds(10));

  /** Without quiet advance, the default. */
  private final SensorWatermarks plain = generator(null);

  private SensorWatermarks generator(Duration quietAfter) {
    return new SensorWatermarks(OUT_OF_ORDERNESS, quietAfter, IDLENESS, SENSOR_TIMEOUT, clock::get);
  }

  private static FlowRecord flow(String site, String sensorId) {
    FlowRecord record = new FlowRecord();
    record.setSite(site);
    record.setSensorId(sensorId);
    return record;
  }

  private void tick(SensorWatermarks watermarks, long millis) {
    clock.addAndGet(millis * MILLI);
    watermarks.onPeriodicEmit(output);
  }

  private long watermark() {
    return emitted.isEmpty() ? Long.MIN_VALUE : emitted.get(emitted.size() - 1);
  }

  @Test
  void anEmptyPartitionEmitsNothingAndGoesIdle() {
    tick(quietAdvance, 20_000);
    assertThat(idleMarks).isZero();
    tick(quietAdvance, 20_000);
    assertThat(emitted).isEmpty();
    assertThat(idleMarks).isPositive();
  }

  @Test
  void boundedOutOfOrdernessWhileRecordsFlowThenTheClockAfterSilence() {
    SensorWatermarks watermarks = quietAdvance;
    watermarks.onEvent(A, 100_000, output);
    tick(watermarks, 1_000);
    assertThat(emitted).containsExactly(94_999L);
    watermarks.onEvent(A, 90_000, output); // older: the watermark stays
    tick(watermarks, 9_000);
    assertThat(emitted).containsExactly(94_999L);
    tick(watermarks, 4_000); // 13 s silent: 3 s past the quiet limit
    assertThat(emitted).containsExactly(94_999L, 97_999L);
    tick(watermarks, 20_000);
    assertThat(emitted).last().isEqualTo(117_999L);

    watermarks.onEvent(A, 101_000, output); // traffic again, behind the clock's watermark
    tick(watermarks, 1_000);
    assertThat(emitted).last().isEqualTo(117_999L); // never backwards
    watermarks.onEvent(A, 200_000, output);
    tick(watermarks, 1_000);
    assertThat(emitted).last().isEqualTo(194_999L);
    assertThat(idleMarks).as("a partition that had records follows the clock instead").isZero();
  }

  @Test
  void withoutQuietAdvanceASilentPartitionGoesIdleAndBackActiveWithRecords() {
    plain.onEvent(A, 100_000, output);
    tick(plain, 1_000);
    tick(plain, 40_000);
    assertThat(idleMarks).isOne();
    assertThat(emitted).as("event time does not follow the clock").containsExactly(94_999L);
    tick(plain, 1_000);
    assertThat(idleMarks).as("marked once").isOne();

    plain.onEvent(A, 100_500, output);
    tick(plain, 200);
    assertThat(activeMarks).isOne();
    assertThat(emitted).containsExactly(94_999L, 95_499L);
  }

  /** Two sensors send each second; B pauses for 30 s (its spool fills) while A goes on. */
  private void bPausesWhileAContinues(SensorWatermarks watermarks, int pauseSeconds) {
    for (int second = 0; second < 10; second++) {
      watermarks.onEvent(A, 100_000 + second * 1_000, output);
      watermarks.onEvent(B, 100_000 + second * 1_000, output);
      tick(watermarks, 1_000);
    }
    for (int second = 10; second < 10 + pauseSeconds; second++) {
      watermarks.onEvent(A, 100_000 + second * 1_000, output);
      tick(watermarks, 1_000);
    }
  }

  @Test
  void aSensorThatPausesHoldsTheWatermarkSoItsSpoolIsNotLate() {
    for (SensorWatermarks watermarks : List.of(plain, quietAdvance)) {
      emitted.clear();
      bPausesWhileAContinues(watermarks, 30);
      assertThat(watermark()).as("held by B's newest, 109 s").isEqualTo(103_999L);

      // B is back and replays its spool, then goes on with A.
      for (int second = 10; second < 45; second++) {
        long timestamp = 100_000 + second * 1_000;
        assertThat(timestamp).as("B's record is on time").isGreaterThan(watermark());
        watermarks.onEvent(B, timestamp, output);
        if (second >= 40) {
          watermarks.onEvent(A, timestamp, output);
        }
        tick(watermarks, 100);
      }
      assertThat(watermark()).as("A and B at 144 s").isEqualTo(138_999L);
      assertThat(emitted).isSorted();
    }
  }

  @Test
  void aSensorSilentPastTheTimeoutNoLongerHoldsTheWatermark() {
    bPausesWhileAContinues(plain, 115);
    assertThat(watermark()).as("still held by B, silent for 115 s").isEqualTo(103_999L);
    emitted.clear();
    for (int second = 125; second < 250; second++) {
      plain.onEvent(A, 100_000 + second * 1_000, output);
      tick(plain, 1_000);
    }
    assertThat(watermark()).as("A's own: 349 s - 5 s").isEqualTo(343_999L);
    assertThat(plain.sensorCount()).as("B forgotten").isOne();
  }

  @Test
  void aForgottenSensorComingBackDoesNotMoveTheWatermarkBackwards() {
    bPausesWhileAContinues(plain, 150);
    long passed = watermark();
    assertThat(passed).as("B forgotten, A at 259 s").isEqualTo(253_999L);

    plain.onEvent(B, 110_000, output); // B resumes its old spool: late, nothing to do about it
    plain.onEvent(A, 260_000, output);
    tick(plain, 1_000);
    assertThat(watermark()).isEqualTo(passed);
    for (int second = 11; second <= 160; second++) { // B catches up; A goes on
      plain.onEvent(B, 100_000 + second * 1_000, output);
      plain.onEvent(A, 160_000 + second * 1_000, output);
      tick(plain, 200);
    }
    assertThat(emitted).as("monotonic").isSorted().doesNotHaveDuplicates();
    assertThat(watermark()).as("held by B at 260 s again").isEqualTo(254_999L);
  }

  @Test
  void sensorsHeardFromNoMoreAreForgotten() {
    for (int i = 0; i < 1_000; i++) {
      plain.onEvent(flow("dc1", "sensor-" + i), 100_000, output);
    }
    tick(plain, 1_000);
    assertThat(plain.sensorCount()).isEqualTo(1_000);
    for (int second = 0; second < 130; second++) {
      plain.onEvent(A, 100_000 + second * 1_000, output);
      tick(plain, 1_000);
    }
    assertThat(plain.sensorCount()).isOne();
  }
}
