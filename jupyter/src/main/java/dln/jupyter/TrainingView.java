package dln.jupyter;

import static dln.runtime.train.ProgressBar.duration;
import static dln.runtime.train.ProgressBar.logs;
import static dln.runtime.train.ProgressBar.perStep;

import dln.runtime.train.History;
import dln.runtime.train.ProgressListener;
import dln.stdlib.plot.Charts;
import dln.stdlib.plot.LineChart;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;

/**
 * fit's progress in a notebook: one output (one display id) holding a progress bar, the Keras-style
 * line of every finished epoch and a loss/accuracy chart, replaced in place by
 * {@code update_display_data} {@link #UPDATES_PER_SECOND} times a second (and at each epoch's end).
 * The chart follows the running (epoch-so-far) metrics batch by batch and the validation metrics epoch by epoch.
 * When training ends the final state stays in the notebook. verbose=2 updates once per epoch;
 * verbose=0 shows nothing, as in Keras (a script that trains many small models stays readable).
 */
final class TrainingView implements ProgressListener {
  static final int UPDATES_PER_SECOND = 4;
  private static final long GAP_NANOS = 1_000_000_000L / UPDATES_PER_SECOND;
  private static final int CHART_WIDTH = 640;
  private static final int CHART_HEIGHT = 240;

  private final NotebookDisplay display;
  private final int verbose;
  private final String id = "dln-fit-" + UUID.randomUUID();
  private final List<String> epochLines = new ArrayList<>();
  /** Per metric: x (epochs, fractional within an epoch) and y of the running value. */
  private final Map<String, List<double[]>> running = new LinkedHashMap<>();
  /** Per validation metric: its value at the end of each epoch. */
  private final Map<String, List<double[]>> validation = new LinkedHashMap<>();
  private int epochs;
  private int epoch;
  private int batchesTotal;
  private String barLine = "";
  private double fraction;
  private long lastUpdate;
  private boolean shown;
  private int updates;

  TrainingView(NotebookDisplay display, int verbose) {
    this.display = display;
    this.verbose = verbose;
  }

  /** How many outputs this view sent (first display plus updates), for tests of the throttle. */
  int updates() {
    return updates;
  }

  @Override
  public void onTrainBegin(int epochs, int batchesPerEpoch, long samples) {
    this.epochs = epochs;
    this.batchesTotal = batchesPerEpoch;
    if (verbose > 0) {
      barLine = "Epoch 1/" + epochs + " - " + samples + " samples in " + batchesPerEpoch + " batches";
      send(false);
    }
  }

  @Override
  public void onEpochBegin(int epoch, int epochs) {
    this.epoch = epoch;
  }

  @Override
  public void onBatch(BatchProgress p) {
    // Every batch is a point of the curve (a short fit still draws one); drawing thins them out.
    double x = p.epoch() + (double) p.batchesDone() / p.batchesTotal();
    for (Map.Entry<String, Double> e : p.logs().entrySet()) {
      running.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {x, e.getValue()});
    }
    long now = System.nanoTime();
    boolean last = p.batchesDone() == p.batchesTotal();
    if (!last && now - lastUpdate < GAP_NANOS) return;
    fraction = (double) p.batchesDone() / p.batchesTotal();
    double perBatch = p.elapsedNanos() / 1e9 / p.batchesDone();
    barLine = String.format(Locale.ROOT, "Epoch %d/%d  %d/%d  ETA %s%s", p.epoch() + 1, p.epochs(), p.batchesDone(),
        p.batchesTotal(), duration(perBatch * (p.batchesTotal() - p.batchesDone())), logs(p.logs()));
    if (verbose == 1) send(true);
    else lastUpdate = now;
  }

  @Override
  public void onEpochEnd(EpochProgress p) {
    double seconds = p.elapsedNanos() / 1e9;
    epochLines.add(String.format(Locale.ROOT, "Epoch %d/%d - %s %s%s", p.epoch() + 1, p.epochs(), duration(seconds),
        perStep(seconds / Math.max(1, p.batches())), logs(p.logs())));
    for (Map.Entry<String, Double> e : p.logs().entrySet()) {
      if (e.getKey().startsWith("val_")) {
        validation.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {p.epoch() + 1, e.getValue()});
      }
    }
    fraction = 1;
    barLine = "";
    if (verbose > 0) send(true);
  }

  @Override
  public void onTrainEnd(History history, boolean interrupted) {
    if (interrupted) {
      int n = history.epochs().size();
      epochLines.add("Training stopped after " + n + " complete epoch" + (n == 1 ? "" : "s") + "; weights and history are kept.");
    }
    barLine = "";
    if (verbose == 0) return;
    send(false);
  }

  /** The first call displays the output; later ones replace it (throttled when {@code throttle}). */
  private void send(boolean throttle) {
    long now = System.nanoTime();
    if (throttle && shown && now - lastUpdate < GAP_NANOS && fraction < 1) return;
    lastUpdate = now;
    DisplayData d = render();
    d.setDisplayId(id);
    if (shown) display.update(d);
    else display.publish(d);
    shown = true;
    updates++;
  }

  private DisplayData render() {
    StringBuilder text = new StringBuilder();
    for (String l : epochLines) text.append(l).append('\n');
    if (!barLine.isEmpty()) text.append(barLine).append('\n');
    DisplayData d = new DisplayData(text.toString());
    StringBuilder html = new StringBuilder("<div class=\"dln-fit\">");
    if (!barLine.isEmpty() || fraction < 1) {
      html.append("<progress value=\"").append(Math.round(fraction * 1000)).append("\" max=\"1000\" style=\"width:320px\"></progress> ");
    }
    html.append("<pre style=\"margin:2px 0\">").append(Html.escape(text.toString())).append("</pre>");
    List<LineChart> charts = charts();
    if (!charts.isEmpty()) {
      String png = NotebookDisplay.base64Png(Charts.toImage(charts, CHART_WIDTH, CHART_HEIGHT));
      html.append("<img src=\"data:image/png;base64,").append(png).append("\"/>");
      d.putData("image/png", png);
    }
    d.putHTML(html.append("</div>").toString());
    return d;
  }

  /** One chart per metric (loss, accuracy…), the running curve with its validation points. */
  private List<LineChart> charts() {
    List<LineChart> out = new ArrayList<>();
    for (Map.Entry<String, List<double[]>> e : running.entrySet()) {
      if (e.getValue().size() < 2) continue;
      LineChart c = new LineChart().title(e.getKey()).xLabel("epoch");
      c.add(e.getKey(), column(e.getValue(), 0), column(e.getValue(), 1));
      List<double[]> val = validation.get("val_" + e.getKey());
      if (val != null && !val.isEmpty()) c.add("val_" + e.getKey(), column(val, 0), column(val, 1));
      out.add(c);
    }
    return out;
  }

  /** Most points a curve is drawn with: more would only slow each redraw down. */
  static final int MAX_POINTS = 1000;

  /** Coordinate {@code i} of the points, thinned to at most {@link #MAX_POINTS} (the last one always kept). */
  static double[] column(List<double[]> points, int i) {
    int n = points.size();
    int step = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
    int m = (n - 1) / step + 1 + ((n - 1) % step == 0 ? 0 : 1);
    double[] out = new double[m];
    int k = 0;
    for (int j = 0; j < n; j += step) out[k++] = points.get(j)[i];
    if (k < m) out[k] = points.get(n - 1)[i];
    return out;
  }
}
