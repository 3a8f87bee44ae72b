package dln.runtime.train;

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's own training and evaluation steps (Keras's {@code train_step}/{@code test_step}
 * overrides, "customizing what happens in fit()"): {@link Trainer} still cuts the batches, shuffles,
 * drives callbacks, progress and history, but hands each batch to these steps, whose returned logs
 * (metric name to value) are what progress and history show.
 */
public interface CustomSteps {
  /**
   * One training step on a batch of raw data (labels as given to fit, not prepared).
   *
   * @param y the batch's labels; empty when fit was given none
   * @param sampleWeight the batch's per-sample weights (fit's sample_weight and class_weight
   *     combined, shaped as the user's sample_weight), or null when fit was given neither
   * @return the logs to show, e.g. {loss: 0.3, mae: 0.4}
   */
  Map<String, Double> trainStep(List<INDArray> x, List<INDArray> y, INDArray sampleWeight);

  /**
   * False when the model has no forward pass of its own to build before training (Keras's GAN: a
   * model whose train_step drives the sub-models it holds and that defines no call()).
   */
  default boolean buildsModel() {
    return true;
  }

  /** True when the model overrides the evaluation step too; otherwise evaluation is fit's own. */
  boolean hasTestStep();

  /** One evaluation step (only called when {@link #hasTestStep}). */
  Map<String, Double> testStep(List<INDArray> x, List<INDArray> y);

  /** Resets the model's metrics, as Keras does at the start of every epoch and of every evaluation. */
  void resetMetrics();
}
