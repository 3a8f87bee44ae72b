package dln.stdlib.plot;

import dln.runtime.DlnRuntimeException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A line chart of one or more named series, drawn in the terminal with braille dots (axes, ticks,
 * legend) or as a PNG with JFreeChart. The terminal rendering is deterministic, so the same data
 * always gives the same text.
 *
 * <pre>{@code
 * String text = new LineChart().title("loss").size(60, 12)
 *     .add("loss", new double[] {2.3, 0.9, 0.5}).render();
 * }</pre>
 *
 * <p>{@code width} and {@code height} are the drawing area in character cells; the y labels, axis
 * lines, title and legend come on top. Without colour, series differ by line pattern (solid,
 * dashed, dotted...) and by their point markers; with colour they differ by colour too.
 */
public final class LineChart {
  /** One named series of points; non-finite values leave a gap in the line. */
  public record Series(String name, double[] xs, double[] ys) {
    public Series {
      if (xs.length != ys.length) {
        throw DlnRuntimeException.shape("the x values have " + xs.length + " entries but the y values have " + ys.length,
            "give as many x values as y values");
      }
    }
  }

  static final char[] MARKERS = {'•', '×', '+', 'o', '*', '#', '@', '%'};
  static final int[] PATTERNS = {0xff, 0x33, 0x55, 0x0f, 0x3f, 0x5f};

  private final List<Series> series = new ArrayList<>();
  private String title;
  private String xLabel;
  private int width = 60;
  private int height = 15;
  private ColorMode color = ColorMode.OFF;

  public LineChart title(String title) {
    this.title = title;
    return this;
  }

  public LineChart xLabel(String xLabel) {
    this.xLabel = xLabel;
    return this;
  }

  /** Size of the drawing area in character cells (at least 10 x 3). */
  public LineChart size(int width, int height) {
    if (width < 10 || height < 3) {
      throw DlnRuntimeException.value("a chart needs width >= 10 and height >= 3, got width=" + width + ", height=" + height);
    }
    this.width = width;
    this.height = height;
    return this;
  }

  public LineChart color(ColorMode color) {
    this.color = color;
    return this;
  }

  public LineChart color(boolean on) {
    return color(ColorMode.of(on));
  }

  public LineChart add(String name, double[] xs, double[] ys) {
    series.add(new Series(name, xs.clone(), ys.clone()));
    return this;
  }

  /** A series over x = 0, 1, 2, ... */
  public LineChart add(String name, double[] ys) {
    return add(name, range(0, ys.length), ys);
  }

  public LineChart add(String name, float[] ys) {
    return add(name, toDoubles(ys));
  }

  public LineChart add(String name, INDArray ys) {
    return add(name, vector(ys, "y"));
  }

  public LineChart add(String name, INDArray xs, INDArray ys) {
    return add(name, vector(xs, "x"), vector(ys, "y"));
  }

  public List<Series> series() {
    return Collections.unmodifiableList(series);
  }

  public String title() {
    return title;
  }

  /** x = start, start+1, ... (n values). */
  static double[] range(int start, int n) {
    double[] xs = new double[n];
    for (int i = 0; i < n; i++) xs[i] = start + i;
    return xs;
  }

  static double[] toDoubles(float[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) out[i] = v[i];
    return out;
  }

  /** A tensor with one non-trivial axis (shape [n], [n,1] or [1,n]) as doubles. */
  static double[] vector(INDArray a, String what) {
    long nonTrivial = 0;
    for (long d : a.shape()) if (d > 1) nonTrivial++;
    if (nonTrivial > 1) {
      throw DlnRuntimeException.shape("a line chart needs a 1-D list of " + what + " values, got a tensor of shape "
          + java.util.Arrays.toString(a.shape()), "plot one row or column, e.g. x[:, 0]");
    }
    return a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(a.length()).toDoubleVector();
  }

  // ---------------------------------------------------------------- terminal

  /** The chart as text lines joined by '\n' (no trailing newline). */
  public String render() {
    return String.join("\n", lines());
  }

