package dln.runtime.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code fit} returns: per-epoch values of the loss and metrics (Keras's History). */
public final class History {
  private final Map<String, List<Double>> history = new LinkedHashMap<>();
  private final List<Integer> epochs = new ArrayList<>();
  private boolean interrupted;

  /** Metric name ("loss", "accuracy", "val_loss", ...) -> one value per completed epoch. */
  public Map<String, List<Double>> history() {
    return history;
  }

  /** The completed epochs (0-based, like Keras's {@code history.epoch}). */
  public List<Integer> epochs() {
    return epochs;
  }

  /** Records one completed epoch. */
  public void append(int epoch, Map<String, Double> logs) {
    epochs.add(epoch);
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      history.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
    }
  }

  /** True when training was stopped by the user (Ctrl-C) before the planned epochs ended. */
  public boolean interrupted() {
    return interrupted;
  }

  void setInterrupted(boolean interrupted) {
    this.interrupted = interrupted;
  }

  /** The last recorded value of a metric, or NaN. */
  public double last(String metric) {
    List<Double> v = history.get(metric);
    return v == null || v.isEmpty() ? Double.NaN : v.get(v.size() - 1);
  }

  @Override
  public String toString() {
    return "<History epochs=" + epochs.size() + " keys=" + history.keySet() + ">";
  }
}
