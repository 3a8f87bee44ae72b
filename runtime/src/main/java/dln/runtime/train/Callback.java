package dln.runtime.train;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Hooks into {@code fit}, {@code evaluate} and {@code predict} (Keras's callbacks). Logs map metric names ("loss",
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

  /**
   * When an evaluation starts (Keras's on_test_begin): {@code evaluate(callbacks=...)}, and fit's
   * validation pass at each epoch end, before {@link #onEpochEnd} gets the {@code val_} logs.
   */
  default void onTestBegin(TrainingContext context) {}

  /** Before each evaluation batch. */
  default void onTestBatchBegin(int batch, TrainingContext context) {}

  /** After each evaluation batch, with the running means so far. */
  default void onTestBatchEnd(int batch, Map<String, Double> logs, TrainingContext context) {}

  /** When an evaluation ends, with its results (keys without fit's {@code val_} prefix). */
  default void onTestEnd(Map<String, Double> logs, TrainingContext context) {}

  /** When {@code predict(callbacks=...)} starts (Keras's on_predict_begin). */
  default void onPredictBegin(TrainingContext context) {}

  /** Before each prediction batch. */
  default void onPredictBatchBegin(int batch, TrainingContext context) {}

  /** After each prediction batch, with its outputs (one array per model output, copies the callback may keep). */
  default void onPredictBatchEnd(int batch, List<INDArray> outputs, TrainingContext context) {}

  /** When {@code predict} ends. */
  default void onPredictEnd(TrainingContext context) {}
}
