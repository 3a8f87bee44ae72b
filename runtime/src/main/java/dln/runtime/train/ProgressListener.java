package dln.runtime.train;

import java.util.Map;

/**
 * Receives training progress from {@code fit}: the caller decides how to show it (see
 * {@link ProgressBar} for the Keras-like terminal rendering).
 */
public interface ProgressListener {
  /** A batch finished: running (epoch-so-far) loss and metrics. */
  record BatchProgress(int epoch, int epochs, int batchesDone, int batchesTotal, long elapsedNanos, Map<String, Double> logs) {}

  /** An epoch finished: all its logs, validation included. */
  record EpochProgress(int epoch, int epochs, int batches, long elapsedNanos, Map<String, Double> logs) {}

  /** Shows nothing. */
  ProgressListener SILENT = new ProgressListener() {};

  default void onTrainBegin(int epochs, int batchesPerEpoch, long samples) {}

  default void onEpochBegin(int epoch, int epochs) {}

  default void onBatch(BatchProgress progress) {}

  default void onEpochEnd(EpochProgress progress) {}

  /** Training ended; {@code interrupted} when the user stopped it. */
  default void onTrainEnd(History history, boolean interrupted) {}
}
