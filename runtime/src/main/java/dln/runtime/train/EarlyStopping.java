package dln.runtime.train;

import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stops training when the monitored value has stopped improving, with Keras 3's rules
 * (keras/src/callbacks/early_stopping.py), each pinned by a test in CallbackRulesTest:
 *
 * <ul>
 *   <li>an improvement beats the best so far by more than {@code min_delta} (in the direction of
 *       {@code mode}; "auto" maximises names with "acc");
 *   <li>every epoch counts against {@code patience} at once, an improvement resets the count, and
 *       training stops after the epoch where {@code wait >= patience} (never after the first);
 *   <li>with a {@code baseline}, only an improvement that also beats the baseline resets the count:
 *       a model that never beats it stops after {@code patience} epochs;
 *   <li>epochs before {@code start_from_epoch} are not monitored at all (a warm-up);
 *   <li>{@code restore_best_weights} puts back the weights of the best epoch at the end of training,
 *       whether or not it stopped early (Keras 3; Keras 2 restored only when it stopped).
 * </ul>
 */
public final class EarlyStopping implements Callback {
  private final Monitor monitor;
  private final double minDelta;
  private final int patience;
  private final Double baseline;
  private final boolean restoreBestWeights;
  private final int startFromEpoch;
  private double best;
  private int wait;
  private int stoppedEpoch = -1;
  private int bestEpoch = -1;
  private List<INDArray> bestWeights;

  /**
   * @param baseline null for none
   * @param startFromEpoch the first epoch (counting from 0) that is monitored
   */
  public EarlyStopping(String monitor, double minDelta, int patience, String mode, Double baseline, boolean restoreBestWeights,
      int startFromEpoch) {
    this.monitor = new Monitor(monitor == null ? "val_loss" : monitor, mode);
    this.minDelta = Math.abs(minDelta);
    this.patience = Math.max(0, patience);
    this.baseline = baseline;
    this.restoreBestWeights = restoreBestWeights;
    this.startFromEpoch = Math.max(0, startFromEpoch);
  }

  public EarlyStopping(String monitor, double minDelta, int patience, String mode, boolean restoreBestWeights) {
    this(monitor, minDelta, patience, mode, null, restoreBestWeights, 0);
  }

  public EarlyStopping(String monitor, int patience, boolean restoreBestWeights) {
    this(monitor, 0, patience, "auto", restoreBestWeights);
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    // A reused instance starts afresh (Keras resets wait and the best weights here too).
    // Keras starts from +inf (or -inf when maximising): an infinite first value is no improvement.
    best = monitor.maximise ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    wait = 0;
    stoppedEpoch = -1;
    bestEpoch = -1;
    bestWeights = null;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
    double v = monitor.value(logs, "EarlyStopping");
    if (epoch < startFromEpoch) return;
    if (restoreBestWeights && bestWeights == null) {
      // Until something improves, the first monitored epoch's weights are the best ones.
      bestWeights = snapshot(context);
      bestEpoch = epoch;
    }
    wait++;
    if (monitor.improved(v, best, minDelta)) {
      best = v;
      bestEpoch = epoch;
      if (restoreBestWeights) bestWeights = snapshot(context);
      if (baseline == null || monitor.improved(v, baseline, minDelta)) wait = 0;
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      context.stopTraining();
    }
  }

  @Override
  public void onTrainEnd(TrainingContext context) {
    if (restoreBestWeights && bestWeights != null) restore(context, bestWeights);
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
