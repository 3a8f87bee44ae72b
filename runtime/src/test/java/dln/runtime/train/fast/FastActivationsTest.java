package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.bothDensePaths;
import static dln.runtime.train.fast.FastEngineTest.conv;
import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.oneHot;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.sequentialBoth;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.train.Adam;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Keras activations beyond the common five (elu, selu, gelu, swish, softplus, leaky_relu) on
 * the fast engine, held to the reference engine: inside the network and as the output under a
 * loss (the loss's gradient through the activation's), on Dense (all three Dense paths), Conv2D
 * and the Activation layer.
 */
class FastActivationsTest {
  private static final List<String> HOST_ACTIVATIONS = List.of("elu", "selu", "gelu", "swish", "softplus", "leaky_relu");

  @Test
  void everyActivationNameHasAFastForm() {
    for (String name : dln.runtime.nn.Activations.NAMES) assertNotNull(Act.of(name), name);
  }

  /** Each host activation's derivative is its value's central difference, and a few values are the textbook ones. */
  @Test
  void hostDerivativesAreTheValuesSlopes() {
    for (String name : HOST_ACTIVATIONS) {
      Act act = Act.of(name);
      for (double z = -3.1; z < 3; z += 0.37) {
        double h = 1e-6;
        assertEquals((act.at(z + h) - act.at(z - h)) / (2 * h), act.slopeAt(z), 1e-6, name + "'(" + z + ")");
      }
    }
    assertEquals(0.8413447460685429, Act.GELU.at(1.0), 1e-12);
    assertEquals(Math.log(2), Act.SOFTPLUS.at(0), 1e-12);
    assertEquals(-0.2, Act.LEAKY_RELU.at(-1), 1e-12);
    assertEquals(1.0507009873554805 * 1.6732632423543772 * (Math.exp(-1) - 1), Act.SELU.at(-1), 1e-12);
  }

  @Test
  void denseOutputActivationsUnderRegressionLosses() {
    for (String act : HOST_ACTIVATIONS) {
      for (String loss : List.of("mse", "huber", "log_cosh")) {
        bothDensePaths(() -> {
          Rng.seed(61);
          INDArray x = data(24, 5);
          INDArray y = data(24, 3);
          sequentialBoth(() -> List.of(Input.of(5), new Dense(7, act), new Dense(3, act)), () -> new Adam(0.02), loss, x, y, 4, 8);
        });
      }
    }
  }

  @Test
  void activationOutputsUnderCrossEntropies() {
    // The cross-entropies read these outputs as probabilities (clipped), not as logits.
    for (String act : List.of("softplus", "elu", "swish")) {
      Rng.seed(62);
      INDArray x = data(20, 4);
      INDArray y = oneHot(20, 3);
      sequentialBoth(() -> List.of(Input.of(4), new Dense(6, "gelu"), new Dense(3, act), new Activation("sigmoid")),
          () -> new Adam(0.01), "categorical_crossentropy", x, y, 4, 10);
      var q = pair(() -> new Sequential(List.of(Input.of(4), new Dense(6, "selu"), new Dense(3), new Activation(act))),
          () -> new Adam(0.01), "binary_crossentropy");
      trainBoth(q, x, oneHot(20, 3), 4, 10);
    }
  }

  @Test
  void convolutionActivations() {
    for (String act : HOST_ACTIVATIONS) {
      Rng.seed(63);
      INDArray x = data(8, 5, 5, 2);
      INDArray y = data(8, 2);
      sequentialBoth(() -> List.of(Input.of(5, 5, 2), conv(3, act), new Flatten(), new Dense(2, act)),
          () -> new Adam(0.01), "mse", x, y, 3, 4);
    }
  }
}
