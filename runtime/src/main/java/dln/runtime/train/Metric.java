package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Names;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A metric computed eagerly on a batch's outputs and (prepared) labels. Values are accumulated as
 * sums and counts so an epoch's figure is the mean over samples, as Keras reports it.
 *
 * @param name the name logs and history use (what the user asked for, e.g. "accuracy")
 * @param kind what is computed: categorical_accuracy, binary_accuracy, mean_squared_error, mean_absolute_error
 */
public record Metric(String name, String kind) {
  /** Names accepted in {@code compile(metrics=[...])}. */
  public static final List<String> NAMES = List.of(
      "accuracy", "acc", "categorical_accuracy", "sparse_categorical_accuracy", "binary_accuracy", "mse",
      "mean_squared_error", "mae", "mean_absolute_error");

  /**
   * Resolves a metric name for a loss and output, as Keras does: "accuracy" becomes binary
   * accuracy for binary cross-entropy or a single output unit, otherwise categorical accuracy
   * (sparse labels are one-hot by the time metrics see them).
   */
  public static Metric resolve(String name, Loss loss, long outputUnits) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    String kind = switch (n) {
      case "accuracy", "acc" -> loss.name().equals("binary_crossentropy") || (outputUnits == 1 && !loss.categorical())
          ? "binary_accuracy" : "categorical_accuracy";
      case "categorical_accuracy", "sparse_categorical_accuracy" -> "categorical_accuracy";
      case "binary_accuracy" -> "binary_accuracy";
      case "mse", "mean_squared_error" -> "mean_squared_error";
      case "mae", "mean_absolute_error" -> "mean_absolute_error";
      default -> throw DlnRuntimeException.value("unknown metric '" + name + "'", Names.hint(name, NAMES));
    };
    return new Metric(n.equals("acc") ? "accuracy" : n, kind);
  }

  /** Batches up to this many values are scored in Java (an ND4J op costs ~10–20 µs each). */
  private static final long HOST_LIMIT = 1 << 20;

  /** {sum over samples, number of samples} for one batch. */
  public double[] batch(INDArray predictions, INDArray labels) {
    return batch(predictions, labels, null);
  }

  /**
   * {weighted sum, total weight} for one batch of an output that may carry a mask of padded
   * steps: as Keras passes the mask to a compiled metric as its sample weight, a padded step
   * counts for nothing and the epoch's figure is the mean over the kept steps.
   *
   * @param mask (batch, steps) with 1 kept and 0 padded, for a (batch, steps, units) output; null for none
   * @throws IllegalArgumentException if the mask has not one value per output position
   */
  public double[] batch(INDArray predictions, INDArray labels, INDArray mask) {
    int last = predictions.rank() - 1;
    long positions = predictions.length() / predictions.size(last);
    if (mask != null && mask.length() != positions) {
      // An engine hands over the mask of the output it scores; any other mask is a bug upstream,
      // and dropping it would quietly count padded steps.
      throw new IllegalArgumentException("a mask of " + mask.length() + " values for " + positions + " output positions");
    }
    if (predictions.length() <= HOST_LIMIT && predictions.length() == labels.length()) {
      float[] keep = mask == null ? null : hostValues(mask);
      return host(hostValues(predictions), hostValues(labels), (int) predictions.size(last), keep, positions);
    }
    INDArray scores = positionScores(predictions, labels, last);
    if (mask == null) return new double[] {scores.sumNumber().doubleValue(), positions};
    INDArray keep = mask.castTo(DataType.DOUBLE).reshape(scores.shape());
    return new double[] {scores.castTo(DataType.DOUBLE).muli(keep).sumNumber().doubleValue(), keep.sumNumber().doubleValue()};
  }

  /** The metric at every position (the output's shape without its last axis). */
  private INDArray positionScores(INDArray predictions, INDArray labels, int last) {
    switch (kind) {
      case "categorical_accuracy":
        return predictions.argMax(last).eq(labels.argMax(last)).castTo(DataType.FLOAT);
      case "binary_accuracy": {
        INDArray p = predictions.gt(0.5).castTo(DataType.FLOAT);
        INDArray l = labels.gt(0.5).castTo(DataType.FLOAT);
        return p.eq(l).castTo(DataType.FLOAT).mean(last);
      }
      case "mean_squared_error": {
        INDArray d = predictions.sub(labels);
        return d.muli(d).mean(last);
      }
      case "mean_absolute_error":
        return Transforms.abs(predictions.sub(labels), false).mean(last);
      default:
        throw new IllegalStateException(kind);
    }
  }

  private static float[] hostValues(INDArray a) {
    INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
    boolean plain = !f.isView() && f.ordering() == 'c' && f.data().length() == f.length();
    return (plain ? f : f.dup('c')).data().asFloat();
  }

  /**
   * The same scores computed in one pass over host copies (row-major, {@code units} per row),
   * each row weighted by {@code keep} when given. (The switch stays outside the loops: this runs
   * on every training batch.)
   */
  private double[] host(float[] p, float[] y, int units, float[] keep, long positions) {
    double sum = 0;
    int rows = p.length / units;
    switch (kind) {
      case "categorical_accuracy" -> {
        for (int r = 0, o = 0; r < rows; r++, o += units) {
          int bp = 0;
          int by = 0;
          for (int k = 1; k < units; k++) {
            if (p[o + k] > p[o + bp]) bp = k;
            if (y[o + k] > y[o + by]) by = k;
          }
          if (bp == by) sum += keep == null ? 1 : keep[r];
        }
      }
      case "binary_accuracy" -> {
        for (int i = 0; i < p.length; i++) if ((p[i] > 0.5f) == (y[i] > 0.5f)) sum += keep == null ? 1 : keep[i / units];
        sum /= units;
      }
      case "mean_squared_error" -> {
        for (int i = 0; i < p.length; i++) {
          double d = (double) p[i] - y[i];
          sum += keep == null ? d * d : d * d * keep[i / units];
        }
        sum /= units;
      }
      case "mean_absolute_error" -> {
        for (int i = 0; i < p.length; i++) sum += Math.abs((double) p[i] - y[i]) * (keep == null ? 1 : keep[i / units]);
        sum /= units;
      }
      default -> throw new IllegalStateException(kind);
    }
    if (keep == null) return new double[] {sum, positions};
    double kept = 0;
    for (float k : keep) kept += k;
    return new double[] {sum, kept};
  }
}
