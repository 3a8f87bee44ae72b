package dln.runtime.train;

import dln.runtime.DlnRuntimeException;

/**
 * The classic per-epoch step decay: {@code initial · drop^floor(epoch / epochs_drop)}, e.g. halve the
 * rate every 10 epochs.
 */
public record StepDecay(double initialLearningRate, double drop, int epochsDrop) implements LearningRateSchedule {
  public StepDecay {
    if (!(initialLearningRate > 0)) throw DlnRuntimeException.value("initial learning rate must be positive, got " + initialLearningRate);
    if (!(drop > 0 && drop <= 1)) throw DlnRuntimeException.value("step_decay drop must be in (0, 1], got " + drop, "e.g. drop=0.5 halves the rate");
    if (epochsDrop <= 0) throw DlnRuntimeException.value("step_decay epochs_drop must be positive, got " + epochsDrop);
  }

  @Override
  public double rate(long step, int epoch) {
    return initialLearningRate * Math.pow(drop, Math.floor((double) epoch / epochsDrop));
  }
}
