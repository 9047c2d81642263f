package org.argosy.query.report;

import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneOffset;
import org.argosy.query.yaml.Durations;

/**
 * The event-time windows of a report: tumbling ({@code slide} equal to {@code size}) or sliding,
 * from a second to a day, aligned to midnight of a fixed UTC offset (UTC by default), with an
 * allowed lateness during which a closed window is updated by late records.
 */
public record ReportWindow(Duration size, Duration slide, ZoneOffset zone, Duration allowedLateness)
    implements Serializable {

  public static final Duration SHORTEST = Duration.ofSeconds(1);
  public static final Duration LONGEST = Duration.ofDays(1);

  public ReportWindow {
    check(size, "size");
    check(slide, "slide");
    if (slide.compareTo(size) > 0 || size.toSeconds() % slide.toSeconds() != 0) {
      throw new IllegalArgumentException(
          "slide " + slide.toSeconds() + "s must divide size " + size.toSeconds() + "s");
    }
    if (allowedLateness.isNegative() || allowedLateness.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(
          "allowed lateness must be 0s..1d, got " + allowedLateness.toSeconds() + "s");
    }
  }

  public static ReportWindow tumbling(Duration size) {
    return new ReportWindow(size, size, ZoneOffset.UTC, Duration.ZERO);
  }

  public boolean isTumbling() {
    return slide.equals(size);
  }

  /**
   * The window offset that aligns windows to midnight at {@link #zone} (Flink's {@code offset}):
   * local midnight is UTC midnight minus the zone's offset.
   */
  public Duration alignmentOffset() {
    long offset = Math.floorMod(-zone.getTotalSeconds(), slide.toSeconds());
    return Duration.ofSeconds(offset);
  }

  private static void check(Duration length, String what) {
    if (length.compareTo(SHORTEST) < 0
        || length.compareTo(LONGEST) > 0
        || length.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          what + " must be whole seconds from 1s to 1d, got " + Durations.format(length));
    }
  }
}
