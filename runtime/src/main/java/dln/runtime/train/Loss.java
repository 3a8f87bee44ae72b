package dln.runtime.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Names;
import dln.runtime.Shapes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training loss by Keras name. Builds the scalar loss in the training graph (mean over the
 * batch), prepares labels (sparse class indices become one-hot rows), and checks labels against
 * the model's output before training starts.
 */
public final class Loss {
  /** Canonical names. */
  public static final List<String> NAMES = List.of(
      "mean_squared_error", "mean_absolute_error", "categorical_crossentropy", "sparse_categorical_crossentropy",
      "binary_crossentropy", "huber", "hinge", "squared_hinge", "categorical_hinge", "kl_divergence", "poisson",
      "log_cosh", "cosine_similarity", "mean_squared_logarithmic_error", "mean_absolute_percentage_error");

  private static final Map<String, String> ALIASES = Map.ofEntries(
      Map.entry("mse", "mean_squared_error"), Map.entry("mae", "mean_absolute_error"), Map.entry("huber_loss", "huber"),
      Map.entry("crossentropy", "categorical_crossentropy"), Map.entry("bce", "binary_crossentropy"),
      Map.entry("cce", "categorical_crossentropy"), Map.entry("kld", "kl_divergence"),
      Map.entry("kullback_leibler_divergence", "kl_divergence"), Map.entry("logcosh", "log_cosh"),
      Map.entry("msle", "mean_squared_logarithmic_error"), Map.entry("mape", "mean_absolute_percentage_error"));

  /** Probabilities are clipped away from 0 and 1 by this much before taking logs (Keras's epsilon). */
  static final double EPSILON = 1e-7;

  private final String name;
  private final double delta;
  private final boolean fromLogits;

  /**
   * @param name a loss name or alias
   * @param delta Huber's threshold between quadratic and linear (ignored by other losses)
   */
  public Loss(String name, double delta) {
    this(name, delta, null);
  }

  /**
   * @param fromLogits for the cross-entropies, that the model's output is raw scores (logits), not
   *     probabilities: the loss applies softmax (sigmoid for binary) itself, as Keras's from_logits=True
   */
  @JsonCreator
  public Loss(@JsonProperty("name") String name, @JsonProperty("delta") double delta,
      @JsonProperty("from_logits") Boolean fromLogits) {
    this.name = canonical(name);
    if (this.name.equals("huber") && !(delta > 0)) throw DlnRuntimeException.value("huber delta must be positive, got " + delta);
    this.delta = delta;
    this.fromLogits = fromLogits != null && fromLogits;
    if (this.fromLogits && !categorical() && !this.name.equals("binary_crossentropy")) {
      throw DlnRuntimeException.value("from_logits applies to the cross-entropy losses, not " + this.name);
    }
  }

  /** The same loss taking raw scores (logits) as the model's output. */
  public Loss withFromLogits(boolean logits) {
    return new Loss(name, delta, logits);
  }

  @JsonProperty("from_logits")
  public boolean fromLogits() {
    return fromLogits;
  }

  /**
   * The loss of predictions against labels now (not inside training), as Keras's
   * {@code loss_fn(y_true, y_pred)}: the same graph training builds, run once.
   */
  public double value(INDArray yTrue, INDArray yPred) {
    return value(yTrue, yPred, null);
  }

  /** The loss now with one weight per sample ({@code loss_fn(y_true, y_pred, sample_weight=w)}); null for none. */
  public double value(INDArray yTrue, INDArray yPred, INDArray sampleWeights) {
    SameDiff sd = SameDiff.create();
    GraphContext ctx = new GraphContext(sd, false);
    INDArray pred = yPred.castTo(DataType.FLOAT);
    checkLabels(yTrue, pred.shape(), "y_true");
    SDVariable out = sd.constant("y_pred", pred);
    SDVariable labels = sd.constant("y_true", prepareLabels(yTrue, pred.shape()));
    SDVariable weights = sampleWeights == null ? null : sd.constant("sample_weight", perSample(sampleWeights, pred.size(0)).castTo(DataType.FLOAT));
    SDVariable loss = build(ctx, out, labels, pred.shape(), weights);
    return loss.eval().getDouble(0);
  }

