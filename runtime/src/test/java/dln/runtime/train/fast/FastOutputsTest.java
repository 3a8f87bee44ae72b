package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.assertClose;
import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.oneHot;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.FitOptions;
import dln.runtime.train.History;
import dln.runtime.train.Loss;
import dln.runtime.train.SGD;
import dln.runtime.train.fast.FastEngineTest.Pair;
import dln.runtime.train.session.TrainingSession;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Models with several outputs (a loss per output, loss_weights, per-output losses and metrics under
 * Keras's history keys) and nested models (a Model or Sequential used as a layer, shared, frozen)
 * on the fast engine, held to the reference engine: the same weights, batches and dropout masks;
 * total and per-output losses, every output, the weights, evaluate and predict agree.
 */
class FastOutputsTest {
  private static Dense dense(int units, String activation, String name) {
    return new Dense(new Dense.Config(units, activation, true, "glorot_uniform", "zeros", null, null), name);
  }

  /** A classifier head and a regression head on a shared trunk, one of them also read by a third. */
  private static Model twoHeads() {
    SymbolicTensor in = Input.of(6);
    SymbolicTensor trunk = new Dropout(0.2).apply(new Dense(10, "relu").apply(in));
    SymbolicTensor cls = dense(3, "softmax", "cls").apply(trunk);
    SymbolicTensor reg = dense(2, "linear", "reg").apply(trunk);
    return new Model(List.of(in), List.of(cls, reg));
  }

  @Test
  void twoOutputsWithTheirOwnLossesAndLossWeights() {
    Rng.seed(31);
    INDArray x = data(40, 6);
    List<INDArray> y = List.of(oneHot(40, 3), data(40, 2));
    Pair p = pair(FastOutputsTest::twoHeads, () -> new CompileConfig(new Adam(0.01),
        List.of(Loss.byName("categorical_crossentropy"), Loss.byName("huber")), List.of("accuracy"), List.of(1.0, 0.3)));
    trainBoth(p, List.of(x), y, 5, 16);
  }

  @Test
  void oneLossForEveryOutputAndAnOutputThatFeedsAnother() {
    Rng.seed(32);
    INDArray x = data(30, 4);
    Pair p = pair(() -> {
      SymbolicTensor in = Input.of(4);
      SymbolicTensor first = dense(3, "tanh", "first").apply(new Dense(8, "relu").apply(in));
      SymbolicTensor second = dense(2, "linear", "second").apply(first);
      return new Model(List.of(in), List.of(first, second));
    }, () -> new CompileConfig(new SGD(0.05, 0.9, false), List.of(Loss.byName("mse")), List.of()));
    trainBoth(p, List.of(x), List.of(data(30, 3), data(30, 2)), 5, 10);
  }

  @Test
  void historyHasKerasKeysPerOutputOnBothEngines() {
    Rng.seed(33);
    INDArray x = data(48, 6);
    List<INDArray> y = List.of(oneHot(48, 3), data(48, 2));
    Pair p = pair(FastOutputsTest::twoHeads, () -> new CompileConfig(new Adam(0.01),
        List.of(Loss.byName("categorical_crossentropy"), Loss.byName("mse")), List.of("accuracy"), List.of(1.0, 0.5)));
    History ha = TrainingSession.of(p.reference()).fit(List.of(x), y, new FitOptions().epochs(2).batchSize(16).seed(4).validationSplit(0.25));
    History hb = TrainingSession.of(p.fast()).fit(List.of(x), y, new FitOptions().epochs(2).batchSize(16).seed(4).validationSplit(0.25));
    List<String> keys = List.of("loss", "cls_loss", "reg_loss", "cls_accuracy", "reg_accuracy",
        "val_loss", "val_cls_loss", "val_reg_loss", "val_cls_accuracy", "val_reg_accuracy");
    assertEquals(keys, new ArrayList<>(ha.history().keySet()));
    assertEquals(keys, new ArrayList<>(hb.history().keySet()));
    for (String k : keys) {
      for (int e = 0; e < 2; e++) assertClose(ha.history().get(k).get(e), hb.history().get(k).get(e), k + " epoch " + e);
    }
    // The total is the weighted sum of the outputs' losses (no regularisers here).
    double total = hb.history().get("loss").get(1);
    double sum = hb.history().get("cls_loss").get(1) + 0.5 * hb.history().get("reg_loss").get(1);
    assertClose(total, sum, "loss = cls_loss + 0.5·reg_loss");
    List<Double> eval = TrainingSession.of(p.fast()).evaluate(List.of(x), y, 16);
    assertEquals(5, eval.size(), "evaluate gives [loss, cls_loss, reg_loss, cls_accuracy, reg_accuracy]");
  }

  @Test
  void aSequentialUsedTwiceAsALayerOfAFunctionalModel() {
    Rng.seed(34);
    INDArray x1 = data(24, 5);
    INDArray x2 = data(24, 5);
    INDArray y = oneHot(24, 2);
    Pair p = pair(() -> {
      Sequential encoder = new Sequential(List.of(Input.of(5), new Dense(6, "relu"), new Dropout(0.25), new Dense(4, "tanh")));
      SymbolicTensor a = Input.of(5);
      SymbolicTensor b = Input.of(5);
      SymbolicTensor joined = new Add().apply(List.of(encoder.apply(a), encoder.apply(b))).get(0);
      return new Model(List.of(a, b), List.of(new Dense(2, "softmax").apply(joined)));
    }, () -> new CompileConfig(new Adam(0.02), List.of(Loss.byName("categorical_crossentropy")), List.of("accuracy")));
    trainBoth(p, List.of(x1, x2), List.of(y), 5, 8);
  }

  @Test
  void aFrozenNestedModelWithBatchNormRunsInInferenceMode() {
    Rng.seed(35);
    INDArray x = data(32, 6);
    INDArray y = data(32, 1);
    Pair p = pair(() -> {
      SymbolicTensor bi = Input.of(6);
      Model base = new Model(bi, new BatchNormalization().apply(new Dense(8, "relu").apply(bi)));
      base.setTrainable(false);
      Sequential top = new Sequential(List.of(Input.of(6), base, new Dense(1)));
      return top;
    }, () -> new CompileConfig(new Adam(0.02), List.of(Loss.byName("mae")), List.of()));
    List<INDArray> before = new ArrayList<>();
    for (Model.WeightRef r : p.fast().weightRefs()) before.add(r.weight().value().dup());
    trainBoth(p, List.of(x), List.of(y), 4, 8);
    List<Model.WeightRef> after = p.fast().weightRefs();
    // The frozen base (Dense kernel/bias, gamma, beta, moving statistics) is bit-identical; the head learned.
    for (int i = 0; i < after.size() - 2; i++) assertEquals(before.get(i), after.get(i).weight().value(), after.get(i).weight().fullName());
    assertTrue(!before.get(after.size() - 2).equals(after.get(after.size() - 2).weight().value()), "the head trains");
  }

  @Test
  void oneTensorGivenAsTwoOutputsSumsTheirGradients() {
    Rng.seed(36);
    INDArray x = data(30, 4);
    Pair p = pair(() -> {
      SymbolicTensor in = Input.of(4);
      SymbolicTensor h = dense(3, "softmax", "probs").apply(new Dense(8, "relu").apply(in));
      return new Model(List.of(in), List.of(h, h));
    }, () -> new CompileConfig(new Adam(0.02), List.of(Loss.byName("categorical_crossentropy"), Loss.byName("mse")),
        List.of(), List.of(1.0, 0.5)));
    trainBoth(p, List.of(x), List.of(oneHot(30, 3), Transforms.softmax(data(30, 3), true)), 5, 10);
  }

  @Test
  void aSoftmaxOutputThatAlsoFeedsAnotherLayer() {
    Rng.seed(37);
    INDArray x = data(30, 4);
    Pair p = pair(() -> {
      SymbolicTensor in = Input.of(4);
      SymbolicTensor cls = dense(3, "softmax", "cls").apply(new Dense(8, "relu").apply(in));
      return new Model(List.of(in), List.of(cls, dense(1, "sigmoid", "flag").apply(cls)));
    }, () -> new CompileConfig(new Adam(0.02), List.of(Loss.byName("categorical_crossentropy"), Loss.byName("binary_crossentropy")),
        List.of()));
    trainBoth(p, List.of(x), List.of(oneHot(30, 3), data(30, 1).gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT)), 5, 10);
  }

  @Test
  void nestedAndMultiOutputModelsNeedNoFallback() {
    Model m = twoHeads();
    TrainingSession.of(m).compile(new CompileConfig(new Adam(0.01),
        List.of(Loss.byName("categorical_crossentropy"), Loss.byName("mse")), List.of("accuracy"), List.of(2.0, 1.0)));
    assertNull(FastEngine.unsupportedReason(m, TrainingSession.of(m).compileConfig()));
    Sequential s = new Sequential(List.of(Input.of(6), twoHeadsTrunk(), new Dense(2, "softmax")));
    TrainingSession.of(s).compile("adam", "categorical_crossentropy");
    assertNull(FastEngine.unsupportedReason(s, TrainingSession.of(s).compileConfig()));
  }

  private static Model twoHeadsTrunk() {
    SymbolicTensor in = Input.of(6);
    return new Model(in, new Dense(5, "relu").apply(in));
  }
}
