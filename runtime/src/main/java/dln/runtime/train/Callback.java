package dln.runtime.train;

import java.util.Map;

/**
 * Hooks into {@code fit} and {@code evaluate} (Keras's callbacks). Logs map metric names ("loss",
 * "accuracy", "val_loss", ...) to values; stop training with {@code context.stopTraining()}.
 */
public interface Callback {
  default void onTrainBegin(TrainingContext context) {}

  default void onEpochBegin(int epoch, TrainingContext context) {}

  /** Before each training batch (Keras's on_train_batch_begin). */
  default void onBatchBegin(int batch, TrainingContext context) {}

  /** After each batch, with the running (epoch-so-far) loss and metrics. */
  default void onBatchEnd(int batch, Map<String, Double> logs, TrainingContext context) {}

  /** After each epoch (with validation results when there is validation data). */
  default void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {}

  default void onTrainEnd(TrainingContext context) {}

  /**
   * When fit ends, with the last epoch's logs (empty when no epoch finished), as Keras passes them
   * to on_train_end; by default the logs are dropped and {@link #onTrainEnd(TrainingContext)} runs.
   */
  default void onTrainEnd(Map<String, Double> logs, TrainingContext context) {
    onTrainEnd(context);
  }

  /** When {@code evaluate} starts (Keras's on_test_begin); only evaluate(callbacks=...) calls the test hooks. */
  default void onTestBegin(TrainingContext context) {}

  /** Before each evaluation batch. */
  default void onTestBatchBegin(int batch, TrainingContext context) {}

  /** After each evaluation batch, with the running means so far. */
  default void onTestBatchEnd(int batch, Map<String, Double> logs, TrainingContext context) {}

  /** When {@code evaluate} ends, with its results. */
  default void onTestEnd(Map<String, Double> logs, TrainingContext context) {}
}
