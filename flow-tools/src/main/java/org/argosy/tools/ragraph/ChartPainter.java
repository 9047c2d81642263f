package org.argosy.tools.ragraph;

/** Draws a chart: title, axes with ticks and units, one line per series, a legend. */
final class ChartPainter {

  private static final int BLACK = 0x000000;
  private static final int GRID = 0xdddddd;
  private static final int WHITE = 0xffffff;

  private ChartPainter() {}

  static void paint(Chart chart, Canvas canvas) {
    canvas.fillRect(0, 0, Chart.WIDTH, Chart.HEIGHT, WHITE);
    canvas.text(Chart.WIDTH / 2.0, 28, chart.title(), Canvas.Anchor.MIDDLE, 16, true);
    double left = Chart.LEFT;
    double right = Chart.WIDTH - Chart.RIGHT;
    double bottom = Chart.HEIGHT - Chart.BOTTOM;

    for (int tick = 0; tick <= Chart.Y_TICKS; tick++) {
      double value = chart.maxValue() * tick / Chart.Y_TICKS;
      double y = chart.y(value);
      canvas.line(left, y, right, y, GRID, 1);
      canvas.text(left - 8, y + 4, chart.valueLabel(value), Canvas.Anchor.END, 11, false);
    }
    for (int bin : chart.labelledBins()) {
      double x = chart.x(bin);
      canvas.line(x, bottom, x, bottom + 5, BLACK, 1);
      canvas.text(x, bottom + 20, chart.timeLabel(bin), Canvas.Anchor.MIDDLE, 11, false);
    }
    canvas.line(left, Chart.TOP, left, bottom, BLACK, 1.5f);
    canvas.line(left, bottom, right, bottom, BLACK, 1.5f);
    canvas.text(
        (left + right) / 2, Chart.HEIGHT - 15, chart.xAxisTitle(), Canvas.Anchor.MIDDLE, 12, false);

    for (int i = 0; i < chart.series().size(); i++) {
      Chart.Series series = chart.series().get(i);
      int colour = Chart.COLOURS[i % Chart.COLOURS.length];
      double[] xs = new double[series.values().length];
      double[] ys = new double[series.values().length];
      for (int bin = 0; bin < xs.length; bin++) {
        xs[bin] = chart.x(bin);
        ys[bin] = chart.y(series.values()[bin]);
      }
      canvas.polyline(xs, ys, colour, 2);
      double legendY = Chart.TOP + 10 + i * 22;
      canvas.line(right + 20, legendY, right + 45, legendY, colour, 3);
      canvas.text(right + 52, legendY + 4, series.label(), Canvas.Anchor.START, 12, false);
    }
  }
}
