package org.argosy.tools.ragraph;

/** The few drawing operations a chart needs, so one painter serves PNG and SVG alike. */
interface Canvas {

  /** Where a text's x coordinate is. */
  enum Anchor {
    START,
    MIDDLE,
    END
  }

  void line(double x1, double y1, double x2, double y2, int rgb, float width);

  void polyline(double[] xs, double[] ys, int rgb, float width);

  void fillRect(double x, double y, double width, double height, int rgb);

  void text(double x, double y, String text, Anchor anchor, int size, boolean bold);
}