  /** Sample weights as a [batch] vector: one per sample, given as (batch,) or (batch, 1). */
  public static INDArray perSample(INDArray sampleWeights, long batch) {
    if (sampleWeights.length() != batch || (sampleWeights.rank() > 1 && sampleWeights.length() != sampleWeights.size(0))
        || sampleWeights.rank() == 0 && batch != 1) {
      throw DlnRuntimeException.shape("sample_weight needs one weight per sample, shape (" + batch + ",), but it has shape "
          + dln.runtime.Shapes.format(sampleWeights.shape()), "give a 1-D array with one weight per row of y_pred");
    }
    return sampleWeights.reshape(batch);
  }

  /** A loss by name with default settings. */
  public static Loss byName(String name) {
    return new Loss(name, 1.0);
  }

  private static String canonical(String name) {
    if (name == null) throw DlnRuntimeException.value("a loss is required", "e.g. loss='categorical_crossentropy'");
    String n = name.toLowerCase(java.util.Locale.ROOT);
    n = ALIASES.getOrDefault(n, n);
    if (!NAMES.contains(n)) {
      List<String> all = new java.util.ArrayList<>(NAMES);
      all.addAll(ALIASES.keySet());
      throw DlnRuntimeException.value("unknown loss '" + name + "'", Names.hint(name, all));
    }
    return n;
  }

  @JsonProperty("name")
  public String name() {
    return name;
  }

  @JsonProperty("delta")
  public double delta() {
    return delta;
  }

  /** True when labels are class indices (sparse_categorical_crossentropy). */
  public boolean sparse() {
    return name.equals("sparse_categorical_crossentropy");
  }

  /** True for the cross-entropies over classes. */
  public boolean categorical() {
    return name.equals("categorical_crossentropy") || sparse();
  }

  // ---------------------------------------------------------------- graph

  /** The scalar loss (batch mean) of one output against its (prepared, one-hot) labels. */
  public SDVariable build(GraphContext ctx, SDVariable output, SDVariable labels, long[] outputShape) {
    return build(ctx, output, labels, outputShape, null);
  }

  /**
   * The scalar loss with Keras's sample weights: each sample's loss (at every position, for
   * sequence outputs) times its weight, summed and divided by the number of losses (Keras's
   * SUM_OVER_BATCH_SIZE, so weights of 1 give the plain mean).
   *
   * @param sampleWeights one weight per sample, shape [batch], or null for none
   */
  public SDVariable build(GraphContext ctx, SDVariable output, SDVariable labels, long[] outputShape, SDVariable sampleWeights) {
    return build(ctx, output, labels, outputShape, sampleWeights, null);
  }

  /**
   * The scalar loss of a sequence output that may carry a mask of padded steps: as Keras
   * ({@code losses_utils.apply_valid_mask}), a masked step's loss counts for nothing and the mean
   * runs over the kept steps only (each kept step weighs total / kept); sample weights multiply in.
   * A batch without a kept step has loss 0 (Keras divides by zero there).
   *
   * @param mask (batch, steps), 1 for a kept step; null, or an output that is not a sequence, for none
   */
  public SDVariable build(GraphContext ctx, SDVariable output, SDVariable labels, long[] outputShape, SDVariable sampleWeights,
      SDVariable mask) {
    int last = outputShape.length - 1;
    boolean masked = mask != null && outputShape.length == 3;
    GraphContext.Logits logits = !fromLogits ? ctx.logitsOf(output)
        : new GraphContext.Logits(output, categorical() ? GraphContext.LogitKind.SOFTMAX : GraphContext.LogitKind.SIGMOID);
    if (sampleWeights == null && !masked && categorical() && logits != null && logits.kind() == GraphContext.LogitKind.SOFTMAX
        && outputShape.length == 2) {
      // ND4J's fused softmax cross-entropy from logits: stable, gradient p - y, one op each way.
      return ctx.sd().loss.softmaxCrossEntropy(labels, logits.logits(), null, LossReduce.MEAN_BY_NONZERO_WEIGHT_COUNT, 0.0);
    }
    SDVariable t = term(ctx, output, labels, outputShape, logits);
    if (sampleWeights == null && !masked) return t.mean();
    // Each sample's weight broadcast over its positions (and, for element-wise terms, its last
    // axis): the mean of the weighted terms is Σ w·loss / (number of losses).
    long[] broadcast = new long[rowTerm() ? last : last + 1];
    java.util.Arrays.fill(broadcast, 1);
    broadcast[0] = -1;
    SDVariable w = sampleWeights == null ? null : sampleWeights.reshape(broadcast);
    if (masked) {
      SDVariable steps = mask.div(mask.mean().add(MASK_EPSILON));
      SDVariable stepWeights = rowTerm() ? steps : steps.reshape(-1, outputShape[1], 1);
      w = w == null ? stepWeights : stepWeights.mul(w);
    }
    return t.mul(w).mean();
  }

