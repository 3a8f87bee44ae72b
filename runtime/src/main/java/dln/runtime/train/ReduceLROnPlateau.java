package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code factor} when the monitored value has not improved (by more
 * than {@code min_delta}) for {@code patience} epochs, never below {@code min_lr}, with Keras 3's
 * rules (keras/src/callbacks/reduce_lr_on_plateau.py), pinned in CallbackRulesTest: the epoch that
 * makes {@code wait >= patience} reduces the rate; a reduction starts {@code cooldown} epochs in
 * which no epoch counts against patience; once the rate is at {@code min_lr} nothing changes. The
 * rate is logged as "lr" (Keras 3 calls it "learning_rate").
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
    } else if (cooldownLeft == 0 && ++wait >= patience) {
      Optimizer opt = context.optimizer();
      double lr = opt.learningRate();
      // Compared in float32, as the rate is held: a rate already at min_lr is left alone.
      if ((float) lr > (float) minLr) {
        opt.setLearningRate(Math.max(lr * factor, minLr));
        cooldownLeft = cooldown;
        wait = 0;
      }
    }
    logs.put("lr", context.optimizer().learningRate());
  }
}
