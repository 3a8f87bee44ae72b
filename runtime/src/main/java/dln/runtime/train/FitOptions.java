package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arguments of {@code fit}, with Keras's defaults: 1 epoch, batch size 32, shuffling on, no
 * validation, verbose 1. Set fields with the fluent setters.
 */
public final class FitOptions {
  int epochs = 1;
  int initialEpoch = 0;
  int batchSize = 32;
  double validationSplit = 0;
  List<INDArray> validationX;
  List<INDArray> validationY;
  boolean shuffle = true;
  final List<Callback> callbacks = new ArrayList<>();
  ProgressListener progress = ProgressListener.SILENT;
  BooleanSupplier shouldStop = () -> false;
  Long seed;
  INDArray sampleWeight;
  java.util.Map<Integer, Double> classWeight;
  CustomSteps customSteps;

  public FitOptions epochs(int epochs) {
    if (epochs < 0) throw DlnRuntimeException.value("epochs must not be negative, got " + epochs);
    this.epochs = epochs;
    return this;
  }

  /** The epoch to start at (resuming a run): epochs counts up to, not in addition. */
  public FitOptions initialEpoch(int initialEpoch) {
    this.initialEpoch = Math.max(0, initialEpoch);
    return this;
  }

  public FitOptions batchSize(int batchSize) {
    if (batchSize <= 0) throw DlnRuntimeException.value("batch_size must be positive, got " + batchSize, "e.g. batch_size=32");
    this.batchSize = batchSize;
    return this;
  }

  /** Holds out this fraction of the data, taken from the end before shuffling (as Keras does). */
  public FitOptions validationSplit(double split) {
    if (!(split >= 0 && split < 1)) {
      throw DlnRuntimeException.value("validation_split must be in [0, 1), got " + split, "e.g. validation_split=0.1 keeps 10% for validation");
    }
    this.validationSplit = split;
    return this;
  }

  public FitOptions validationData(INDArray x, INDArray y) {
    return validationData(List.of(x), List.of(y));
  }

  public FitOptions validationData(List<INDArray> x, List<INDArray> y) {
    this.validationX = x;
    this.validationY = y;
    return this;
  }

  public FitOptions shuffle(boolean shuffle) {
    this.shuffle = shuffle;
    return this;
  }

  public FitOptions callback(Callback c) {
    callbacks.add(c);
    return this;
  }

  public FitOptions callbacks(List<? extends Callback> cs) {
    callbacks.addAll(cs);
    return this;
  }

  /** Where progress goes (default: nowhere). */
  public FitOptions progress(ProgressListener listener) {
    this.progress = listener == null ? ProgressListener.SILENT : listener;
    return this;
  }

  /** Polled after every batch; true stops training, keeping weights and history (Ctrl-C). */
  public FitOptions shouldStop(BooleanSupplier shouldStop) {
    this.shouldStop = shouldStop == null ? () -> false : shouldStop;
    return this;
  }

  /** Seeds this thread's {@link dln.runtime.Rng} (shuffling, dropout masks) before training. */
  public FitOptions seed(long seed) {
    this.seed = seed;
    return this;
  }

  /**
   * Keras's sample_weight: one weight per training sample; each sample's loss is multiplied by it
   * (the batch loss stays a sum divided by the batch size). Metrics are not weighted (Keras's
   * {@code metrics}, not {@code weighted_metrics}).
   */
  public FitOptions sampleWeight(INDArray weights) {
    this.sampleWeight = weights;
    return this;
  }

  /**
   * Keras's class_weight: a weight per class index, applied to each sample by its label (the arg-max
   * of a one-hot label, or the class index / 0-1 value); multiplied with sample_weight when both are given.
   */
  public FitOptions classWeight(java.util.Map<Integer, Double> weights) {
    this.classWeight = weights == null ? null : java.util.Map.copyOf(weights);
    return this;
  }

  /** The model's own train_step/test_step, called per batch instead of the engine's (null: the engine's). */
  public FitOptions customSteps(CustomSteps steps) {
    this.customSteps = steps;
    return this;
  }
}
