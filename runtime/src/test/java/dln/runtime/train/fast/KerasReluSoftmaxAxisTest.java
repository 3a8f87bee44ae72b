package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.assertClose;
import static dln.runtime.train.fast.FastEngineTest.conv;
import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.LeakyReLU;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.nn.layers.Softmax;
import dln.runtime.train.Adam;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keras's ReLU settings (max_value, negative_slope, threshold) and Softmax over a middle axis on
 * the fast engine ({@link KerasReluStep}, {@link SoftmaxAxisStep}), held to the reference engine:
 * losses, outputs and weights after several Adam steps, inside the network and as the output
 * under a loss. The inputs are random normals, so no value sits exactly on a kink.
 */
class KerasReluSoftmaxAxisTest {
  /** (max_value, negative_slope, threshold): each setting alone, together, and a threshold above the cap. */
  private static final List<ReLU.Config> RELUS = List.of(new ReLU.Config(6.0, 0, 0), new ReLU.Config(0.8, 0, 0),
      new ReLU.Config(null, 0.1, 0), new ReLU.Config(null, 0, 0.4), new ReLU.Config(1.0, 0.2, 0.3),
      new ReLU.Config(0.5, 0.3, 0.8), new ReLU.Config(null, 0.25, 0.5));

  /** Trains both copies and requires the fast engine to take the model (no fallback). */
  private static void held(Supplier<Model> build, String loss, INDArray x, INDArray y, int steps, int batch) {
    var p = pair(build, () -> new Adam(0.02), loss);
    assertNull(FastEngine.unsupportedReason(p.fast(), TrainingSession.of(p.fast()).compileConfig()));
    trainBoth(p, x, y, steps, batch);
  }

  /** The reference's ReLU is Keras's: its prediction on a spread of values is the formula's. */
  @Test
  void referenceReluIsKerasFormula() {
    // -2.05 … 2.05 in steps of 0.1: both sides of every kink, none on one.
    float[] values = new float[42];
    for (int k = 0; k < values.length; k++) values[k] = -2.05f + 0.1f * k;
    INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(values).reshape(2, 21);
    for (ReLU.Config c : RELUS) {
      var p = pair(() -> new Sequential(List.of(Input.of(21), new ReLU(c, null))), () -> new Adam(0.01), "mse");
      INDArray ref = p.refEngine().predict(List.of(x)).get(0);
      INDArray fast = p.fastEngine().predict(List.of(x)).get(0);
      double cap = c.maxValue() == null ? Double.POSITIVE_INFINITY : c.maxValue();
      for (int k = 0; k < 42; k++) {
        double v = x.getDouble(k);
        double want = v >= c.threshold() ? Math.min(v, cap) : c.negativeSlope() * (v - c.threshold());
        assertEquals(want, ref.getDouble(k), 1e-6, c + " reference at " + v);
        assertEquals(want, fast.getDouble(k), 1e-6, c + " fast at " + v);
      }
    }
  }

