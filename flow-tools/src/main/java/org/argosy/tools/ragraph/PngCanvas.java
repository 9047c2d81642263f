package org.argosy.tools.ragraph;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/** Draws into an image with Java2D (headless: no display needed). */
final class PngCanvas implements Canvas {

  private final BufferedImage image;
  private final Graphics2D g;

  PngCanvas(int width, int height) {
    image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
  }

  BufferedImage image() {
    g.dispose();
    return image;
  }

  @Override
  public void line(double x1, double y1, double x2, double y2, int rgb, float width) {
    g.setColor(new Color(rgb));
    g.setStroke(new BasicStroke(width));
    g.draw(new Line2D.Double(x1, y1, x2, y2));
  }

  @Override
  public void polyline(double[] xs, double[] ys, int rgb, float width) {
    if (xs.length == 1) {
      fillRect(xs[0] - 2, ys[0] - 2, 4, 4, rgb);
      return;
    }
    Path2D.Double path = new Path2D.Double();
    path.moveTo(xs[0], ys[0]);
    for (int i = 1; i < xs.length; i++) {
      path.lineTo(xs[i], ys[i]);
    }
    g.setColor(new Color(rgb));
    g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(path);
  }

  @Override
  public void fillRect(double x, double y, double width, double height, int rgb) {
    g.setColor(new Color(rgb));
    g.fill(new Rectangle2D.Double(x, y, width, height));
  }

  @Override
  public void text(double x, double y, String text, Anchor anchor, int size, boolean bold) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, size));
    double width = g.getFontMetrics().stringWidth(text);
    double start =
        switch (anchor) {
          case START -> x;
          case MIDDLE -> x - width / 2;
          case END -> x - width;
        };
    g.drawString(text, (float) start, (float) y);
  }
}
