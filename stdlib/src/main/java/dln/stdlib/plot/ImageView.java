package dln.stdlib.plot;

import dln.runtime.DlnRuntimeException;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Grey pictures in the terminal and as PNG. In the terminal each character shows two pixel rows:
 * with colour, the upper half block '▀' takes the top pixel as its foreground and the bottom pixel
 * as its background (so a 28x28 digit takes 28 x 14 characters); without colour, the two pixels'
 * mean picks a shade from {@code " ░▒▓█"}.
 */
public final class ImageView {
  static final String SHADES = " ░▒▓█";
  private static final int GAP = 2;

  private ImageView() {}

  /** One picture as text lines joined by '\n'. */
  public static String render(GreyImage image, ColorMode color) {
    return String.join("\n", lines(image, color));
  }

  /** One picture as text lines, each exactly {@code image.cols()} characters wide (plus colour codes). */
  public static List<String> lines(GreyImage image, ColorMode color) {
    List<String> out = new ArrayList<>();
    for (int r = 0; r < image.rows(); r += 2) {
      StringBuilder sb = new StringBuilder();
      String lastFg = null, lastBg = null;
      for (int c = 0; c < image.cols(); c++) {
        double top = image.at(r, c);
        double bottom = r + 1 < image.rows() ? image.at(r + 1, c) : 0;
        if (color.on()) {
          String fg = color.fg(Palette.grey(top)), bg = color.bg(Palette.grey(bottom));
          if (!fg.equals(lastFg)) sb.append(fg);
          if (!bg.equals(lastBg)) sb.append(bg);
          lastFg = fg;
          lastBg = bg;
          sb.append('▀');
        } else {
          double mean = r + 1 < image.rows() ? (top + bottom) / 2 : top;
          sb.append(SHADES.charAt((int) Math.round(mean * (SHADES.length() - 1))));
        }
      }
      if (color.on()) sb.append(ColorMode.RESET);
      out.add(sb.toString());
    }
    return out;
  }

  /**
   * Several pictures side by side, wrapped to {@code maxWidth} characters, each with its label
   * (may be null) centred below it. Pictures of different sizes are padded to the largest.
   */
  public static String renderGrid(List<GreyImage> images, List<String> labels, int maxWidth, ColorMode color) {
    if (images.isEmpty()) throw DlnRuntimeException.value("no pictures to show: the batch is empty");
    checkLabels(images, labels);
    int rows = 0, cols = 0;
    for (GreyImage im : images) {
      rows = Math.max(rows, im.rows());
      cols = Math.max(cols, im.cols());
    }
    int perLine = Math.max(1, (maxWidth + GAP) / (cols + GAP));
    List<String> out = new ArrayList<>();
    for (int start = 0; start < images.size(); start += perLine) {
      int end = Math.min(images.size(), start + perLine);
      List<List<String>> blocks = new ArrayList<>();
      for (int i = start; i < end; i++) blocks.add(lines(pad(images.get(i), rows, cols), color));
      for (int line = 0; line < blocks.get(0).size(); line++) {
        StringBuilder sb = new StringBuilder();
        for (int b = 0; b < blocks.size(); b++) {
          if (b > 0) sb.append(" ".repeat(GAP));
          sb.append(blocks.get(b).get(line));
        }
        out.add(sb.toString());
      }
      if (labels != null) {
        StringBuilder sb = new StringBuilder();
        for (int i = start; i < end; i++) {
          if (i > start) sb.append(" ".repeat(GAP));
          sb.append(centered(labels.get(i) == null ? "" : labels.get(i), cols));
        }
        out.add(sb.toString().stripTrailing());
      }
      if (end < images.size()) out.add("");
    }
    return String.join("\n", out);
  }

  private static void checkLabels(List<GreyImage> images, List<String> labels) {
    if (labels != null && labels.size() != images.size()) {
      throw DlnRuntimeException.value("got " + images.size() + " pictures but " + labels.size() + " labels",
          "give one label per picture, e.g. labels=y_train[:16]");
    }
  }

