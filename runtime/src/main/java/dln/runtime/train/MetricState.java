package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Shapes;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Keras metric object used by hand ({@code m.update_state(y, logits)}, {@code m.result()},
 * {@code m.reset_state()}), as custom training loops do: the running mean over all samples seen
 * since the last reset, computed as {@code fit} computes the metric of the same name.
 */
public final class MetricState {
  private final String name;
  private double sum;
  private double count;

  /** @param name a metric name compile accepts ({@link Metric#NAMES}) */
  public MetricState(String name) {
    Metric.resolve(name, Loss.byName("mse"), 2);
    this.name = name;
  }

  /** The name compile and the logs use. */
  public String name() {
    return name;
  }

  /** Adds one batch: labels (class indices for the sparse metric, or shaped as the predictions) and predictions. */
  public void update(INDArray yTrue, INDArray yPred) {
    long[] shape = yPred.shape();
    if (shape.length == 0 || yTrue.rank() == 0 || yTrue.size(0) != shape[0]) {
      throw DlnRuntimeException.shape(name + ".update_state(y_true, y_pred): " + Shapes.format(yTrue.shape()) + " labels for "
          + Shapes.format(shape) + " predictions", "give one label per prediction, with the batch first in both");
    }
    long units = shape[shape.length - 1];
    boolean indices = yTrue.rank() == shape.length - 1 || (yTrue.rank() == shape.length && yTrue.size(-1) == 1 && units > 1);
    Loss labels = Loss.byName(indices ? "sparse_categorical_crossentropy" : units == 1 ? "binary_crossentropy" : "mse");
    INDArray y = indices ? yTrue.reshape(yTrue.size(0)) : yTrue;
    if (indices) labels.checkLabels(y, shape, "y_true");
    INDArray prepared = labels.prepareLabels(y, shape);
    if (!Arrays.equals(prepared.shape(), shape)) {
      throw DlnRuntimeException.shape(name + ".update_state(y_true, y_pred): labels of shape " + Shapes.format(yTrue.shape())
          + " do not fit predictions of shape " + Shapes.format(shape), null);
    }
    double[] batch = Metric.resolve(name, labels, units).batch(yPred, prepared);
    sum += batch[0];
    count += batch[1];
  }

  /** The mean so far (0 before any update, as Keras). */
  public double result() {
    return count == 0 ? 0 : sum / count;
  }

  public void reset() {
    sum = 0;
    count = 0;
  }
}
