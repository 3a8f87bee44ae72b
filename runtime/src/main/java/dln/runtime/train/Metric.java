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
    int last = predictions.rank() - 1;
    long count = predictions.length() / predictions.size(last);
    if (predictions.length() <= HOST_LIMIT && predictions.length() == labels.length()) {
      return host(hostValues(predictions), hostValues(labels), (int) predictions.size(last), count);
    }
    switch (kind) {
      case "categorical_accuracy": {
        INDArray p = predictions.argMax(last);
        INDArray l = labels.argMax(last);
        double correct = p.eq(l).castTo(DataType.FLOAT).sumNumber().doubleValue();
        return new double[] {correct, count};
      }
      case "binary_accuracy": {
        INDArray p = predictions.gt(0.5).castTo(DataType.FLOAT);
        INDArray l = labels.gt(0.5).castTo(DataType.FLOAT);
        double correct = p.eq(l).castTo(DataType.FLOAT).sumNumber().doubleValue();
        // Mean over the last axis per sample, summed: correct / units.
        return new double[] {correct / predictions.size(last), count};
      }
      case "mean_squared_error": {
        INDArray d = predictions.sub(labels);
        return new double[] {d.muli(d).sumNumber().doubleValue() / predictions.size(last), count};
      }
      case "mean_absolute_error": {
        INDArray d = Transforms.abs(predictions.sub(labels), false);
        return new double[] {d.sumNumber().doubleValue() / predictions.size(last), count};
      }
      default:
        throw new IllegalStateException(kind);
    }
  }

  private static float[] hostValues(INDArray a) {
    INDArray f = a.dataType() == DataType.FLOAT ? a : a.castTo(DataType.FLOAT);
    boolean plain = !f.isView() && f.ordering() == 'c' && f.data().length() == f.length();
    return (plain ? f : f.dup('c')).data().asFloat();
  }

  /** The same scores computed in one pass over host copies (row-major, {@code units} per row). */
  private double[] host(float[] p, float[] y, int units, long count) {
    double sum = 0;
    switch (kind) {
      case "categorical_accuracy" -> {
        for (int o = 0; o < p.length; o += units) {
          int bp = 0;
          int by = 0;
          for (int k = 1; k < units; k++) {
            if (p[o + k] > p[o + bp]) bp = k;
            if (y[o + k] > y[o + by]) by = k;
          }
          if (bp == by) sum++;
        }
      }
      case "binary_accuracy" -> {
        for (int i = 0; i < p.length; i++) if ((p[i] > 0.5f) == (y[i] > 0.5f)) sum++;
        sum /= units;
      }
      case "mean_squared_error" -> {
        for (int i = 0; i < p.length; i++) {
          double d = (double) p[i] - y[i];
          sum += d * d;
        }
        sum /= units;
      }
      case "mean_absolute_error" -> {
        for (int i = 0; i < p.length; i++) sum += Math.abs((double) p[i] - y[i]);
        sum /= units;
      }
      default -> throw new IllegalStateException(kind);
    }
    return new double[] {sum, count};
  }
}
