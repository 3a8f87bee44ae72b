package dln.stdlib.plot;

import dln.runtime.DlnRuntimeException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Several charts shown together (one above the other), and the charts of a training history. */
public final class Charts {
  private Charts() {}

  /**
   * The charts of a training history (metric name to per-epoch values): each metric shares a chart
   * with its validation twin, so {@code loss} and {@code val_loss} come together, as do
   * {@code accuracy} and {@code val_accuracy}. Epochs count from 1, as Keras prints them.
   */
  public static List<LineChart> history(Map<String, double[]> history) {
    Map<String, LineChart> byBase = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : history.entrySet()) {
      String key = e.getKey();
      String base = key.startsWith("val_") ? key.substring(4) : key;
      LineChart chart = byBase.computeIfAbsent(base, b -> new LineChart().title(b).xLabel("epoch"));
      chart.add(key, LineChart.range(1, e.getValue().length), e.getValue());
    }
    if (byBase.isEmpty()) throw DlnRuntimeException.value("the history is empty: nothing to plot", "train with fit() first");
    return new ArrayList<>(byBase.values());
  }

  /** The charts' text, one below the other with a blank line between them. */
  public static String render(List<LineChart> charts) {
    return String.join("\n\n", charts.stream().map(LineChart::render).toList());
  }

  /** The charts stacked into one picture, each {@code w} x {@code hEach} pixels. */
  public static BufferedImage toImage(List<LineChart> charts, int w, int hEach) {
    Png.headless();
    BufferedImage out = new BufferedImage(w, hEach * charts.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    for (int i = 0; i < charts.size(); i++) g.drawImage(charts.get(i).toImage(w, hEach), 0, i * hEach, null);
    g.dispose();
    return out;
  }

  /** Writes the stacked charts as one PNG, atomically. */
  public static void savePng(List<LineChart> charts, Path path, int w, int hEach) {
    Png.write(toImage(charts, w, hEach), path);
  }
}
