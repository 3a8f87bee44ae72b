package dln.runtime.train;

import dln.runtime.DlnRuntimeException;

/**
 * Keras's CosineDecay with linear warm-up: for {@code warmup_steps} steps the rate rises linearly
 * from the initial rate to {@code warmup_target} (when given), then follows half a cosine over
 * {@code decay_steps} down to {@code alpha} × the peak, and stays there.
 */
public record CosineDecay(double initialLearningRate, long decaySteps, double alpha, long warmupSteps, Double warmupTarget)
    implements LearningRateSchedule {
  public CosineDecay {
    if (!(initialLearningRate >= 0)) throw DlnRuntimeException.value("initial learning rate must not be negative, got " + initialLearningRate);
    if (decaySteps <= 0) throw DlnRuntimeException.value("decay_steps must be positive, got " + decaySteps);
    if (!(alpha >= 0 && alpha <= 1)) throw DlnRuntimeException.value("alpha must be in [0, 1], got " + alpha);
    if (warmupSteps < 0) throw DlnRuntimeException.value("warmup_steps must not be negative, got " + warmupSteps);
  }

  public CosineDecay(double initialLearningRate, long decaySteps) {
    this(initialLearningRate, decaySteps, 0, 0, null);
  }

  @Override
  public double rate(long step, int epoch) {
    double peak = warmupTarget != null ? warmupTarget : initialLearningRate;
    if (warmupTarget != null && step < warmupSteps) {
      return initialLearningRate + (warmupTarget - initialLearningRate) * step / warmupSteps;
    }
    long t = Math.min(step - (warmupTarget != null ? warmupSteps : 0), decaySteps);
    double cosine = 0.5 * (1 + Math.cos(Math.PI * t / decaySteps));
    return peak * ((1 - alpha) * cosine + alpha);
  }
}
