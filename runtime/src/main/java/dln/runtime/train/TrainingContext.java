package dln.runtime.train;

import dln.runtime.nn.Model;

/** What callbacks may see and change during {@code fit}. */
public record TrainingContext(Model model, Optimizer optimizer, History history, int epochs, StopSignal stop) {
  /** Ends {@code fit} after the current batch (Keras's {@code model.stop_training = True}). */
  public void stopTraining() {
    stop.set(true);
  }
}
