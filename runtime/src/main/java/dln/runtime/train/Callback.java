package dln.runtime.train;

import java.util.Map;

/**
 * Hooks into {@code fit} (Keras's callbacks). Logs map metric names ("loss", "accuracy",
 * "val_loss", ...) to values; stop training with {@code context.stopTraining()}.
 */
public interface Callback {
  default void onTrainBegin(TrainingContext context) {}

  default void onEpochBegin(int epoch, TrainingContext context) {}

  /** After each batch, with the running (epoch-so-far) loss and metrics. */
  default void onBatchEnd(int batch, Map<String, Double> logs, TrainingContext context) {}

  /** After each epoch (with validation results when there is validation data). */
  default void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {}

  default void onTrainEnd(TrainingContext context) {}
}