  /** Added to the kept fraction of a masked output's steps, so a batch without kept steps has loss 0. */
  public static final double MASK_EPSILON = 1e-12;

  /** True for the losses whose term is already one value per sample (a sum over the last axis). */
  private boolean rowTerm() {
    return categorical() || name.equals("categorical_hinge") || name.equals("kl_divergence") || name.equals("cosine_similarity");
  }

  /**
   * The loss before the batch mean: element by element (shaped like the output) or, for
   * {@link #rowTerm()} losses, one value per sample and position.
   */
  private SDVariable term(GraphContext ctx, SDVariable output, SDVariable labels, long[] outputShape, GraphContext.Logits logits) {
    SameDiff sd = ctx.sd();
    int last = outputShape.length - 1;
    switch (name) {
      case "mean_squared_error":
        return sd.math.squaredDifference(output, labels);
      case "mean_absolute_error":
        return sd.math.abs(output.sub(labels));
      case "huber": {
        SDVariable err = sd.math.abs(output.sub(labels));
        SDVariable quadratic = sd.math.min(err, sd.constant(Nd4j.scalar(DataType.FLOAT, delta)));
        SDVariable linear = err.sub(quadratic);
        return quadratic.mul(quadratic).mul(0.5).add(linear.mul(delta));
      }
      case "categorical_crossentropy":
      case "sparse_categorical_crossentropy": {
        SDVariable logProbs;
        if (logits != null && logits.kind() == GraphContext.LogitKind.SOFTMAX) {
          // Fused softmax + cross-entropy from the logits: stable, and the exact gradient p - y.
          // Written out (z - max - log Σ e^(z - max)) because M2.1's logSoftmax(x, dim) fails to build.
          SDVariable z = logits.logits();
          SDVariable shifted = z.sub(z.max(true, last));
          logProbs = shifted.sub(sd.math.log(sd.math.exp(shifted).sum(true, last)));
        } else {
          logProbs = sd.math.log(sd.math.clipByValue(output, EPSILON, 1 - EPSILON));
        }
        return labels.mul(logProbs).sum(last).neg();
      }
      case "binary_crossentropy": {
        if (logits != null && logits.kind() == GraphContext.LogitKind.SIGMOID) {
          // max(z, 0) - z·y + log(1 + e^-|z|): cross-entropy from logits without overflow.
          // (ND4J's sigmoidCrossEntropy op is not used: the written-out form is verified against
          // finite differences in the tests and costs only a few ops.)
          SDVariable z = logits.logits();
          SDVariable softplus = sd.nn.softplus(sd.math.abs(z).neg());
          return sd.nn.relu(z, 0).sub(z.mul(labels)).add(softplus);
        }
        SDVariable p = sd.math.clipByValue(output, EPSILON, 1 - EPSILON);
        SDVariable one = sd.constant(Nd4j.scalar(DataType.FLOAT, 1.0));
        return labels.mul(sd.math.log(p)).add(one.sub(labels).mul(sd.math.log(one.sub(p)))).neg();
      }
      // Keras's formulas: a mean (or sum) over the last axis per sample, then the batch mean.
      case "hinge":
        return sd.nn.relu(sd.constant(Nd4j.scalar(DataType.FLOAT, 1.0)).sub(labels.mul(output)), 0);
      case "squared_hinge": {
        SDVariable r = sd.nn.relu(sd.constant(Nd4j.scalar(DataType.FLOAT, 1.0)).sub(labels.mul(output)), 0);
        return r.mul(r);
      }
      case "categorical_hinge": {
        SDVariable pos = labels.mul(output).sum(last);
        SDVariable neg = sd.constant(Nd4j.scalar(DataType.FLOAT, 1.0)).sub(labels).mul(output).max(last);
        return sd.nn.relu(neg.sub(pos).add(1.0), 0);
      }
      case "kl_divergence": {
        SDVariable y = sd.math.clipByValue(labels, EPSILON, 1);
        SDVariable p = sd.math.clipByValue(output, EPSILON, 1);
        return y.mul(sd.math.log(y.div(p))).sum(last);
      }
      case "poisson":
        return output.sub(labels.mul(sd.math.log(output.add(EPSILON))));
      case "log_cosh": {
        // x + softplus(−2x) − log 2: log(cosh(x)) without overflow for large |x|.
        SDVariable x = output.sub(labels);
        return x.add(sd.nn.softplus(x.mul(-2.0))).sub(Math.log(2));
      }
      case "cosine_similarity":
        return l2Normalize(sd, labels, last).mul(l2Normalize(sd, output, last)).sum(last).neg();
      case "mean_squared_logarithmic_error": {
        SDVariable eps = sd.constant(Nd4j.scalar(DataType.FLOAT, EPSILON));
        SDVariable a = sd.math.log(sd.math.max(output, eps).add(1.0));
        SDVariable b = sd.math.log(sd.math.max(labels, eps).add(1.0));
        return sd.math.squaredDifference(a, b);
      }
      case "mean_absolute_percentage_error": {
        SDVariable eps = sd.constant(Nd4j.scalar(DataType.FLOAT, EPSILON));
        return sd.math.abs(labels.sub(output).div(sd.math.max(sd.math.abs(labels), eps))).mul(100.0);
      }
      default:
        throw new IllegalStateException(name);
    }
  }

