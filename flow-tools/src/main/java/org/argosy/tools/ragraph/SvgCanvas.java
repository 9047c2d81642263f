package org.argosy.tools.ragraph;

import java.util.Locale;

/** Writes the drawing as an SVG document. */
final class SvgCanvas implements Canvas {

  private final StringBuilder svg = new StringBuilder();

  SvgCanvas(int width, int height) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\">%n",
            width,
            height,
            width,
            height));
  }

  String document() {
    return svg + "</svg>\n";
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, int rgb, float width) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#%06x\" stroke-width=\"%.1f\"/>%n",
            x1,
            y1,
            x2,
            y2,
            rgb,
            width));
  }

  @Override
  public void polyline(double[] xs, double[] ys, int rgb, float width) {
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < xs.length; i++) {
      points.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", xs[i], ys[i]));
    }
    svg.append(
        String.format(
            Locale.ROOT,
            "<polyline class=\"series\" fill=\"none\" stroke=\"#%06x\" stroke-width=\"%.1f\""
                + " stroke-linejoin=\"round\" points=\"%s\"/>%n",
            rgb,
            width,
            points));
  }

  @Override
  public void fillRect(double x, double y, double width, double height, int rgb) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#%06x\"/>%n",
            x,
            y,
            width,
            height,
            rgb));
  }

  @Override
  public void text(double x, double y, String text, Anchor anchor, int size, boolean bold) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%d\"%s text-anchor=\"%s\">%s</text>%n",
            x,
            y,
            size,
            bold ? " font-weight=\"bold\"" : "",
            anchor.name().toLowerCase(Locale.ROOT),
            escape(text)));
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
