package dln.runtime.nn;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** The activation functions, by Keras name, as SameDiff operations. */
public final class Activations {
  /** Every accepted name (Keras's). */
  public static final List<String> NAMES = List.of(
      "linear", "sigmoid", "tanh", "relu", "elu", "softmax", "leaky_relu", "selu", "gelu", "swish",
      "softplus");

  /** Slope of leaky_relu for negative inputs (tf.nn.leaky_relu's default, used by Keras's string). */
  public static final double LEAKY_RELU_ALPHA = 0.2;

  private Activations() {}

  /** Canonical name, or a helpful error; null and "none" mean linear. */
  public static String check(String name) {
    if (name == null) return "linear";
    String n = name.toLowerCase(java.util.Locale.ROOT);
    if (n.equals("none") || n.equals("identity")) return "linear";
    if (n.equals("silu")) return "swish";
    if (n.equals("leakyrelu")) return "leaky_relu";
    if (!NAMES.contains(n)) {
      throw DlnRuntimeException.value("unknown activation '" + name + "'", Names.hint(name, NAMES));
    }
    return n;
  }

  /**
   * Applies the activation in a graph. Softmax and sigmoid record their input as logits so the
   * loss can use the numerically stable fused form (softmax + cross-entropy from logits).
   */
  public static SDVariable apply(GraphContext ctx, String name, SDVariable x) {
    SameDiff sd = ctx.sd();
    return switch (check(name)) {
      case "linear" -> x;
      case "sigmoid" -> ctx.recordLogits(sd.nn.sigmoid(x), x, GraphContext.LogitKind.SIGMOID);
      case "tanh" -> sd.math.tanh(x);
      case "relu" -> sd.nn.relu(x, 0);
      case "elu" -> sd.nn.elu(x);
      case "softmax" -> ctx.recordLogits(sd.nn.softmax(x, -1), x, GraphContext.LogitKind.SOFTMAX);
      case "leaky_relu" -> sd.nn.leakyRelu(x, LEAKY_RELU_ALPHA);
      case "selu" -> sd.nn.selu(x);
      // Exact GELU (Keras's default approximate=False): x * Φ(x) = 0.5 x (1 + erf(x / √2)).
      case "gelu" -> x.mul(0.5).mul(sd.math.erf(x.mul(1.0 / Math.sqrt(2.0))).add(1.0));
      // x * sigmoid(x), written out so its gradient is SameDiff's well-tested sigmoid/mul.
      case "swish" -> x.mul(sd.nn.sigmoid(x));
      case "softplus" -> sd.nn.softplus(x);
      default -> throw new IllegalStateException(name);
    };
  }
}
