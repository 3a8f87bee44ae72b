package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertNull;

import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Regularizer;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.Concatenate;
import dln.runtime.nn.layers.Dense;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Graph-level features on the fast engine (issue 15, point 2): every model the language builds
 * from them compiles there, so {@code unsupportedReason} is empty; the per-layer enumeration lives
 * with the layer tests. The last test lists the graphs that ran on the reference until the loss
 * heads learned to read probabilities and logits (FastLossesTest and FastOutputsTest hold their
 * results to the reference).
 */
class GraphFeaturesCoverageTest {
  private static CompileConfig config(String loss) {
    return new CompileConfig(new Adam(0.01), List.of(Loss.byName(loss)), List.of("accuracy"));
  }

  private static void assertFast(Model m, CompileConfig c) {
    assertNull(FastEngine.unsupportedReason(m, c), () -> m.describe());
  }

  /** The output layer each loss expects in Keras's usual use. */
  private static String outputActivation(String loss) {
    return switch (loss) {
      case "categorical_crossentropy", "sparse_categorical_crossentropy", "kl_divergence", "categorical_hinge" -> "softmax";
      case "binary_crossentropy" -> "sigmoid";
      case "poisson", "mean_squared_logarithmic_error" -> "relu";
      default -> "linear";
    };
  }

  @Test
  void everyLossOnItsUsualOutput() {
    for (String loss : Loss.NAMES) {
      String act = outputActivation(loss);
      int units = loss.equals("binary_crossentropy") ? 1 : 3;
      Model m = new Sequential(List.of(Input.of(5), new Dense(8, "relu"), new Dense(units, act)));
      assertNull(FastEngine.unsupportedReason(m, config(loss)), loss + " on a " + act + " output");
    }
  }

  @Test
  void sharedLayersMultipleInputsAndOutputs() {
    SymbolicTensor a = Input.of(4);
    SymbolicTensor b = Input.of(4);
    Dense shared = new Dense(6, "tanh");
    SymbolicTensor joined = new Concatenate(new Concatenate.Config(-1), null).apply(List.of(shared.apply(a), shared.apply(b))).get(0);
    SymbolicTensor sum = new Add().apply(List.of(shared.apply(a), shared.apply(b))).get(0);
    Model m = new Model(List.of(a, b), List.of(new Dense(3, "softmax").apply(joined), new Dense(1, "linear").apply(sum)));
    assertFast(m, new CompileConfig(new Adam(0.01), List.of(Loss.byName("categorical_crossentropy"), Loss.byName("mse")),
        List.of()));
  }

  @Test
  void nestedFrozenAndRegularisedModels() {
    Model inner = new Sequential(List.of(Input.of(4),
        new Dense(new Dense.Config(6, "relu", true, "glorot_uniform", "zeros", Regularizer.l2(0.01), Regularizer.l1(0.01)), null)));
    inner.setTrainable(false);
    SymbolicTensor in = Input.of(4);
    SymbolicTensor twice = inner.apply(new Dense(4, "relu").apply(inner.apply(in)));
    Model outer = new Model(in, new Dense(2, "softmax").apply(twice));
    assertFast(outer, config("categorical_crossentropy"));
    Model deeper = new Sequential(List.of(Input.of(4), outer, new Dense(1, "sigmoid")));
    assertFast(deeper, config("binary_crossentropy"));
  }

  @Test
  void graphsOnceLeftToTheReference() {
    SymbolicTensor in = Input.of(4);
    SymbolicTensor h = new Dense(3, "softmax").apply(in);
    assertFast(new Model(List.of(in), List.of(h, h)), config("mse"));
    assertFast(new Model(List.of(in), List.of(h, h)), config("categorical_crossentropy"));
    for (String act : List.of("linear", "relu", "sigmoid")) {
      assertFast(new Sequential(List.of(Input.of(4), new Dense(3, act))), config("categorical_crossentropy"));
    }
    assertFast(new Sequential(List.of(Input.of(4), new Dense(3, "softmax"))), config("binary_crossentropy"));
    CompileConfig logits = new CompileConfig(new Adam(0.01), List.of(Loss.byName("categorical_crossentropy").withFromLogits(true)), List.of());
    assertFast(new Sequential(List.of(Input.of(4), new Dense(3, "linear"))), logits);
    assertFast(new Sequential(List.of(Input.of(5, 4), new Dense(3, "softmax"))), config("categorical_crossentropy"));
    SymbolicTensor x = Input.of(4);
    SymbolicTensor probs = new Dense(3, "softmax").apply(x);
    assertFast(new Model(List.of(x), List.of(probs, new Dense(1, "linear").apply(probs))),
        new CompileConfig(new Adam(0.01), List.of(Loss.byName("categorical_crossentropy"), Loss.byName("mse")), List.of()));
  }
}
