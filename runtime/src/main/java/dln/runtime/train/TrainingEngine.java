package dln.runtime.train;

import dln.runtime.nn.Model;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Executes a compiled model: training steps, evaluation and prediction on one batch at a time.
 * The fit loop ({@link Trainer}) does batching, metrics, callbacks and progress, so a faster
 * executor only has to implement these three calls. {@link SameDiffEngine} is the reference.
 */
public interface TrainingEngine {
  /** Creates an engine for a model (with its compile settings; null when only predicting). */
  @FunctionalInterface
  interface Factory {
    TrainingEngine create(Model model, CompileConfig config);
  }

  /**
   * Loss of a batch (the weighted total, regularisers included) and the model's outputs for it;
   * for a model with several outputs also each output's own loss (Keras's {@code <output>_loss}),
   * empty otherwise; and each output's mask of padded steps where it carries one (Keras's
   * {@code _keras_mask}, which compiled metrics take as their sample weight).
   *
   * @param outputMasks per output, (batch, steps) with 1 kept and 0 padded, or a null entry for an
   *     output without a mask; empty when no output has one
   */
  record StepResult(double loss, List<INDArray> outputs, List<Double> outputLosses, List<INDArray> outputMasks) {
    public StepResult(double loss, List<INDArray> outputs) {
      this(loss, outputs, List.of(), List.of());
    }

    /** Output {@code i}'s mask of padded steps, or null when it has none. */
    public INDArray outputMask(int i) {
      return i < outputMasks.size() ? outputMasks.get(i) : null;
    }
  }

  /** The model graph version this engine was built from (a changed model gets a new engine). */
  int version();

  /**
   * One optimisation step on a batch: forward in training mode, gradients, optimiser update of
   * the trainable weights in place, moving statistics updated.
   *
   * @param y labels already prepared by {@link Loss#prepareLabels} (float, one-hot for sparse)
   */
  default StepResult trainStep(List<INDArray> x, List<INDArray> y, int epoch) {
    return trainStep(x, y, null, epoch);
  }

  /**
   * {@link #trainStep(List, List, int)} with Keras's sample weights (fit's sample_weight and
   * class_weight): each sample's loss times its weight, divided by the batch size.
   *
   * @param sampleWeights one weight per sample of the batch, shape [batch]; null for none
   */
  StepResult trainStep(List<INDArray> x, List<INDArray> y, INDArray sampleWeights, int epoch);

  /** Loss and outputs in inference mode (no update). */
  StepResult evaluate(List<INDArray> x, List<INDArray> y);

  /**
   * Outputs in inference mode, in arrays of their own: never views of {@code x} or of the
   * engine's buffers (the caller reuses its input arrays for the next batch and keeps these).
   */
  List<INDArray> predict(List<INDArray> x);

  /**
   * Outputs in inference mode that may be the engine's own buffers (or views of {@code x}), valid
   * only until the engine's next call: for a caller that copies them at once, as
   * {@link Trainer#predict} does into its result. By default {@link #predict}.
   */
  default List<INDArray> predictTransient(List<INDArray> x) {
    return predict(x);
  }
}
