package dln.runtime.train;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/**
 * Keras-like progress output. On a terminal (verbose 1): "Epoch 1/5" then a bar redrawn in place
 * with {@code \r} (batches done, ETA, running loss and metrics), finished with the epoch's time and
 * logs. Otherwise (or verbose 2): one plain line per epoch. Verbose 0 prints nothing.
 */
public final class ProgressBar implements ProgressListener {
  private static final int BAR_WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final boolean interactive;
  private final int verbose;
  private long lastDraw;
  private int lastLength;

  public ProgressBar(PrintWriter out, boolean interactive, int verbose) {
    this.out = out;
    this.interactive = interactive;
    this.verbose = verbose;
  }

  private boolean bar() {
    return verbose == 1 && interactive;
  }

  @Override
  public void onEpochBegin(int epoch, int epochs) {
    if (bar()) {
      out.println("Epoch " + (epoch + 1) + "/" + epochs);
      out.flush();
      lastDraw = 0;
      lastLength = 0;
    }
  }

  @Override
  public void onBatch(BatchProgress p) {
    if (!bar()) return;
    long now = System.nanoTime();
    if (p.batchesDone() < p.batchesTotal() && now - lastDraw < REDRAW_NANOS) return;
    lastDraw = now;
    draw(batchLine(p));
  }

  /** The bar of a running epoch: {@code " 12/47 [=====>......] - ETA: 3s - loss: 0.4123"}. */
  public static String batchLine(BatchProgress p) {
    double perBatch = p.elapsedNanos() / 1e9 / Math.max(1, p.batchesDone());
    double eta = perBatch * (p.batchesTotal() - p.batchesDone());
    return counter(p.batchesDone(), p.batchesTotal()) + " " + bar(p.batchesDone(), p.batchesTotal()) + " - ETA: " + duration(eta)
        + logs(p.logs());
  }

  /** The bar of a finished epoch: {@code "47/47 [==========] - 3s 64ms/step - loss: 0.4123 - ..."}. */
  public static String epochLine(EpochProgress p) {
    double seconds = p.elapsedNanos() / 1e9;
    return counter(p.batches(), p.batches()) + " " + bar(1, 1) + " - " + duration(seconds) + " "
        + perStep(seconds / Math.max(1, p.batches())) + logs(p.logs());
  }

  /** Printed when the user stopped training (Ctrl-C). */
  public static String stoppedLine(History history) {
    return "Training stopped after " + history.epochs().size() + " complete epoch"
        + (history.epochs().size() == 1 ? "" : "s") + "; weights and history are kept.";
  }

  @Override
  public void onEpochEnd(EpochProgress p) {
    if (verbose == 0) return;
    double seconds = p.elapsedNanos() / 1e9;
    String timing = duration(seconds) + " " + perStep(seconds / Math.max(1, p.batches()));
    if (bar()) {
      draw(epochLine(p));
      out.println();
    } else {
      out.println("Epoch " + (p.epoch() + 1) + "/" + p.epochs() + " - " + timing + logs(p.logs()));
    }
    out.flush();
  }

  @Override
  public void onTrainEnd(History history, boolean interrupted) {
    if (verbose == 0 || !interrupted) return;
    if (bar() && lastLength > 0) out.println();
    out.println(stoppedLine(history));
    out.flush();
  }

  private void draw(String line) {
    // Pad with spaces to wipe the tail of a longer previous line.
    String padded = line.length() < lastLength ? line + " ".repeat(lastLength - line.length()) : line;
    out.print("\r" + padded);
    out.flush();
    lastLength = line.length();
  }

  private static String counter(int done, int total) {
    String t = Integer.toString(total);
    String d = Integer.toString(done);
    return " ".repeat(t.length() - d.length()) + d + "/" + t;
  }

  private static String bar(int done, int total) {
    int filled = (int) ((long) BAR_WIDTH * done / total);
    StringBuilder sb = new StringBuilder("[");
    if (done >= total) {
      sb.append("=".repeat(BAR_WIDTH));
    } else {
      sb.append("=".repeat(Math.max(0, filled))).append('>').append(".".repeat(Math.max(0, BAR_WIDTH - filled - 1)));
    }
    return sb.append(']').toString();
  }

  /** An elapsed or remaining time as Keras prints it: "1:02:03", "2:05", "7s". */
  public static String duration(double seconds) {
    if (seconds >= 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", (long) seconds / 3600, ((long) seconds % 3600) / 60, (long) seconds % 60);
    if (seconds >= 60) return String.format(Locale.ROOT, "%d:%02d", (long) seconds / 60, (long) seconds % 60);
    return Math.round(seconds) + "s";
  }

  /** The time per step as Keras prints it: "2s/step", "35ms/step", "120us/step". */
  public static String perStep(double seconds) {
    if (seconds >= 1) return String.format(Locale.ROOT, "%.0fs/step", seconds);
    if (seconds >= 1e-3) return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
    return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
  }

  /** " - loss: 0.1234 - accuracy: 0.9612", Keras's number format. */
  public static String logs(Map<String, Double> logs) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      double v = e.getValue();
      String num = Math.abs(v) > 1e-3 || v == 0 || Double.isNaN(v) ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.4e", v);
      sb.append(" - ").append(e.getKey()).append(": ").append(num);
    }
    return sb.toString();
  }
}
