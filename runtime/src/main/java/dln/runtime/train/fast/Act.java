package dln.runtime.train.fast;

import org.apache.commons.math3.special.Erf;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.SigmoidDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.gradient.TanhDerivative;
import org.nd4j.linalg.api.ops.impl.transforms.same.Sign;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The activations the fast engine runs: the common five as one native op forward and one op
 * backward; the other Keras activations (elu, selu, gelu, swish, softplus, leaky_relu) as
 * element-wise host loops of their formula and derivative (the reference graph's: {@code
 * Activations.apply}), which read the pre-activation, so a layer using one keeps it.
 */
enum Act {
  LINEAR, RELU, TANH, SIGMOID, SOFTMAX, ELU, SELU, GELU, SWISH, SOFTPLUS, LEAKY_RELU;

  /** SELU's constants (Klambauer et al., as Keras and libnd4j). */
  private static final double SELU_ALPHA = 1.6732632423543772848170429916717;
  private static final double SELU_SCALE = 1.0507009873554804934193349852946;

  /** The activation for a Keras name, or null when the fast engine does not support it. */
  static Act of(String name) {
    return switch (name) {
      case "linear" -> LINEAR;
      case "relu" -> RELU;
      case "tanh" -> TANH;
      case "sigmoid" -> SIGMOID;
      case "softmax" -> SOFTMAX;
      case "elu" -> ELU;
      case "selu" -> SELU;
      case "gelu" -> GELU;
      case "swish" -> SWISH;
      case "softplus" -> SOFTPLUS;
      case "leaky_relu" -> LEAKY_RELU;
      default -> null;
    };
  }

  /** True when the backward pass needs the input kept apart from the output. */
  boolean needsInput() {
    return this == TANH || this == SIGMOID || onHost();
  }

  /** True for the activations computed by {@link #at} / {@link #slopeAt} host loops (no native op of their own). */
  boolean onHost() {
    return ordinal() >= ELU.ordinal();
  }

  /** The activation of one value (the element-wise ones: every activation but softmax). */
  double at(double z) {
    return switch (this) {
      case LINEAR -> z;
      case RELU -> Math.max(z, 0);
      case TANH -> Math.tanh(z);
      case SIGMOID -> 1 / (1 + Math.exp(-z));
      case ELU -> z > 0 ? z : Math.expm1(z);
      case SELU -> SELU_SCALE * (z > 0 ? z : SELU_ALPHA * Math.expm1(z));
      // Exact GELU, x·Φ(x), as Keras's default (approximate=False).
      case GELU -> 0.5 * z * (1 + Erf.erf(z / Math.sqrt(2)));
      case SWISH -> z / (1 + Math.exp(-z));
      case SOFTPLUS -> Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
      case LEAKY_RELU -> z > 0 ? z : dln.runtime.nn.Activations.LEAKY_RELU_ALPHA * z;
      case SOFTMAX -> throw new IllegalStateException("softmax is not element-wise");
    };
  }

  /** The derivative at one pre-activation value (every activation but softmax). */
  double slopeAt(double z) {
    return switch (this) {
      case LINEAR -> 1;
      case RELU -> z > 0 ? 1 : 0;
      case TANH -> 1 - Math.tanh(z) * Math.tanh(z);
      case SIGMOID, SOFTPLUS -> 1 / (1 + Math.exp(-z));
      case ELU -> z > 0 ? 1 : Math.exp(z);
      case SELU -> SELU_SCALE * (z > 0 ? 1 : SELU_ALPHA * Math.exp(z));
      // Φ(x) + x·φ(x).
      case GELU -> 0.5 * (1 + Erf.erf(z / Math.sqrt(2))) + z * Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
      case SWISH -> {
        double s = 1 / (1 + Math.exp(-z));
        yield s + z * s * (1 - s);
      }
      case LEAKY_RELU -> z > 0 ? 1 : dln.runtime.nn.Activations.LEAKY_RELU_ALPHA;
      case SOFTMAX -> throw new IllegalStateException("softmax is not element-wise");
    };
  }

  /** {@code out[k] = at(z[k])} for the first n values ({@code out} may be {@code z}). */
  void apply(float[] z, float[] out, int n) {
    for (int k = 0; k < n; k++) out[k] = (float) at(z[k]);
  }

  /** {@code grad[k] *= slopeAt(z[k])} for the first n values. */
  void timesSlope(float[] z, float[] grad, int n) {
    for (int k = 0; k < n; k++) grad[k] = (float) (grad[k] * slopeAt(z[k]));
  }

  /** Writes act(z) into out ({@code out == z} allowed for relu and linear). */
  void forward(INDArray z, INDArray out) {
    switch (this) {
      case LINEAR -> {
        if (out != z) out.assign(z);
      }
      case RELU -> Nd4j.exec(new RectifiedLinear(z, out, 0.0));
      case TANH -> Nd4j.exec(new Tanh(z, out));
      case SIGMOID -> Nd4j.exec(new Sigmoid(z, out));
      case SOFTMAX -> Nd4j.exec(new SoftMax(z, out, -1));
      default -> {
        float[] v = Host.read(z);
        apply(v, v, v.length);
        writeBack(out, v);
      }
    }
  }

  /** Stores host values into an engine buffer (a bulk copy), or assigns them where the array is a view. */
  private static void writeBack(INDArray a, float[] v) {
    if (Host.isPlain(a)) Host.write(a, v);
    else a.assign(Nd4j.createFromArray(v).reshape('c', a.shape()));
  }

  /** True when the backward pass needs a scratch buffer shaped like the output. */
  boolean needsScratch() {
    return this == RELU;
  }

  /**
   * Turns the gradient of the output into the gradient of the input, in place in {@code grad}.
   * Relu reads its output (positive exactly where the input was); tanh and sigmoid read the input.
   */
  void backward(INDArray z, INDArray out, INDArray grad, INDArray scratch) {
    switch (this) {
      case LINEAR -> { }
      // grad · sign(out), out ≥ 0: two plain element-wise ops. libnd4j's relu_bp op runs ~40× slower
      // (≈ 200 ms for a 128×24×24×64 activation, 6 ms this way).
      case RELU -> {
        Nd4j.exec(new Sign(out, scratch));
        grad.muli(scratch);
      }
      case TANH -> Nd4j.exec(new TanhDerivative(z, grad, grad));
      case SIGMOID -> Nd4j.exec(new SigmoidDerivative(z, grad, grad));
      // dz = s·(g − Σ g·s) over the last axis (a fused loss head bypasses this).
      case SOFTMAX -> {
        long units = out.size(out.rank() - 1);
        INDArray s = out.reshape('c', out.length() / units, units);
        INDArray g = grad.reshape('c', grad.length() / units, units);
        g.subiColumnVector(g.mul(s).sum(true, 1)).muli(s);
      }
      default -> {
        float[] g = Host.read(grad);
        timesSlope(Host.read(z), g, g.length);
        writeBack(grad, g);
      }
    }
  }
}