  /** Both engines' Softmax over each middle axis of a rank-4 tensor is exp(x) / Σ exp(x) over that axis. */
  @Test
  void softmaxOverEachMiddleAxisIsTheFormula() {
    Rng.seed(75);
    INDArray x = data(2, 3, 4, 2);
    INDArray e = org.nd4j.linalg.ops.transforms.Transforms.exp(x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
    for (int axis = 1; axis <= 2; axis++) {
      int a = axis;
      var p = pair(() -> new Sequential(List.of(Input.of(3, 4, 2), new Softmax(new Softmax.Config(a), null))), () -> new Adam(0.01), "mse");
      INDArray want = e.div(e.sum(true, axis)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
      assertClose(want, p.refEngine().predict(List.of(x)).get(0), "reference softmax over axis " + axis);
      assertClose(want, p.fastEngine().predict(List.of(x)).get(0), "fast softmax over axis " + axis);
    }
  }

  @Test
  void reluSettingsInsideTheNetwork() {
    for (ReLU.Config c : RELUS) {
      Rng.seed(71);
      INDArray x = data(24, 5);
      INDArray y = data(24, 3);
      held(() -> new Sequential(List.of(Input.of(5), new Dense(8), new ReLU(c, null), new Dense(3))), "mse", x, y, 5, 8);
    }
  }

  /** Keras's LeakyReLU layer (default slope 0.3) inside a network, after a convolution and as the output. */
  @Test
  void leakyReluLayerIsHeldToTheReference() {
    for (double slope : new double[] {0.3, 0.2, 0}) {
      Rng.seed(74);
      INDArray x = data(8, 5, 5, 2);
      INDArray y = data(8, 2);
      LeakyReLU.Config c = new LeakyReLU.Config(slope);
      held(() -> new Sequential(List.of(Input.of(5, 5, 2), conv(3, "linear"), new LeakyReLU(c, null), new Flatten(), new Dense(4),
          new LeakyReLU(c, null), new Dense(2), new LeakyReLU(c, null))), "mse", x, y, 4, 4);
    }
    float[] values = {-2f, -0.5f, 0.25f, 1.5f};
    var p = pair(() -> new Sequential(List.of(Input.of(4), new LeakyReLU(new LeakyReLU.Config(0.3), null))), () -> new Adam(0.01), "mse");
    INDArray got = p.fastEngine().predict(List.of(org.nd4j.linalg.factory.Nd4j.createFromArray(values).reshape(1, 4))).get(0);
    for (int k = 0; k < 4; k++) assertEquals(values[k] >= 0 ? values[k] : 0.3 * values[k], got.getDouble(k), 1e-6);
  }

  @Test
  void reluSettingsAsTheOutputAndAfterAConvolution() {
    for (ReLU.Config c : RELUS) {
      Rng.seed(72);
      INDArray x = data(8, 5, 5, 2);
      INDArray y = data(8, 2);
      held(() -> new Sequential(List.of(Input.of(5, 5, 2), conv(3, "linear"), new ReLU(c, null), new Flatten(), new Dense(2),
          new ReLU(c, null))), "mse", x, y, 4, 4);
    }
  }

  /**
   * Inside the network, rank 3 (axes 1 and -2, after a Dense on the sequence) and rank 4 (axes 1, 2
   * and -3, after a Conv2D). The layer before has a tanh: a bias alone would be constant along the
   * softmax's axis, where its true gradient is zero and both engines' would be float noise.
   */
  @Test
  void softmaxOverAMiddleAxisInsideTheNetwork() {
    record Case(long[] shape, int axis) {}
    for (Case k : List.of(new Case(new long[] {4, 3}, 1), new Case(new long[] {4, 3}, -2), new Case(new long[] {3, 4, 2}, 1),
        new Case(new long[] {3, 4, 2}, 2), new Case(new long[] {3, 4, 2}, -3))) {
      Rng.seed(73);
      long[] xs = new long[k.shape().length + 1];
      xs[0] = 16;
      System.arraycopy(k.shape(), 0, xs, 1, k.shape().length);
      INDArray x = data(xs);
      INDArray y = data(16, 2);
      held(() -> {
        SymbolicTensor in = Input.of(k.shape());
        SymbolicTensor z = k.shape().length == 2 ? new Dense(5, "tanh").apply(in) : conv(5, "tanh").apply(in);
        SymbolicTensor h = new Softmax(new Softmax.Config(k.axis()), null).apply(z);
        return new Model(List.of(in), List.of(new Dense(2).apply(new Flatten().apply(h))));
      }, "mse", x, y, 4, 8);
    }
  }

  @Test
  void softmaxOverAMiddleAxisAsTheOutput() {
    // Probabilities over the 4 steps of each feature, read by the cross-entropy as probabilities.
    Rng.seed(74);
    INDArray x = data(16, 4, 3);
    INDArray y = FastEngineTest.oneHot(16 * 3, 4).reshape(16, 3, 4).permute(0, 2, 1).dup('c');
    for (String loss : List.of("mse", "categorical_crossentropy")) {
      held(() -> {
        SymbolicTensor in = Input.of(4, 3);
        return new Model(List.of(in), List.of(new Softmax(new Softmax.Config(1), null).apply(new Dense(3, "tanh").apply(in))));
      }, loss, x, y, 4, 8);
    }
  }

  @Test
  void theStepsAreTheNewOnes() throws FastPlan.Unsupported {
    long[] in = {-1, 4, 3};
    assertInstanceOf(KerasReluStep.class, FastLayers.stepFor(new ReLU(new ReLU.Config(6.0, 0, 0), null), Act.RELU, false, in, in));
    assertInstanceOf(ActivationStep.class, FastLayers.stepFor(new ReLU(), Act.RELU, false, in, in));
    assertInstanceOf(SoftmaxAxisStep.class, FastLayers.stepFor(new Softmax(new Softmax.Config(1), null), Act.SOFTMAX, false, in, in));
    assertInstanceOf(ActivationStep.class, FastLayers.stepFor(new Softmax(new Softmax.Config(-1), null), Act.SOFTMAX, false, in, in));
  }
}
