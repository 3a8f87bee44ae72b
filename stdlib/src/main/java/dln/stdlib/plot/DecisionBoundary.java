package dln.stdlib.plot;

import dln.runtime.DlnRuntimeException;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The TensorFlow Playground picture of a 2-D classifier: the plane coloured by the class the model
 * predicts (deeper colour where it is surer), with the data points on top. Two classes are orange
 * (negative / 0) and blue (positive / 1), as in the Playground.
 *
 * <p>Predictions are read as follows. One output column: values in 0..1 are probabilities of the
 * positive class; values in -1..1 with negatives are tanh-like scores; anything else is a logit.
 * Several columns: the largest is the class; rows that are not probabilities go through softmax.
 * Labels may be ±1, 0/1 (or 0..k-1), or one-hot / probability rows.
 */
public final class DecisionBoundary {
  static final char[] REGION_CHARS = {'·', ' ', '-', '~', '=', ':'};
  static final char[] POINT_CHARS = {'o', 'x', '+', '*', '#', '@'};

  private final Function<INDArray, INDArray> predict;
  private final double[][] points;
  private final int[] labels;
  private final List<String> classNames;
  private final double xLo, xHi, yLo, yHi;

  /**
   * @param predict the model: a [m, 2] float tensor of points in, [m] / [m, 1] / [m, k] scores out
   * @param x the data points, [n, 2]
   * @param y the labels: [n] or [n, 1] (±1, 0/1, class numbers) or [n, k] one-hot/probabilities
   */
  public DecisionBoundary(Function<INDArray, INDArray> predict, INDArray x, INDArray y) {
    this.predict = predict;
    if (x.rank() != 2 || x.size(1) != 2) {
      throw DlnRuntimeException.shape("boundary() needs 2-D points of shape [n, 2], got " + Arrays.toString(x.shape()),
          "the decision boundary picture is for classifiers with exactly two inputs");
    }
    int n = (int) x.size(0);
    double[] flat = GreyImage.doubles(x);
    points = new double[n][];
    for (int i = 0; i < n; i++) points[i] = new double[] {flat[2 * i], flat[2 * i + 1]};
    labels = new int[n];
    classNames = new ArrayList<>();
    readLabels(y, n);
    double[] xr = extent(0), yr = extent(1);
    xLo = xr[0];
    xHi = xr[1];
    yLo = yr[0];
    yHi = yr[1];
  }

  private void readLabels(INDArray y, int n) {
    if (y.length() == 0 || y.size(0) != n) {
      throw DlnRuntimeException.shape("boundary() got " + n + " points but labels of shape " + Arrays.toString(y.shape()),
          "give one label per point");
    }
    double[] v = GreyImage.doubles(y);
    int k = y.rank() == 2 ? (int) y.size(1) : 1;
    if (y.rank() > 2) throw DlnRuntimeException.shape("labels must be [n] or [n, k], got " + Arrays.toString(y.shape()), null);
    if (k >= 2) {
      for (int i = 0; i < n; i++) labels[i] = argmax(v, i * k, k);
      for (int c = 0; c < k; c++) classNames.add(String.valueOf(c));
      return;
    }
    boolean negatives = false;
    int max = 0;
    for (double d : v) {
      if (d < 0) negatives = true;
      max = Math.max(max, (int) Math.round(d));
    }
    if (negatives) {
      for (int i = 0; i < n; i++) labels[i] = v[i] > 0 ? 1 : 0;
      classNames.add("-1");
      classNames.add("+1");
      return;
    }
    for (int i = 0; i < n; i++) labels[i] = (int) Math.round(v[i]);
    for (int c = 0; c <= Math.max(1, max); c++) classNames.add(String.valueOf(c));
  }

  /** The data's range on one axis, widened by 10% on each side. */
  private double[] extent(int axis) {
    double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
    for (double[] p : points) {
      lo = Math.min(lo, p[axis]);
      hi = Math.max(hi, p[axis]);
    }
    if (lo > hi) return new double[] {-1, 1};
    double pad = hi > lo ? (hi - lo) * 0.1 : 0.5;
    return new double[] {lo - pad, hi + pad};
  }

