package dln.runtime.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Wraps one of ND4J's updaters (fused native ops for Adam, Nadam, Nesterov), set up the way
 * SameDiff's own training session does: a state view per parameter. The learning rate is fed
 * through a schedule object whose value the fit loop sets before every step.
 */
final class NativeUpdater implements ParamUpdater {
  /** A "schedule" that returns whatever rate was last set (so our schedules and callbacks rule). */
  static final class CurrentRate implements ISchedule {
    double value;

    @Override
    public double valueAt(int iteration, int epoch) {
      return value;
    }

    @Override
    public ISchedule clone() {
      CurrentRate c = new CurrentRate();
      c.value = value;
      return c;
    }
  }

  private final CurrentRate rate;
  private final GradientUpdater<?> updater;
  private final INDArray view;

  /** @param config an ND4J updater configured with {@code rate} as its learning-rate schedule */
  NativeUpdater(IUpdater config, CurrentRate rate, INDArray param) {
    this.rate = rate;
    long stateSize = config.stateSize(param.length());
    this.view = stateSize == 0 ? null : Nd4j.zeros(param.dataType(), 1, stateSize);
    this.updater = config.instantiate(this.view, false);
    updater.setStateViewArray(this.view, param.shape(), param.ordering(), true);
  }

  @Override
  public java.util.List<INDArray> state() {
    return view == null ? java.util.List.of() : java.util.List.of(view);
  }

  @Override
  public void apply(INDArray param, INDArray grad, double learningRate, int iteration, int epoch) {
    rate.value = learningRate;
    updater.applyUpdater(grad, iteration, epoch);
    param.subi(grad);
  }
}
