package org.argosy.tools.ragraph;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A line chart of series over equal time bins, and the layout both renderers (PNG, SVG) draw from,
 * so that the two pictures agree: plot area, value scale with round ticks, UTC time labels.
 */
record Chart(String title, String unit, long firstBinMicros, long binMicros, List<Series> series) {

  static final int WIDTH = 1000;
  static final int HEIGHT = 560;
  static final int LEFT = 90;
  static final int RIGHT = 200;
  static final int TOP = 50;
  static final int BOTTOM = 60;
  static final int Y_TICKS = 5;
  static final int X_TICKS = 6;

  /** Series colours, distinguishable in print and for common colour blindness. */
  static final int[] COLOURS = {
    0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2, 0x7f7f7f
  };

  /** One line: its legend label and one value per bin. */
  record Series(String label, double[] values) {}

  int bins() {
    return series.isEmpty() ? 0 : series.get(0).values().length;
  }

  /** The top of the value axis: a round number at or above the largest value. */
  double maxValue() {
    double max = 0;
    for (Series s : series) {
      for (double v : s.values()) {
        max = Math.max(max, v);
      }
    }
    if (max <= 0) {
      return 1;
    }
    double step = Math.pow(10, Math.floor(Math.log10(max / Y_TICKS)));
    for (double nice : new double[] {1, 2, 2.5, 5, 10}) {
      if (nice * step * Y_TICKS >= max) {
        return nice * step * Y_TICKS;
      }
    }
    return 10 * step * Y_TICKS;
  }

  double x(int bin) {
    int plotWidth = WIDTH - LEFT - RIGHT;
    return LEFT + (bins() <= 1 ? plotWidth / 2.0 : plotWidth * bin / (double) (bins() - 1));
  }

  double y(double value) {
    int plotHeight = HEIGHT - TOP - BOTTOM;
    return TOP + plotHeight * (1 - value / maxValue());
  }

  /** A value with an SI prefix and the unit, e.g. 1.5 MB/s. */
  String valueLabel(double value) {
    String[] prefixes = {"", "k", "M", "G", "T"};
    int index = 0;
    while (Math.abs(value) >= 1000 && index < prefixes.length - 1) {
      value /= 1000;
      index++;
    }
    String number =
        value == Math.rint(value)
            ? Long.toString((long) value)
            : String.format(Locale.ROOT, "%.1f", value);
    return number + " " + prefixes[index] + unit;
  }

  /** The UTC time of a bin's start, as HH:mm:ss (with the date when the chart spans days). */
  String timeLabel(int bin) {
    long micros = firstBinMicros + bin * binMicros;
    boolean days = bins() * binMicros > 86_400_000_000L;
    DateTimeFormatter format =
        DateTimeFormatter.ofPattern(days ? "MM-dd HH:mm" : "HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    return format.format(Instant.EPOCH.plusNanos(micros * 1000));
  }

  /** The bins that get a time label on the x axis: evenly spaced, at most X_TICKS of them. */
  int[] labelledBins() {
    int step = Math.max(1, (int) Math.ceil((bins() - 1) / (double) (X_TICKS - 1)));
    return java.util.stream.IntStream.iterate(0, bin -> bin < bins(), bin -> bin + step).toArray();
  }

  String xAxisTitle() {
    return "time (UTC), " + (binMicros / 1_000_000) + " s bins";
  }
}
