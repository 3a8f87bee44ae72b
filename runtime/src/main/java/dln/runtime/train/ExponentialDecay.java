package dln.runtime.train;

import dln.runtime.DlnRuntimeException;

/**
 * Keras's ExponentialDecay per step: {@code initial · decay_rate^(step / decay_steps)}, the exponent
 * rounded down when staircase.
 */
public record ExponentialDecay(double initialLearningRate, long decaySteps, double decayRate, boolean staircase)
    implements LearningRateSchedule {
  public ExponentialDecay {
    if (!(initialLearningRate > 0)) throw DlnRuntimeException.value("initial learning rate must be positive, got " + initialLearningRate);
    if (decaySteps <= 0) throw DlnRuntimeException.value("decay_steps must be positive, got " + decaySteps);
    if (!(decayRate > 0)) throw DlnRuntimeException.value("decay_rate must be positive, got " + decayRate);
  }

  @Override
  public double rate(long step, int epoch) {
    double p = (double) step / decaySteps;
    return initialLearningRate * Math.pow(decayRate, staircase ? Math.floor(p) : p);
  }
}