  /** The chart as text lines. */
  public List<String> lines() {
    if (series.isEmpty()) throw DlnRuntimeException.value("nothing to plot: the chart has no series");
    double[] xr = range(true), yr = range(false);
    boolean intX = allIntegers();
    Ticks xt = Ticks.inside(xr[0], xr[1], Math.max(2, width / 10), intX);
    Ticks yt = Ticks.inside(yr[0], yr[1], Math.max(2, height / 2), false);
    // Extend y to whole ticks so the top and bottom rows carry labels.
    double yLo = Math.floor(yr[0] / yt.step + 1e-9) * yt.step;
    double yHi = Math.ceil(yr[1] / yt.step - 1e-9) * yt.step;
    if (yHi <= yLo) yHi = yLo + yt.step;
    yt = Ticks.every(yLo, yHi, yt.step);
    double xLo = xr[0], xHi = xr[1];

    BrailleCanvas c = new BrailleCanvas(width, height);
    int dw = c.dotWidth() - 1, dh = c.dotHeight() - 1;
    boolean markers = true;
    for (Series s : series) if (s.xs().length > width / 2) markers = false;
    for (int si = 0; si < series.size(); si++) {
      Series s = series.get(si);
      int pattern = color.on() ? 0xff : PATTERNS[si % PATTERNS.length];
      int px = -1, py = -1, phase = 0;
      for (int i = 0; i < s.xs().length; i++) {
        double x = s.xs()[i], y = s.ys()[i];
        if (!Double.isFinite(x) || !Double.isFinite(y)) {
          px = -1;
          continue;
        }
        int dx = scale(x, xLo, xHi, dw), dy = dh - scale(y, yLo, yHi, dh);
        if (px >= 0) phase = c.line(px, py, dx, dy, si, pattern, phase);
        else c.set(dx, dy, si);
        px = dx;
        py = dy;
      }
    }
    if (markers) {
      for (int si = 0; si < series.size(); si++) {
        Series s = series.get(si);
        for (int i = 0; i < s.xs().length; i++) {
          double x = s.xs()[i], y = s.ys()[i];
          if (Double.isFinite(x) && Double.isFinite(y)) {
            c.mark(scale(x, xLo, xHi, dw), dh - scale(y, yLo, yHi, dh), MARKERS[si % MARKERS.length], si);
          }
        }
      }
    }

    String[] rowLabels = new String[height];
    for (double v : yt.values) {
      int row = (dh - scale(v, yLo, yHi, dh)) / 4;
      if (rowLabels[row] == null) rowLabels[row] = yt.label(v);
    }
    int labelWidth = 0;
    for (String l : rowLabels) if (l != null) labelWidth = Math.max(labelWidth, l.length());
    String pad = " ".repeat(labelWidth);

    List<String> out = new ArrayList<>();
    if (title != null && !title.isEmpty()) out.add(pad + "  " + center(title, width));
    for (int r = 0; r < height; r++) {
      StringBuilder sb = new StringBuilder();
      sb.append(rowLabels[r] == null ? pad + " │" : leftPad(rowLabels[r], labelWidth) + " ┤");
      int current = -1;
      for (int col = 0; col < width; col++) {
        char ch = c.charAt(r, col);
        int owner = c.ownerAt(r, col);
        if (color.on() && ch != ' ' && owner != current) {
          sb.append(color.fg(Palette.series(owner)));
          current = owner;
        }
        sb.append(ch);
      }
      if (current >= 0) sb.append(ColorMode.RESET);
      out.add(stripRight(sb.toString()));
    }

    char[] axis = ("└" + "─".repeat(width)).toCharArray();
    StringBuilder labels = new StringBuilder(" ".repeat(width + 1));
    int lastEnd = -1;
    for (double v : xt.values) {
      int col = scale(v, xLo, xHi, dw) / 2;
      axis[col + 1] = '┬';
      String l = xt.label(v);
      int start = Math.max(0, col + 1 - (l.length() - 1) / 2);
      if (start <= lastEnd + 1) continue;
      while (labels.length() < start + l.length()) labels.append(' ');
      labels.replace(start, start + l.length(), l);
      lastEnd = start + l.length() - 1;
    }
    out.add(pad + " " + new String(axis));
    out.add(stripRight(pad + " " + labels));
    if (xLabel != null && !xLabel.isEmpty()) out.add(stripRight(pad + "  " + center(xLabel, width)));
    out.add(pad + "  " + legend(markers));
    return out;
  }