  /** x / sqrt(max(Σx², 1e-12)) over an axis (Keras's l2_normalize). */
  private static SDVariable l2Normalize(SameDiff sd, SDVariable x, int axis) {
    SDVariable sq = x.mul(x).sum(true, axis);
    return x.div(sd.math.sqrt(sd.math.max(sq, sd.constant(Nd4j.scalar(DataType.FLOAT, 1e-12)))));
  }

  /** True for the hinge losses, whose 0/1 labels Keras turns into −1/1. */
  private boolean hingeLabels() {
    return name.equals("hinge") || name.equals("squared_hinge");
  }

  // ---------------------------------------------------------------- labels

  /**
   * Checks labels against an output shape before training, explaining the arithmetic.
   *
   * @param what how to refer to the labels in messages, e.g. "y"
   */
  public void checkLabels(INDArray y, long[] outputShape, String what) {
    // uint8 labels (keras.datasets' load_data) are checked as numbers: ND4J's floor rejects integer types
    if (!y.dataType().isFPType()) y = y.castTo(DataType.DOUBLE);
    long[] ys = y.shape();
    long[] out = Shapes.sample(outputShape);
    long units = out[out.length - 1];
    long[] ySample = Arrays.copyOfRange(ys, 1, ys.length);
    if (sparse()) {
      if (Arrays.equals(ySample, out) && units > 1 && looksOneHot(y)) {
        throw DlnRuntimeException.shape(
            name + " expects class indices of shape (" + ys[0] + ",), but " + what + " has shape " + Shapes.format(ys)
                + ", which looks one-hot",
            "use loss='categorical_crossentropy' for one-hot labels");
      }
      long[] expected = Arrays.copyOf(out, out.length - 1);
      boolean ok = Arrays.equals(ySample, expected)
          || (ySample.length == expected.length + 1 && ySample[ySample.length - 1] == 1
              && Arrays.equals(Arrays.copyOf(ySample, expected.length), expected));
      if (!ok) {
        throw DlnRuntimeException.shape(
            name + " expects one class index per sample, labels of shape " + Shapes.format(prepend(ys[0], expected))
                + ", but " + what + " has shape " + Shapes.format(ys),
            null);
      }
      checkClassIndices(y, units, what);
      return;
    }
    if (Arrays.equals(ySample, out)) {
      if (name.equals("binary_crossentropy")) checkRange01(y, what);
      return;
    }
    if (units == 1 && ySample.length == out.length - 1 && Arrays.equals(ySample, Arrays.copyOf(out, out.length - 1))) {
      if (name.equals("binary_crossentropy")) checkRange01(y, what);
      return; // (N,) against (N, 1): a column is added when the labels are prepared
    }
    if (categorical() && units > 1 && (ySample.length == out.length - 1 || (ySample.length == out.length && ySample[ySample.length - 1] == 1))) {
      throw DlnRuntimeException.shape(
          name + " needs one-hot labels of shape " + Shapes.format(prepend(ys[0], out)) + " (one column per output unit), but "
              + what + " has shape " + Shapes.format(ys) + ": class indices",
          "use loss='sparse_categorical_crossentropy', or one-hot encode the labels with to_categorical(y, " + units + ")");
    }
    if (ySample.length == out.length && ySample.length >= 1) {
      long yUnits = ySample[ySample.length - 1];
      throw DlnRuntimeException.shape(
          "the labels have " + yUnits + " value" + (yUnits == 1 ? "" : "s") + " per sample (" + what + " has shape "
              + Shapes.format(ys) + "), but the model outputs " + units + " per sample " + Shapes.format(outputShape),
          "make the last layer produce " + yUnits + " values, e.g. Dense(" + yUnits + (categorical() ? ", softmax)" : ")"));
    }
    throw DlnRuntimeException.shape(
        "the model outputs " + Shapes.format(outputShape) + ", but " + what + " has shape " + Shapes.format(ys)
            + "; " + name + " needs labels shaped like the output",
        null);
  }

