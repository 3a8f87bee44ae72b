package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.conv;
import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.oneHot;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.sequentialBoth;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Regularizer;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.LSTM;
import org.nd4j.linalg.ops.transforms.Transforms;
import dln.runtime.train.Adam;
import dln.runtime.train.Loss;
import dln.runtime.train.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Losses on the output (MAE, Huber and every other Keras loss), L1/L2 regularisers (loss and
 * gradient) and softmax inside the network on the fast engine, held to the reference engine.
 */
class FastLossesTest {
  @Test
  void meanAbsoluteErrorAndHuberOnALinearOutput() {
    for (String loss : List.of("mae", "huber")) {
      Rng.seed(41);
      INDArray x = data(30, 4);
      INDArray y = data(30, 2).muli(2);
      sequentialBoth(() -> List.of(Input.of(4), new Dense(6, "tanh"), new Dense(2)), () -> new SGD(0.05, 0.9, false), loss, x, y, 5, 10);
    }
  }

  @Test
  void l1AndL2RegularisersAddToLossAndGradient() {
    Rng.seed(42);
    INDArray x = data(32, 5);
    INDArray y = oneHot(32, 3);
    sequentialBoth(() -> List.of(Input.of(5),
        new Dense(new Dense.Config(8, "relu", true, "glorot_uniform", "zeros", Regularizer.l2(0.01), Regularizer.l1(0.02)), null),
        new Dense(new Dense.Config(3, "softmax", true, "glorot_uniform", "zeros", new Regularizer(0.01, 0.03), null), null)),
        () -> new Adam(0.01), "categorical_crossentropy", x, y, 5, 16);
  }

  @Test
  void softmaxInsideTheNetworkAndOverChannels() {
    Rng.seed(43);
    INDArray x = data(12, 5, 5, 2);
    INDArray y = data(12, 2);
    sequentialBoth(() -> List.of(Input.of(5, 5, 2),
        conv(3, "linear"),
        new Activation("softmax"), new Flatten(), new Dense(6, "softmax"), new Dense(2)), () -> new Adam(0.01), "mse", x, y, 4, 6);
  }

  /** A loss, the output activation it is used with, and labels of its kind. */
  private record Case(String loss, String activation, INDArray labels) {}

  @Test
  void everyOtherKerasLossMatchesTheReference() {
    Rng.seed(44);
    int n = 30;
    INDArray signs = data(n, 3).gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    INDArray probabilities = Transforms.softmax(data(n, 3), true);
    INDArray counts = Transforms.floor(Transforms.abs(data(n, 3)).muli(2), true);
    INDArray positive = Transforms.abs(data(n, 3)).addi(0.5);
    INDArray targets = data(n, 3).muli(2);
    List<Case> cases = List.of(new Case("hinge", "tanh", signs), new Case("squared_hinge", "tanh", signs),
        new Case("categorical_hinge", "softmax", oneHot(n, 3)), new Case("categorical_hinge", "linear", oneHot(n, 3)),
        new Case("kld", "softmax", probabilities), new Case("poisson", "sigmoid", counts),
        new Case("log_cosh", "linear", targets), new Case("cosine_similarity", "linear", targets),
        new Case("msle", "sigmoid", positive), new Case("mape", "linear", positive));
    for (Case c : cases) {
      Rng.seed(45);
      INDArray x = data(n, 4);
      var p = pair(() -> new Sequential(List.of(Input.of(4), new Dense(6, "tanh"), new Dense(3, c.activation()))),
          () -> new Adam(0.02), c.loss());
      trainBoth(p, x, c.labels(), 5, 10);
    }
  }

  @Test
  void aPerSampleLossOverTheLastAxisOfASequenceOutput() {
    Rng.seed(46);
    INDArray x = data(16, 3, 6);
    INDArray y = data(16, 3, 5);
    for (String loss : List.of("cosine_similarity", "categorical_hinge", "categorical_crossentropy")) {
      sequentialBoth(() -> List.of(Input.of(3, 6), new LSTM(5, true)), () -> new Adam(0.02), loss, x, y, 4, 8);
    }
  }

  @Test
  void crossEntropiesOnOutputsWithoutTheirActivationReadTheProbabilities() {
    int n = 30;
    List<Case> cases = List.of(new Case("categorical_crossentropy", "sigmoid", null), new Case("categorical_crossentropy", "linear", null),
        new Case("sparse_categorical_crossentropy", "relu", null), new Case("binary_crossentropy", "softmax", null),
        new Case("binary_crossentropy", "linear", null));
    for (Case c : cases) {
      Rng.seed(47);
      INDArray x = data(n, 4);
      INDArray y = c.loss().startsWith("sparse") ? FastEngineTest.classes(n, 3)
          : c.loss().startsWith("binary") ? data(n, 3).gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT) : oneHot(n, 3);
      sequentialBoth(() -> List.of(Input.of(4), new Dense(6, "tanh"), new Dense(3, c.activation())),
          () -> new Adam(0.02), c.loss(), x, y, 5, 10);
    }
  }

  @Test
  void crossEntropiesFromLogitsReadTheOutputAsLogits() {
    int n = 30;
    for (String act : List.of("linear", "softmax", "tanh")) {
      for (String loss : List.of("categorical_crossentropy", "binary_crossentropy")) {
        Rng.seed(48);
        INDArray x = data(n, 4);
        INDArray y = loss.startsWith("binary") ? data(n, 3).gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT) : oneHot(n, 3);
        sequentialBoth(() -> List.of(Input.of(4), new Dense(6, "relu"), new Dense(3, act)),
            () -> new Adam(0.02), Loss.byName(loss).withFromLogits(true), x, y, 5, 10);
      }
    }
  }
}