  /** Pads a picture with black to rows x cols (top-left aligned). */
  private static GreyImage pad(GreyImage im, int rows, int cols) {
    if (im.rows() == rows && im.cols() == cols) return im;
    double[] out = new double[rows * cols];
    for (int r = 0; r < im.rows(); r++) {
      for (int c = 0; c < im.cols(); c++) out[r * cols + c] = im.at(r, c);
    }
    return new GreyImage(rows, cols, out);
  }

  private static String centered(String s, int width) {
    if (s.length() > width) return s.substring(0, width);
    int left = (width - s.length()) / 2;
    return " ".repeat(left) + s + " ".repeat(width - s.length() - left);
  }

  // ---------------------------------------------------------------- PNG

  /** The upscaling that makes the larger side of a picture at least about 112 pixels (28 -> x4). */
  public static int autoScale(GreyImage image) {
    return Math.max(1, 112 / Math.max(1, Math.max(image.rows(), image.cols())));
  }

  /** One picture, upscaled nearest-neighbour by {@code scale}. */
  public static BufferedImage toImage(GreyImage image, int scale) {
    Png.headless();
    BufferedImage out = new BufferedImage(image.cols() * scale, image.rows() * scale, BufferedImage.TYPE_INT_RGB);
    paint(out, image, 0, 0, scale);
    return out;
  }

  private static void paint(BufferedImage out, GreyImage image, int x0, int y0, int scale) {
    for (int r = 0; r < image.rows() * scale; r++) {
      for (int c = 0; c < image.cols() * scale; c++) {
        out.setRGB(x0 + c, y0 + r, Palette.grey(image.at(r / scale, c / scale)));
      }
    }
  }

  /**
   * Pictures in a grid of {@code columns} (0 = about square), each upscaled by {@code scale}, on a
   * white page with labels (may be null) written under each picture.
   */
  public static BufferedImage gridImage(List<GreyImage> images, List<String> labels, int columns, int scale) {
    Png.headless();
    if (images.isEmpty()) throw DlnRuntimeException.value("no pictures to save: the batch is empty");
    checkLabels(images, labels);
    int rows = 0, cols = 0;
    for (GreyImage im : images) {
      rows = Math.max(rows, im.rows());
      cols = Math.max(cols, im.cols());
    }
    int n = images.size();
    int perRow = columns > 0 ? columns : (int) Math.ceil(Math.sqrt(n));
    int gridRows = (n + perRow - 1) / perRow;
    int gap = 4, labelH = labels == null ? 0 : 18;
    int cellW = cols * scale, cellH = rows * scale;
    int w = gap + perRow * (cellW + gap), h = gap + gridRows * (cellH + labelH + gap);
    BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, w, h);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.setColor(Color.BLACK);
    FontMetrics fm = g.getFontMetrics();
    for (int i = 0; i < n; i++) {
      int x = gap + (i % perRow) * (cellW + gap), y = gap + (i / perRow) * (cellH + labelH + gap);
      paint(out, pad(images.get(i), rows, cols), x, y, scale);
      if (labels != null && labels.get(i) != null) {
        String l = labels.get(i);
        g.drawString(l, x + (cellW - fm.stringWidth(l)) / 2, y + cellH + fm.getAscent() + 2);
      }
    }
    g.dispose();
    return out;
  }

  /** Writes one picture (scale: see {@link #autoScale}) as PNG, atomically. */
  public static void save(GreyImage image, Path path, int scale) {
    Png.write(toImage(image, scale), path);
  }

  /** Writes a grid of pictures as PNG, atomically. */
  public static void saveGrid(List<GreyImage> images, List<String> labels, Path path, int columns, int scale) {
    Png.write(gridImage(images, labels, columns, scale), path);
  }
}
