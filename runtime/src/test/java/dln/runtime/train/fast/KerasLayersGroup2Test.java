package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.oneHot;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.AveragePooling1D;
import dln.runtime.nn.layers.Conv1D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GlobalAveragePooling1D;
import dln.runtime.nn.layers.GlobalMaxPooling1D;
import dln.runtime.nn.layers.MaxPooling1D;
import dln.runtime.nn.layers.Pooling1D;
import dln.runtime.train.Adam;
import dln.runtime.train.FitOptions;
import dln.runtime.train.SGD;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fast Conv1D, 1-D pooling and 1-D global pooling steps held to the SameDiff reference. */
class KerasLayersGroup2Test {
  private static Conv1D conv1d(int filters, int k, int stride, String padding, String activation, boolean bias) {
    return new Conv1D(new Conv1D.Config(filters, new int[] {k}, new int[] {stride}, padding, activation, bias, "glorot_uniform", "zeros",
        null), null);
  }

  @Test
  void conv1dEveryPaddingMatchesReference() {
    int seed = 60;
    for (String padding : List.of("valid", "same", "causal")) {
      for (int stride : new int[] {1, 2}) {
        Rng.seed(seed++);
        INDArray x = data(12, 9, 3);
        INDArray y = oneHot(12, 3);
        var p = pair(() -> new Sequential(List.of(Input.of(9, 3), conv1d(4, 3, stride, padding, "relu", true),
            conv1d(2, 2, 1, padding, "tanh", false), new Flatten(), new Dense(3, "softmax"))), () -> new Adam(0.01),
            "categorical_crossentropy");
        trainBoth(p, x, y, 4, 6);
      }
    }
  }

  @Test
  void pooling1dMatchesReference() {
    Rng.seed(66);
    INDArray x = data(10, 11, 2);
    INDArray y = data(10, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(11, 2), conv1d(3, 3, 1, "same", "relu", true),
        new MaxPooling1D(new Pooling1D.Config(new int[] {3}, new int[] {2}, "same"), null),
        new AveragePooling1D(new Pooling1D.Config(new int[] {2}, new int[] {1}, "same"), null), new AveragePooling1D(2),
        new MaxPooling1D(2), new Flatten(), new Dense(2))), () -> new Adam(0.01), "mse");
    trainBoth(p, x, y, 4, 5);
  }

  @Test
  void globalPooling1dMatchesReference() {
    for (boolean max : new boolean[] {false, true}) {
      Rng.seed(max ? 67 : 68);
      INDArray x = data(16, 7, 3);
      INDArray y = oneHot(16, 2);
      var p = pair(() -> new Sequential(List.of(Input.of(7, 3), conv1d(5, 3, 1, "valid", "tanh", true),
          max ? new GlobalMaxPooling1D() : new GlobalAveragePooling1D(), new Dense(2, "softmax"))), () -> new SGD(0.1, 0.9, false),
          "categorical_crossentropy");
      trainBoth(p, x, y, 4, 8);
    }
  }

  /** A text-CNN shape through fit on the fast engine: the loss goes down on a learnable task. */
  @Test
  void fitTrainsAConv1dModelOnTheFastEngine() {
    Rng.seed(69);
    INDArray x = data(96, 12, 2);
    INDArray y = FastEngineTest.classes(96, 2);
    // Class 1: a bump in channel 0 somewhere in the sequence.
    for (int i = 0; i < 96; i++) if (y.getDouble(i) == 1) x.putScalar(new long[] {i, Rng.current().nextInt(10), 0}, 4.0);
    Model m = new Sequential(List.of(Input.of(12, 2), conv1d(8, 3, 1, "causal", "relu", true), new MaxPooling1D(2),
        new GlobalMaxPooling1D(), new Dense(2, "softmax")));
    TrainingSession.of(m).compile(new Adam(0.01), dln.runtime.train.Loss.byName("sparse_categorical_crossentropy"), List.of());
    assertInstanceOf(FastEngine.class, TrainingSession.of(m).engine());
    List<Double> loss = TrainingSession.of(m).fit(x, y, new FitOptions().epochs(10).batchSize(16).seed(4).progress(null)).history().get("loss");
    assertTrue(loss.get(loss.size() - 1) < 0.6 * loss.get(0), "loss " + loss);
  }
}
