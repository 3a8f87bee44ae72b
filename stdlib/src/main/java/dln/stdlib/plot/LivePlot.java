package dln.stdlib.plot;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small loss/accuracy chart that follows training, like the Playground's loss graph. On a
 * terminal, each {@link #update} moves the cursor back up over the previous drawing and redraws it
 * in place. When output is not a terminal (a script piped to a file, CI) updates print nothing, and
 * {@link #finish} prints the final chart once, so logs stay readable.
 *
 * <p>The in-place redraw assumes nothing else was printed below the chart since the last update;
 * if something was (a progress line), call {@link #detach} and the next update draws a fresh chart
 * underneath.
 */
public final class LivePlot {
  private final PrintWriter out;
  private final boolean interactive;
  private final ColorMode color;
  private final int width;
  private final int height;
  private final Map<String, List<Double>> history = new LinkedHashMap<>();
  private int linesOnScreen;

  public LivePlot(PrintWriter out, boolean interactive, ColorMode color, int width, int height) {
    this.out = out;
    this.interactive = interactive;
    this.color = color;
    this.width = width;
    this.height = height;
  }

  /** A 50 x 8 chart; colour when interactive. */
  public LivePlot(PrintWriter out, boolean interactive) {
    this(out, interactive, ColorMode.of(interactive), 50, 8);
  }

  /** Records one epoch's metrics (e.g. loss, val_loss, accuracy) and redraws when interactive. */
  public void update(Map<String, ? extends Number> epochMetrics) {
    record(epochMetrics);
    if (interactive) redraw();
  }

  /** Records one epoch's metrics without drawing (a {@link TrainingDisplay} draws the chart). */
  public void record(Map<String, ? extends Number> epochMetrics) {
    int epoch = 0;
    for (List<Double> v : history.values()) epoch = Math.max(epoch, v.size());
    for (Map.Entry<String, ? extends Number> e : epochMetrics.entrySet()) {
      List<Double> values = history.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
      // A metric that appears late (or skips an epoch) is padded with NaN, which leaves a gap.
      while (values.size() < epoch) values.add(Double.NaN);
      values.add(e.getValue() == null ? Double.NaN : e.getValue().doubleValue());
    }
  }

  /** Forgets the on-screen position: the next update draws below whatever was printed since. */
  public void detach() {
    linesOnScreen = 0;
  }

  /** Ends the live view: non-interactive output gets the final chart now. */
  public void finish() {
    if (!interactive && !history.isEmpty()) {
      out.println(text());
      out.flush();
    }
    linesOnScreen = 0;
  }

  /** The recorded values, metric name to per-epoch values. */
  public Map<String, double[]> history() {
    Map<String, double[]> h = new LinkedHashMap<>();
    for (Map.Entry<String, List<Double>> e : history.entrySet()) {
      h.put(e.getKey(), e.getValue().stream().mapToDouble(Double::doubleValue).toArray());
    }
    return h;
  }

  /** The current charts as text. */
  public String text() {
    return text(width);
  }

  /** The current charts as text, each at most {@code chartWidth} plot columns wide. */
  public String text(int chartWidth) {
    List<LineChart> charts = Charts.history(history());
    for (LineChart c : charts) c.size(Math.min(width, chartWidth), height).color(color).xLabel(null);
    return Charts.render(charts);
  }

  /** True when nothing has been recorded yet. */
  public boolean isEmpty() {
    return history.isEmpty();
  }

  private void redraw() {
    String text = text();
    StringBuilder sb = new StringBuilder();
    // Move up over the previous drawing, clear from there to the end of the screen, draw again.
    if (linesOnScreen > 0) sb.append("\u001b[").append(linesOnScreen).append("A\r\u001b[J");
    sb.append(text).append('\n');
    out.print(sb);
    out.flush();
    linesOnScreen = (int) text.chars().filter(ch -> ch == '\n').count() + 1;
  }
}
