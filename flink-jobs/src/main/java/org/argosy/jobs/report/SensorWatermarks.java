package org.argosy.jobs.report;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.argosy.avro.FlowRecord;

/**
 * The watermarks of one Kafka partition of {@code flows}: bounded out-of-orderness, but per sensor.
 *
 * <p><b>Per sensor.</b> Sensors share the partitions (records are keyed by conversation), and each
 * has its own clock and its own spool. After a broker outage the first sensor to reconnect sends
 * records of now while another's spool still holds records of the outage; a partition-wide "newest
 * minus out-of-orderness" would make all of those late. So the event time of a partition is the
 * oldest of the newest timestamps of its <em>live</em> sensors (site and sensor id): the watermark
 * waits for the sensor furthest behind.
 *
 * <p><b>Sensor timeout.</b> A sensor that has sent nothing on this partition for {@code
 * sensorTimeout} (wall clock) is forgotten and stops holding the watermark: a sensor that was
 * switched off or died holds windows back that long, no longer, and the map holds only sensors
 * heard from within the timeout. With no live sensor, the partition's newest record counts. A
 * forgotten sensor that comes back holds the watermark again from its own time on, but the
 * watermark never goes backwards: the records it sends from before the watermark are late.
 *
 * <p><b>Silence.</b> While no sensor sends on the partition, it behaves as a single-clock partition
 * did:
 *
 * <ul>
 *   <li>without {@code quietAfter}, it is idle after {@code idleness} without records (Flink's
 *       {@code withIdleness}), so that it does not hold the other partitions back;
 *   <li>with {@code quietAfter}, once silent that long its event time follows the wall clock (the
 *       last windows before a lull close without waiting for traffic, and an alert about them waits
 *       no longer); it goes idle only if it never had a record. The price: a record that arrives
 *       after the clock has carried the watermark past its time (a sensor replaying its spool after
 *       a broker outage longer than {@code quietAfter} plus the out-of-orderness) is late, so this
 *       is an option, off by default.
 * </ul>
 */
final class SensorWatermarks implements WatermarkGenerator<FlowRecord> {

  private final long outOfOrdernessMillis;
  private final Long quietAfterNanos;
  private final long idleAfterNanos;
  private final long sensorTimeoutNanos;
  private final LongSupplier nanoClock;
  private final long createdNanos;

  private final Map<SensorKey, Sensor> sensors = new HashMap<>();
  private long newestTimestamp = Long.MIN_VALUE;
  private long lastArrivalNanos;
  private long emitted = Long.MIN_VALUE;
  private boolean idle;

  /**
   * @param quietAfter null: a silent partition goes idle after {@code idleness}; else the silence
   *     after which its event time follows the clock
   * @param idleness a partition without records for this long is idle (with {@code quietAfter}:
   *     only one that never had a record, the others follow the clock instead)
   * @param sensorTimeout a sensor silent on the partition for this long no longer holds it back
   */
  SensorWatermarks(
      Duration outOfOrderness,
      Duration quietAfter,
      Duration idleness,
      Duration sensorTimeout,
      LongSupplier nanoClock) {
    this.outOfOrdernessMillis = outOfOrderness.toMillis();
    this.quietAfterNanos = quietAfter == null ? null : quietAfter.toNanos();
    this.idleAfterNanos = idleness.toNanos();
    this.sensorTimeoutNanos = sensorTimeout.toNanos();
    this.nanoClock = nanoClock;
    this.createdNanos = nanoClock.getAsLong();
  }

  @Override
  public void onEvent(FlowRecord record, long timestamp, WatermarkOutput output) {
    long now = nanoClock.getAsLong();
    Sensor sensor =
        sensors.computeIfAbsent(
            new SensorKey(record.getSite(), record.getSensorId()), key -> new Sensor());
    sensor.newestTimestamp = Math.max(sensor.newestTimestamp, timestamp);
    sensor.lastArrivalNanos = now;
    newestTimestamp = Math.max(newestTimestamp, timestamp);
    lastArrivalNanos = now;
  }

  @Override
  public void onPeriodicEmit(WatermarkOutput output) {
    long now = nanoClock.getAsLong();
    if (newestTimestamp == Long.MIN_VALUE) {
      if (now - createdNanos > idleAfterNanos) {
        markIdle(output);
      }
      return;
    }
    long silentNanos = now - lastArrivalNanos;
    if (quietAfterNanos == null && silentNanos > idleAfterNanos) {
      markIdle(output);
      return;
    }
    if (idle) {
      // Records again: count in the combined watermark even if this one does not move (Flink's
      // bounded out-of-orderness re-emits its watermark each period, which does the same).
      idle = false;
      output.markActive();
    }
    long eventTime = forgetTimedOutAndTakeOldestLive(now);
    long watermark = eventTime - outOfOrdernessMillis - 1;
    if (quietAfterNanos != null && silentNanos > quietAfterNanos) {
      watermark += (silentNanos - quietAfterNanos) / 1_000_000;
    }
    if (watermark > emitted) {
      emitted = watermark;
      output.emitWatermark(new Watermark(watermark));
    }
  }

  /** The sensors remembered (those heard from within the timeout, as of the last emit). */
  int sensorCount() {
    return sensors.size();
  }

  private void markIdle(WatermarkOutput output) {
    if (!idle) {
      idle = true;
      output.markIdle();
    }
  }

  /**
   * Drops the sensors silent for longer than the timeout; returns the oldest newest timestamp of
   * the others, or the partition's newest if none is left.
   */
  private long forgetTimedOutAndTakeOldestLive(long now) {
    long oldest = Long.MAX_VALUE;
    for (Iterator<Sensor> it = sensors.values().iterator(); it.hasNext(); ) {
      Sensor sensor = it.next();
      if (now - sensor.lastArrivalNanos > sensorTimeoutNanos) {
        it.remove();
      } else {
        oldest = Math.min(oldest, sensor.newestTimestamp);
      }
    }
    return oldest == Long.MAX_VALUE ? newestTimestamp : oldest;
  }

  private record SensorKey(String site, String sensorId) {}

  private static final class Sensor {
    long newestTimestamp = Long.MIN_VALUE;
    long lastArrivalNanos;
  }
}
