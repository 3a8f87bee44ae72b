package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.conv;
import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.oneHot;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.AveragePooling2D;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.GlobalMaxPooling2D;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.Pooling2D;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.nn.layers.Reshape;
import dln.runtime.nn.layers.ZeroPadding2D;
import dln.runtime.train.Adam;
import dln.runtime.train.session.TrainingSession;
import dln.runtime.train.SGD;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast steps for BatchNormalization, average / global pooling, ZeroPadding2D and Reshape,
 * held to the reference engine: same weights, several training steps (losses, outputs, weights and
 * BatchNormalization's moving statistics), then evaluate and predict with the moving statistics.
 */
class FastLayerStepsTest {
  private static BatchNormalization bn(double momentum, boolean center, boolean scale) {
    return new BatchNormalization(new BatchNormalization.Config(momentum, 0.001, center, scale), null);
  }

  /**
   * (A bias right before a BatchNormalization in training has a zero gradient in exact arithmetic;
   * Adam would turn both engines' rounding noise there into full-size steps of random sign, so
   * these tests use SGD there, or layers without a bias, as one builds them in practice.)
   */
  @Test
  void batchNormalizationOnDenseFeaturesWithAndWithoutGammaBeta() {
    for (boolean[] cs : new boolean[][] {{true, true}, {false, true}, {true, false}, {false, false}}) {
      Rng.seed(31);
      INDArray x = data(40, 5).muli(3).addi(1);
      INDArray y = oneHot(40, 3);
      var p = pair(() -> new Sequential(List.of(Input.of(5), new Dense(8), bn(0.9, cs[0], cs[1]), new ReLU(),
          new Dense(3, "softmax"))), () -> new SGD(0.1, 0.9, false), "categorical_crossentropy");
      trainBoth(p, x, y, 5, 16);
    }
  }

  /** Enough rows (batch × height × width) for the host passes to run in parallel blocks. */
  @Test
  void batchNormalizationOverManyRowsRunsInBlocks() {
    Rng.seed(36);
    INDArray x = data(80, 8, 8, 2);
    INDArray y = data(80, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(8, 8, 2), conv(3, "linear", false), bn(0.9, true, true), new ReLU(),
        new GlobalAveragePooling2D(), new Dense(2))), () -> new Adam(0.01), "mse");
    trainBoth(p, x, y, 3, 80);
  }

  /** The residual BN CNN, in miniature. */
  @Test
  void residualBatchNormCnnMatchesReference() {
    Rng.seed(32);
    INDArray x = data(12, 8, 8, 1);
    INDArray y = oneHot(12, 3);
    var p = pair(() -> {
      SymbolicTensor in = Input.of(8, 8, 1);
      SymbolicTensor a = new ReLU().apply(bn(0.9, true, true).apply(conv(4, "linear", false).apply(in)));
      SymbolicTensor b = new ReLU().apply(bn(0.9, true, true).apply(conv(4, "linear", false).apply(a)));
      SymbolicTensor r = new Add().apply(List.of(a, b)).get(0);
      SymbolicTensor out = new Dense(3, "softmax").apply(new Flatten().apply(new MaxPooling2D(2).apply(r)));
      return new Model(in, out);
    }, () -> new Adam(0.01), "categorical_crossentropy");
    trainBoth(p, x, y, 4, 6);
  }

  /**
   * bench/dln/resnet.dln's stage in miniature: conv → BN → relu (the relu runs in the BN's passes),
   * conv → BN → Add with a strided 1×1 projection → relu, and a BN whose output two layers read
   * (its relu stays a step of its own). Training, evaluation and prediction match the reference.
   */
  @Test
  void reluAfterBatchNormalizationRunsInItsPassesAndMatchesReference() throws FastPlan.Unsupported {
    Rng.seed(37);
    INDArray x = data(16, 8, 8, 3).muli(2).addi(0.5);
    INDArray y = oneHot(16, 3);
    java.util.function.Supplier<Model> build = () -> {
      SymbolicTensor in = Input.of(8, 8, 3);
      SymbolicTensor stem = bn(0.9, true, true).apply(conv(4, "linear", false).apply(in));
      SymbolicTensor a = new Activation("relu").apply(stem);
      SymbolicTensor h = new ReLU().apply(bn(0.9, true, true).apply(
          conv(8, new int[] {3, 3}, new int[] {2, 2}, "same", "linear", false).apply(a)));
      h = bn(0.9, true, true).apply(conv(8, "linear", false).apply(h));
      SymbolicTensor shortcut = conv(8, new int[] {1, 1}, new int[] {2, 2}, "valid", "linear", false).apply(a);
      SymbolicTensor r = new Activation("relu").apply(new Add().apply(List.of(h, shortcut)).get(0));
      SymbolicTensor side = new GlobalAveragePooling2D().apply(stem); // a second reader of the stem's BN
      SymbolicTensor joined = new dln.runtime.nn.layers.Concatenate().apply(List.of(new GlobalAveragePooling2D().apply(r), side)).get(0);
      return new Model(in, new Dense(3, "softmax").apply(joined));
    };
    var p = pair(build, () -> new Adam(0.01), "categorical_crossentropy");
    FastPlan plan = FastPlan.compile(p.fast(), TrainingSession.of(p.fast()).compileConfig());
    int absorbed = 0;
    for (FastPlan.Op op : plan.ops) {
      if (op.step() instanceof ActivationStep act && act.passesThrough()) absorbed++;
    }
    assertEquals(2, absorbed, "the relus after the strided conv's BN and after the Add run in those steps; the stem's BN has two readers");
    trainBoth(p, x, y, 5, 8);
  }

  /**
   * The residual join with an identity shortcut (Add → relu in the Add's passes) on enough values
   * for several host tiles in parallel and a partial last one (41×16×16×8 = 5.125 tiles of 16,384).
   */
  @Test
  void reluAfterAddRunsInItsPassesOverManyTilesAndMatchesReference() throws FastPlan.Unsupported {
    Rng.seed(38);
    INDArray x = data(41, 16, 16, 3);
    INDArray y = oneHot(41, 3);
    java.util.function.Supplier<Model> build = () -> {
      SymbolicTensor in = Input.of(16, 16, 3);
      SymbolicTensor a = new ReLU().apply(bn(0.9, true, true).apply(conv(8, "linear", false).apply(in)));
      SymbolicTensor h = bn(0.9, true, true).apply(conv(8, "linear", false).apply(a));
      SymbolicTensor r = new ReLU().apply(new Add().apply(List.of(h, a)).get(0));
      return new Model(in, new Dense(3, "softmax").apply(new GlobalAveragePooling2D().apply(r)));
    };
    var p = pair(build, () -> new SGD(0.1, 0.9, false), "categorical_crossentropy");
    FastPlan plan = FastPlan.compile(p.fast(), TrainingSession.of(p.fast()).compileConfig());
    long absorbedByAdd = 0;
    for (int i = 1; i < plan.ops.size(); i++) {
      FastPlan.Op op = plan.ops.get(i);
      if (op.step() instanceof ActivationStep act && act.passesThrough() && plan.ops.get(i - 1).merge() instanceof AddStep) absorbedByAdd++;
    }
    assertEquals(1, absorbedByAdd, "the relu after the Add runs in the Add step");
    trainBoth(p, x, y, 4, 41);
  }

  /** A frozen BatchNormalization runs in inference mode: moving statistics, which stay unchanged. */
  @Test
  void frozenBatchNormalizationUsesAndKeepsTheMovingStatistics() {
    Rng.seed(33);
    INDArray x = data(24, 6);
    INDArray y = data(24, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(6), new Dense(6), bn(0.99, true, true), new Dense(2))),
        () -> new SGD(0.05, 0.9, false), "mse");
    for (Model m : List.of(p.reference(), p.fast())) {
      BatchNormalization layer = (BatchNormalization) m.layers().get(1);
      layer.weight("moving_mean").value().assign(0.5);
      layer.weight("moving_variance").value().assign(2.0);
      layer.setTrainable(false);
    }
    trainBoth(p, x, y, 4, 8);
    BatchNormalization layer = (BatchNormalization) p.fast().layers().get(1);
    assertEquals(0.5, layer.weight("moving_mean").value().getDouble(0), 0);
    assertEquals(2.0, layer.weight("moving_variance").value().getDouble(3), 0);
  }

  @Test
  void averagePoolingZeroPaddingAndGlobalPooling() {
    Rng.seed(34);
    INDArray x = data(10, 7, 7, 2);
    INDArray y = oneHot(10, 3);
    var p = pair(() -> {
      SymbolicTensor in = Input.of(7, 7, 2);
      SymbolicTensor padded = new ZeroPadding2D(1, 0, 2, 1).apply(in);
      SymbolicTensor c = conv(4, "relu").apply(padded);
      SymbolicTensor avg = new AveragePooling2D(new Pooling2D.Config(new int[] {3, 3}, new int[] {2, 2}, "same"), null).apply(c);
      SymbolicTensor g1 = new GlobalAveragePooling2D().apply(avg);
      SymbolicTensor g2 = new GlobalMaxPooling2D().apply(conv(3, "tanh").apply(avg));
      SymbolicTensor joined = new dln.runtime.nn.layers.Concatenate().apply(List.of(g1, g2)).get(0);
      return new Model(in, new Dense(3, "softmax").apply(joined));
    }, () -> new Adam(0.01), "categorical_crossentropy");
    assertArrayEquals(new long[] {-1, 4, 5, 4}, p.fast().layers().get(3).outputShapes(List.of(new long[] {-1, 8, 10, 4})).get(0));
    trainBoth(p, x, y, 4, 5);
  }

  @Test
  void reshapeBetweenDenseAndConvolution() {
    Rng.seed(35);
    INDArray x = data(16, 12);
    INDArray y = data(16, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(12), new Dense(18, "relu"), new Reshape(3, 3, 2), conv(2, "relu"),
        new Flatten(), new Dense(2))), () -> new Adam(0.01), "mse");
    trainBoth(p, x, y, 4, 8);
  }
}
