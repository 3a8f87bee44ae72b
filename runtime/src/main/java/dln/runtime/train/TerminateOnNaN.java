package dln.runtime.train;

import java.util.Map;

/** Stops training as soon as the loss becomes NaN or infinite. */
public final class TerminateOnNaN implements Callback {
  private boolean terminated;

  @Override
  public void onBatchEnd(int batch, Map<String, Double> logs, TrainingContext context) {
    Double loss = logs.get("loss");
    if (loss != null && (loss.isNaN() || loss.isInfinite())) {
      terminated = true;
      context.stopTraining();
    }
  }

  /** True when it stopped a run. */
  public boolean terminated() {
    return terminated;
  }
}
