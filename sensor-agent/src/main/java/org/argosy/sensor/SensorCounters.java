package org.argosy.sensor;

import java.util.EnumMap;
import java.util.Map;
import org.argosy.sensor.decode.SkipReason;

/** What a sensor has seen: packets metered, packets skipped by reason, records emitted. */
public final class SensorCounters {

  private long packets;
  private long wireBytes;
  private long records;
  private final EnumMap<SkipReason, Long> skipped = new EnumMap<>(SkipReason.class);

  void packet(long wireLength) {
    packets++;
    wireBytes += wireLength;
  }

  void skipped(SkipReason reason) {
    skipped.merge(reason, 1L, Long::sum);
  }

  void unreadable(long records) {
    if (records > 0) {
      packets += records;
      skipped.merge(SkipReason.BAD_CAPTURE_RECORD, records, Long::sum);
    }
  }

  void record() {
    records++;
  }

  /** Packets read, metered or not. */
  public long packets() {
    return packets;
  }

  public long wireBytes() {
    return wireBytes;
  }

  public long records() {
    return records;
  }

  public Map<SkipReason, Long> skipped() {
    return Map.copyOf(skipped);
  }

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  @Override
  public String toString() {
    return packets
        + " packets, "
        + wireBytes
        + " bytes, "
        + records
        + " flow records, skipped "
        + (skipped.isEmpty() ? "none" : skipped.toString());
  }
}