  /** Predicted class and sureness (0 = undecided .. 1 = certain) at every grid point, row 0 = top. */
  record Field(int cols, int rows, int[] cls, double[] sure) {}

  Field field(int cols, int rows) {
    float[] grid = new float[cols * rows * 2];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        int i = r * cols + c;
        grid[2 * i] = (float) (xLo + (c + 0.5) / cols * (xHi - xLo));
        grid[2 * i + 1] = (float) (yHi - (r + 0.5) / rows * (yHi - yLo));
      }
    }
    int m = cols * rows;
    INDArray out = predict.apply(Nd4j.create(grid, new long[] {m, 2}, DataType.FLOAT));
    if (out == null || out.length() == 0 || out.size(0) != m || out.length() % m != 0) {
      throw DlnRuntimeException.shape("the model gave " + (out == null ? "nothing" : "shape " + Arrays.toString(out.shape()))
          + " for " + m + " grid points of shape [" + m + ", 2]", "boundary() needs a model with 2 inputs and one row of scores per point");
    }
    int k = (int) (out.length() / m);
    double[] v = GreyImage.doubles(out);
    int[] cls = new int[m];
    double[] sure = new double[m];
    if (k == 1) {
      boolean negatives = false, inUnit = true, inPm1 = true;
      for (double d : v) {
        negatives |= d < 0;
        inUnit &= d >= 0 && d <= 1;
        inPm1 &= d >= -1 && d <= 1;
      }
      for (int i = 0; i < m; i++) {
        double p = inUnit ? v[i] : negatives && inPm1 ? (v[i] + 1) / 2 : 1 / (1 + Math.exp(-v[i]));
        cls[i] = p >= 0.5 ? 1 : 0;
        sure[i] = Math.min(1, Math.abs(p - 0.5) * 2);
      }
    } else {
      boolean probs = true;
      for (int i = 0; i < m && probs; i++) {
        double sum = 0;
        for (int j = 0; j < k; j++) {
          probs &= v[i * k + j] >= 0;
          sum += v[i * k + j];
        }
        probs &= Math.abs(sum - 1) < 1e-3;
      }
      for (int i = 0; i < m; i++) {
        double[] row = Arrays.copyOfRange(v, i * k, i * k + k);
        if (!probs) softmax(row);
        int a = argmax(row, 0, k);
        cls[i] = a;
        sure[i] = Math.max(0, Math.min(1, (row[a] - 1.0 / k) / (1 - 1.0 / k)));
      }
      while (classNames.size() < k) classNames.add(String.valueOf(classNames.size()));
    }
    return new Field(cols, rows, cls, sure);
  }

  private static int argmax(double[] v, int from, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) if (v[from + j] > v[from + best]) best = j;
    return best;
  }

  private static void softmax(double[] row) {
    double max = Arrays.stream(row).max().orElse(0), sum = 0;
    for (int j = 0; j < row.length; j++) sum += row[j] = Math.exp(row[j] - max);
    for (int j = 0; j < row.length; j++) row[j] /= sum;
  }

  /** Region colour: the neutral grey deepening towards the class colour as the model gets surer. */
  static int regionColor(int cls, double sure) {
    return Palette.blend(Palette.PLAYGROUND_NEUTRAL, Palette.classColor(cls), 0.1 + 0.45 * sure);
  }

  // ---------------------------------------------------------------- terminal

  /**
   * The picture in {@code width} x {@code height} characters (each character is two grid rows
   * with colour), then a legend line.
   */
  public String render(int width, int height, ColorMode color) {
    Field f = field(width, height * 2);
    // Which point (if any) lands in each character cell; later points win.
    int[][] pointAt = new int[height][width];
    for (int[] row : pointAt) Arrays.fill(row, -1);
    for (int i = 0; i < points.length; i++) {
      int c = (int) Math.floor((points[i][0] - xLo) / (xHi - xLo) * width);
      int r = (int) Math.floor((yHi - points[i][1]) / (yHi - yLo) * height * 2) / 2;
      if (c >= 0 && c < width && r >= 0 && r < height) pointAt[r][c] = i;
    }
    List<String> out = new ArrayList<>();
    for (int r = 0; r < height; r++) {
      StringBuilder sb = new StringBuilder();
      for (int c = 0; c < width; c++) {
        int top = 2 * r * width + c, bottom = (2 * r + 1) * width + c;
        int p = pointAt[r][c];
        if (color.on()) {
          int topRgb = regionColor(f.cls[top], f.sure[top]), bottomRgb = regionColor(f.cls[bottom], f.sure[bottom]);
          if (p >= 0) {
            int pc = Palette.blend(Palette.classColor(labels[p]), 0x000000, 0.15);
            sb.append(color.fg(pc)).append(color.bg(Palette.blend(topRgb, bottomRgb, 0.5))).append('●');
          } else {
            sb.append(color.fg(topRgb)).append(color.bg(bottomRgb)).append('▀');
          }
        } else {
          sb.append(p >= 0 ? POINT_CHARS[labels[p] % POINT_CHARS.length] : REGION_CHARS[f.cls[top] % REGION_CHARS.length]);
        }
      }
      if (color.on()) sb.append(ColorMode.RESET);
      out.add(sb.toString());
    }
    out.add(legend(color));
    return String.join("\n", out);
  }

  private String legend(ColorMode color) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < classNames.size(); c++) {
      if (c > 0) sb.append("   ");
      if (color.on()) {
        sb.append(color.fg(Palette.classColor(c))).append('●').append(ColorMode.RESET).append(" class ").append(classNames.get(c));
      } else {
        sb.append(POINT_CHARS[c % POINT_CHARS.length]).append(" class ").append(classNames.get(c))
            .append(" on '").append(REGION_CHARS[c % REGION_CHARS.length]).append('\'');
      }
    }
    sb.append(String.format(Locale.ROOT, "   x %.2g..%.2g, y %.2g..%.2g", xLo, xHi, yLo, yHi));
    return sb.toString();
  }

  // ---------------------------------------------------------------- PNG

  /** The picture as a {@code size} x {@code size} PNG image (the model is asked on a size/4 grid). */
  public BufferedImage toImage(int size) {
    Png.headless();
    int g = Math.max(8, size / 4);
    Field f = field(g, g);
    BufferedImage small = new BufferedImage(g, g, BufferedImage.TYPE_INT_RGB);
    for (int r = 0; r < g; r++) {
      for (int c = 0; c < g; c++) small.setRGB(c, r, regionColor(f.cls[r * g + c], f.sure[r * g + c]));
    }
    BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Graphics2D gr = out.createGraphics();
    gr.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
    gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    gr.drawImage(small, 0, 0, size, size, null);
    double radius = Math.max(2.5, size / 110.0);
    gr.setStroke(new BasicStroke(1.2f));
    for (int i = 0; i < points.length; i++) {
      double px = (points[i][0] - xLo) / (xHi - xLo) * size, py = (yHi - points[i][1]) / (yHi - yLo) * size;
      Ellipse2D dot = new Ellipse2D.Double(px - radius, py - radius, 2 * radius, 2 * radius);
      gr.setColor(new Color(Palette.classColor(labels[i])));
      gr.fill(dot);
      gr.setColor(Color.WHITE);
      gr.draw(dot);
    }
    gr.setColor(new Color(0x999999));
    gr.drawRect(0, 0, size - 1, size - 1);
    gr.dispose();
    return out;
  }

  /** Writes the picture as a {@code size} x {@code size} PNG, atomically. */
  public void savePng(Path path, int size) {
    Png.write(toImage(size), path);
  }
}
