package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.oneHot;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Regularizer;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.train.Adam;
import dln.runtime.train.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Losses on the output (MAE, Huber), L1/L2 regularisers (loss and gradient) and softmax inside the
 * network on the fast engine, held to the reference engine.
 */
class FastLossesTest {
  @Test
  void meanAbsoluteErrorAndHuberOnALinearOutput() {
    for (String loss : List.of("mae", "huber")) {
      Rng.seed(41);
      INDArray x = data(30, 4);
      INDArray y = data(30, 2).muli(2);
      var p = pair(() -> new Sequential(List.of(Input.of(4), new Dense(6, "tanh"), new Dense(2))), () -> new SGD(0.05, 0.9, false), loss);
      trainBoth(p, x, y, 5, 10);
    }
  }

  @Test
  void l1AndL2RegularisersAddToLossAndGradient() {
    Rng.seed(42);
    INDArray x = data(32, 5);
    INDArray y = oneHot(32, 3);
    var p = pair(() -> new Sequential(List.of(Input.of(5),
        new Dense(new Dense.Config(8, "relu", true, "glorot_uniform", "zeros", Regularizer.l2(0.01), Regularizer.l1(0.02)), null),
        new Dense(new Dense.Config(3, "softmax", true, "glorot_uniform", "zeros", new Regularizer(0.01, 0.03), null), null))),
        () -> new Adam(0.01), "categorical_crossentropy");
    trainBoth(p, x, y, 5, 16);
  }

  @Test
  void softmaxInsideTheNetworkAndOverChannels() {
    Rng.seed(43);
    INDArray x = data(12, 5, 5, 2);
    INDArray y = data(12, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(5, 5, 2),
        new Conv2D(new Conv2D.Config(3, new int[] {3, 3}, null, "same", "linear", true, "glorot_uniform", "zeros", null), null),
        new Activation("softmax"), new Flatten(), new Dense(6, "softmax"), new Dense(2))), () -> new Adam(0.01), "mse");
    trainBoth(p, x, y, 4, 6);
  }
}
