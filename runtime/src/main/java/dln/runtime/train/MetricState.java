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
  /** The metric compile knows by this name, or null for a plain mean of values (Keras's {@code Mean}). */
  private final String metric;
  private final String name;
  /** Made by compile: like Keras's compiled {@code metrics=} (not {@code weighted_metrics=}), it takes no sample weights. */
  private boolean compiled;
  private double sum;
  private double count;

  /** @param metric a metric name compile accepts ({@link Metric#NAMES}) */
  public MetricState(String metric) {
    this(metric, metric);
  }

  /**
   * @param metric a metric name compile accepts, or null for Keras's {@code Mean}
   * @param name the name it shows (Keras's {@code name=}; the logs of a custom train_step use it)
   */
  public MetricState(String metric, String name) {
    if (metric != null) Metric.resolve(metric, Loss.byName("mse"), 2);
    this.metric = metric;
    this.name = name;
  }

  /** Keras's {@code keras.metrics.Mean(name=...)}: the running mean of the values given to {@link #updateMean}. */
  public static MetricState mean(String name) {
    return new MetricState(null, name);
  }

  /**
   * A metric compile made ({@code model.metrics} after the loss): Keras's compile metrics ignore a
   * step's {@code sample_weight} (only {@code weighted_metrics} use it), and so does this one.
   */
  public static MetricState compiled(String metric) {
    MetricState m = new MetricState(metric);
    m.compiled = true;
    return m;
  }

  /** True for a metric compile made ({@link #compiled(String)}). */
  public boolean isCompiled() {
    return compiled;
  }

  /** The name it shows; for a metric made by its compile name, that name. */
  public String name() {
    return name;
  }

  /** The metric compile knows it by (compile(metrics=[keras.metrics.MeanAbsoluteError()])), null for a Mean. */
  public String metric() {
    return metric;
  }

  /** True for a Mean, which {@link #updateMean} updates. */
  public boolean isMean() {
    return metric == null;
  }

  /** A Mean's update: every element of {@code values} counts once. */
  public void updateMean(INDArray values) {
    if (metric != null) {
      throw DlnRuntimeException.value(name + ".update_state() takes (y_true, y_pred)", "pass the labels and the predictions");
    }
    sum += values.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).sumNumber().doubleValue();
    count += values.length();
  }

  /** A Mean's weighted update (Keras's {@code update_state(values, sample_weight=w)}): Σ w·v / Σ w; w per value or per row. */
  public void updateMean(INDArray values, INDArray weights) {
    if (weights == null) {
      updateMean(values);
      return;
    }
    if (metric != null) updateMean(values);   // the same error as unweighted
    INDArray v = values.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(values.length());
    INDArray w = weights.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).reshape(weights.length());
    if (w.length() != v.length()) {
      if (values.rank() == 0 || w.length() != values.size(0)) {
        throw DlnRuntimeException.shape(name + ".update_state(values, sample_weight=...): " + Shapes.format(weights.shape())
            + " weights for " + Shapes.format(values.shape()) + " values", "give one weight per value, or one per row");
      }
      w = w.reshape(values.size(0), 1).repeat(1, values.length() / values.size(0)).reshape(values.length());
    }
    sum += v.mul(w).sumNumber().doubleValue();
    count += w.sumNumber().doubleValue();
  }

  /** Adds one batch: labels (class indices for the sparse metric, or shaped as the predictions) and predictions. */
  public void update(INDArray yTrue, INDArray yPred) {
    update(yTrue, yPred, null);
  }

  /**
   * Adds one batch weighted as Keras's {@code update_state(y_true, y_pred, sample_weight=w)}: the
   * result is Σ w·value / Σ w; one weight per sample (spread over a sequence's steps) or one per
   * position (sample and step); null for none.
   */
  public void update(INDArray yTrue, INDArray yPred, INDArray sampleWeight) {
    if (metric == null) {
      throw DlnRuntimeException.value(name + " is a Mean: update_state(values) takes one tensor", "e.g. loss_tracker.update_state(loss)");
    }
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
    double[] batch = Metric.resolve(metric, labels, units).batch(yPred, prepared, positionWeights(sampleWeight, shape));
    sum += batch[0];
    count += batch[1];
  }

  /** Sample weights as one weight per position of predictions shaped {@code shape} (batch first, units last). */
  private INDArray positionWeights(INDArray w, long[] shape) {
    if (w == null) return null;
    long batch = shape[0];
    long positions = 1;
    for (int i = 0; i < shape.length - 1; i++) positions *= shape[i];
    INDArray flat = w.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).reshape(w.length());
    if (w.length() == positions) return flat;
    if (w.length() == batch) {
      // One weight per sample, the same for each of its steps.
      return flat.reshape(batch, 1).repeat(1, positions / batch).reshape(positions);
    }
    throw DlnRuntimeException.shape(name + ".update_state(sample_weight=...): " + Shapes.format(w.shape()) + " weights for "
        + Shapes.format(shape) + " predictions", "give one weight per sample, shape (" + batch + ",)");
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