  private static long[] prepend(long n, long[] rest) {
    long[] s = new long[rest.length + 1];
    s[0] = n;
    System.arraycopy(rest, 0, s, 1, rest.length);
    return s;
  }

  private static boolean looksOneHot(INDArray y) {
    INDArray rowSums = y.sum(y.rank() - 1);
    return y.minNumber().doubleValue() >= 0 && y.maxNumber().doubleValue() <= 1
        && rowSums.minNumber().doubleValue() == 1 && rowSums.maxNumber().doubleValue() == 1;
  }

  private void checkClassIndices(INDArray y, long units, String what) {
    double min = y.minNumber().doubleValue();
    double max = y.maxNumber().doubleValue();
    if (min < 0 || max >= units) {
      double bad = min < 0 ? min : max;
      throw DlnRuntimeException.value(
          "label " + fmt(bad) + " in " + what + " is out of range: the model's output has " + units + " units, so class indices must be 0.."
              + (units - 1),
          "make the last layer Dense(" + (long) (max + 1) + ", softmax) for " + (long) (max + 1) + " classes");
    }
    INDArray frac = y.sub(Nd4j.math().floor(y.dup()));
    if (frac.maxNumber().doubleValue() > 0) {
      throw DlnRuntimeException.value(name + " needs whole-number class indices, but " + what + " has fractional values",
          "use categorical_crossentropy for probability labels");
    }
  }

  /**
   * Labels far outside [0, 1] are a mistake (class indices given to a binary loss); a little outside
   * is the label noise GANs add on purpose (keras.io's GAN: 1 + 0.05·uniform), which Keras computes.
   */
  private static final double LABEL_NOISE = 0.25;

  private void checkRange01(INDArray y, String what) {
    if (y.minNumber().doubleValue() < -LABEL_NOISE || y.maxNumber().doubleValue() > 1 + LABEL_NOISE) {
      throw DlnRuntimeException.value(
          "binary_crossentropy needs labels between 0 and 1, but " + what + " ranges from " + fmt(y.minNumber().doubleValue()) + " to "
              + fmt(y.maxNumber().doubleValue()),
          "use mean_squared_error for other targets");
    }
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** Labels as the graph wants them: float, one-hot for sparse labels, a column for (N,) labels. */
  public INDArray prepareLabels(INDArray y, long[] outputShape) {
    long[] out = Shapes.sample(outputShape);
    long n = y.size(0);
    if (sparse()) {
      long units = out[out.length - 1];
      long rows = y.length();
      int[] idx = y.castTo(DataType.INT32).reshape(rows).toIntVector();
      float[] data = new float[(int) (rows * units)];
      for (int r = 0; r < rows; r++) data[(int) (r * units + idx[r])] = 1f;
      INDArray oneHot = Nd4j.create(data, new long[] {rows, units}, DataType.FLOAT);
      return oneHot.reshape(prepend(n, out));
    }
    INDArray f = y.castTo(DataType.FLOAT);
    if (hingeLabels() && f.length() > 0) {
      // Keras: labels that are all 0 or 1 become −1 or 1 (hinge expects ±1).
      INDArray zeroOrOne = f.eq(0).castTo(DataType.FLOAT).addi(f.eq(1).castTo(DataType.FLOAT));
      if (zeroOrOne.minNumber().doubleValue() > 0) f = f.mul(2).subi(1);
    }
    if (y.rank() == outputShape.length - 1) return f.reshape(prepend(n, out));
    return f;
  }

  @Override
  public String toString() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Loss l && l.name.equals(name) && l.delta == delta && l.fromLogits == fromLogits;
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }
}
