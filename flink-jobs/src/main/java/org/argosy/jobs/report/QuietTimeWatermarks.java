package org.argosy.jobs.report;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.argosy.avro.FlowRecord;

/**
 * Bounded out-of-orderness watermarks that keep moving when records stop: once a partition has been
 * silent for {@code quietAfter}, its event time advances with the wall clock from the newest record
 * it saw. Without this, the last windows before a lull (a replayed capture, a quiet night at a
 * small site) close only when traffic resumes, and an alert about them waits as long.
 *
 * <p>The price: a record that arrives after the clock has carried the watermark past its time (a
 * sensor replaying its spool after a long outage) is late, and goes to {@code flows-late} rather
 * than into its window. So this is an option, off by default for the report job.
 */
final class QuietTimeWatermarks implements WatermarkGenerator<FlowRecord> {

  private final long outOfOrdernessMillis;
  private final long quietAfterNanos;
  private final long idleAfterNanos;
  private final LongSupplier nanoClock;
  private final long createdNanos;
  private long newestTimestamp = Long.MIN_VALUE;
  private long lastArrivalNanos;
  private long emitted = Long.MIN_VALUE;

  /**
   * @param idleness a partition that has had no record at all for this long is idle, so that an
   *     empty partition does not hold the watermark; one that had records is never idle, its event
   *     time follows the clock instead (Flink's own idleness would freeze it)
   */
  QuietTimeWatermarks(
      Duration outOfOrderness, Duration quietAfter, Duration idleness, LongSupplier nanoClock) {
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    this.quietAfterNanos = quietAfter.toNanos();
    this.idleAfterNanos = idleness.toNanos();
    this.nanoClock = nanoClock;
    this.createdNanos = nanoClock.getAsLong();
  }

  @Override
  public void onEvent(FlowRecord record, long timestamp, WatermarkOutput output) {
    newestTimestamp = Math.max(newestTimestamp, timestamp);
    lastArrivalNanos = nanoClock.getAsLong();
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    if (newestTimestamp == Long.MIN_VALUE) {
      if (nanoClock.getAsLong() - createdNanos > idleAfterNanos) {
        output.markIdle();
      }
      return;
    }
    long watermark = newestTimestamp - outOfOrdernessMillis - 1;
    long quietNanos = nanoClock.getAsLong() - lastArrivalNanos;
    if (quietNanos > quietAfterNanos) {
      watermark += (quietNanos - quietAfterNanos) / 1_000_000;
    }
    if (watermark > emitted) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }
}
