package dln.runtime.train;

import java.util.Map;

/** Sets the learning rate at the start of every epoch from a function of (epoch, current rate). */
public final class LearningRateScheduler implements Callback {
  /** The rule: new rate from the epoch (0-based) and the current rate. */
  @FunctionalInterface
  public interface Rule {
    double rate(int epoch, double currentRate);
  }

  private final Rule rule;

  public LearningRateScheduler(Rule rule) {
    this.rule = rule;
  }

  /** Follows a schedule per epoch (e.g. {@link StepDecay}). */
  public static LearningRateScheduler of(LearningRateSchedule schedule) {
    return new LearningRateScheduler((epoch, lr) -> schedule.rate(0, epoch));
  }

  @Override
  public void onEpochBegin(int epoch, TrainingContext context) {
    Optimizer opt = context.optimizer();
    opt.setLearningRate(rule.rate(epoch, opt.learningRate()));
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
    logs.put("lr", context.optimizer().learningRate());
  }
}
