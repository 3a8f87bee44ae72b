package dln.runtime.train;

import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stops training when the monitored value has not improved for {@code patience} epochs; optionally
 * puts back the weights of the best epoch (Keras's restore_best_weights).
 */
public final class EarlyStopping implements Callback {
  private final Monitor monitor;
  private final double minDelta;
  private final int patience;
  private final boolean restoreBestWeights;
  private double best;
  private int wait;
  private int stoppedEpoch = -1;
  private int bestEpoch = -1;
  private List<INDArray> bestWeights;

  public EarlyStopping(String monitor, double minDelta, int patience, String mode, boolean restoreBestWeights) {
    this.monitor = new Monitor(monitor == null ? "val_loss" : monitor, mode);
    this.minDelta = Math.abs(minDelta);
    this.patience = Math.max(0, patience);
    this.restoreBestWeights = restoreBestWeights;
  }

  public EarlyStopping(String monitor, int patience, boolean restoreBestWeights) {
    this(monitor, 0, patience, "auto", restoreBestWeights);
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    best = Double.NaN;
    wait = 0;
    stoppedEpoch = -1;
    bestEpoch = -1;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
    double v = monitor.value(logs, "EarlyStopping");
    if (monitor.improved(v, best, minDelta)) {
      best = v;
      bestEpoch = epoch;
      wait = 0;
      if (restoreBestWeights) bestWeights = snapshot(context);
      return;
    }
    // Keras counts the epoch without improvement at once and stops when wait >= patience (never
    // after the first epoch): patience=1 stops at the first epoch that does not improve.
    wait++;
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      context.stopTraining();
      if (restoreBestWeights && bestWeights != null) restore(context, bestWeights);
    }
  }

  private static List<INDArray> snapshot(TrainingContext context) {
    List<INDArray> copy = new ArrayList<>();
    for (Weight w : context.model().weightList()) copy.add(w.value().dup());
    return copy;
  }

  private static void restore(TrainingContext context, List<INDArray> values) {
    List<Weight> ws = context.model().weightList();
    for (int i = 0; i < ws.size(); i++) ws.get(i).set(values.get(i));
  }

  /** The epoch training stopped at, or -1 when it ran to the end. */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The epoch with the best monitored value, or -1. */
  public int bestEpoch() {
    return bestEpoch;
  }
}
