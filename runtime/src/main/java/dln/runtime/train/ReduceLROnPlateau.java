package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code factor} when the monitored value has not improved for
 * {@code patience} epochs, then waits {@code cooldown} epochs; never below {@code min_lr}.
 */
public final class ReduceLROnPlateau implements Callback {
  private final Monitor monitor;
  private final double factor;
  private final int patience;
  private final double minDelta;
  private final int cooldown;
  private final double minLr;
  private double best;
  private int wait;
  private int cooldownLeft;

  public ReduceLROnPlateau(String monitor, double factor, int patience, double minDelta, int cooldown, double minLr, String mode) {
    if (!(factor > 0 && factor < 1)) throw DlnRuntimeException.value("ReduceLROnPlateau factor must be in (0, 1), got " + factor);
    this.monitor = new Monitor(monitor == null ? "val_loss" : monitor, mode);
    this.factor = factor;
    this.patience = Math.max(0, patience);
    this.minDelta = minDelta;
    this.cooldown = Math.max(0, cooldown);
    this.minLr = minLr;
  }

  public ReduceLROnPlateau(String monitor, double factor, int patience) {
    this(monitor, factor, patience, 1e-4, 0, 0, "auto");
  }

  @Override
  public void onTrainBegin(TrainingContext context) {
    if (context.optimizer().schedule() != null) {
      throw DlnRuntimeException.value("ReduceLROnPlateau changes a fixed learning rate, but the optimizer follows a schedule",
          "use either a schedule or ReduceLROnPlateau");
    }
    best = Double.NaN;
    wait = 0;
    cooldownLeft = 0;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs, TrainingContext context) {
    double v = monitor.value(logs, "ReduceLROnPlateau");
    if (cooldownLeft > 0) {
      cooldownLeft--;
      wait = 0;
    }
    if (monitor.improved(v, best, minDelta)) {
      best = v;
      wait = 0;
    } else if (cooldownLeft == 0 && ++wait > patience) {
      Optimizer opt = context.optimizer();
      double lr = opt.learningRate();
      if (lr > minLr) opt.setLearningRate(Math.max(lr * factor, minLr));
      cooldownLeft = cooldown;
      wait = 0;
    }
    logs.put("lr", context.optimizer().learningRate());
  }
}