  private String legend(boolean markers) {
    StringBuilder sb = new StringBuilder();
    for (int si = 0; si < series.size(); si++) {
      if (si > 0) sb.append("   ");
      String sample;
      if (markers) {
        sample = String.valueOf(MARKERS[si % MARKERS.length]);
      } else {
        BrailleCanvas mini = new BrailleCanvas(3, 1);
        mini.line(0, 1, 5, 1, si, color.on() ? 0xff : PATTERNS[si % PATTERNS.length], 0);
        sample = "" + mini.charAt(0, 0) + mini.charAt(0, 1) + mini.charAt(0, 2);
      }
      if (color.on()) sb.append(color.fg(Palette.series(si))).append(sample).append(ColorMode.RESET);
      else sb.append(sample);
      sb.append(' ').append(series.get(si).name());
    }
    return sb.toString();
  }

  /** Maps v in [lo, hi] to 0..max (rounded, clamped). */
  private static int scale(double v, double lo, double hi, int max) {
    double t = (v - lo) / (hi - lo);
    return (int) Math.max(0, Math.min(max, Math.round(t * max)));
  }

  /** [min, max] of the finite x (or y) values, widened when all values are equal. */
  private double[] range(boolean x) {
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.xs().length; i++) {
        if (!Double.isFinite(s.xs()[i]) || !Double.isFinite(s.ys()[i])) continue;
        double v = x ? s.xs()[i] : s.ys()[i];
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) {
      throw DlnRuntimeException.value("nothing to plot: every value is nan or infinite, or the series are empty");
    }
    if (lo == hi) {
      double d = lo == 0 ? 1 : Math.abs(lo) * 0.1;
      lo -= d;
      hi += d;
    }
    return new double[] {lo, hi};
  }

  private boolean allIntegers() {
    for (Series s : series) for (double x : s.xs()) if (Double.isFinite(x) && x != Math.rint(x)) return false;
    return true;
  }

  private static String center(String s, int width) {
    if (s.length() >= width) return s;
    return " ".repeat((width - s.length()) / 2) + s;
  }

  private static String leftPad(String s, int width) {
    return " ".repeat(Math.max(0, width - s.length())) + s;
  }

  private static String stripRight(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == ' ') end--;
    return s.substring(0, end);
  }

  // ---------------------------------------------------------------- PNG

  /** The same chart drawn by JFreeChart, {@code w} x {@code h} pixels. */
  public BufferedImage toImage(int w, int h) {
    Png.headless();
    if (series.isEmpty()) throw DlnRuntimeException.value("nothing to plot: the chart has no series");
    XYSeriesCollection data = new XYSeriesCollection();
    for (Series s : series) {
      XYSeries xy = new XYSeries(s.name(), false, true);
      for (int i = 0; i < s.xs().length; i++) {
        if (Double.isFinite(s.xs()[i]) && Double.isFinite(s.ys()[i])) xy.add(s.xs()[i], s.ys()[i]);
      }
      data.addSeries(xy);
    }
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, null, data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdddddd));
    plot.setRangeGridlinePaint(new Color(0xdddddd));
    boolean markers = true;
    for (Series s : series) if (s.xs().length > 50) markers = false;
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, markers);
    for (int i = 0; i < series.size(); i++) {
      renderer.setSeriesPaint(i, new Color(Palette.series(i)));
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    NumberAxis domain = (NumberAxis) plot.getDomainAxis();
    domain.setAutoRangeIncludesZero(false);
    if (allIntegers()) domain.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return chart.createBufferedImage(w, h);
  }

  /** Writes the chart as a PNG of {@code w} x {@code h} pixels, atomically. */
  public void savePng(Path path, int w, int h) {
    Png.write(toImage(w, h), path);
  }

  /** Writes the chart as an 800 x 500 PNG. */
  public void savePng(Path path) {
    savePng(path, 800, 500);
  }
}
