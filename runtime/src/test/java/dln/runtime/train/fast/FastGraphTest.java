package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.conv;
import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.oneHot;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertNull;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.Concatenate;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.train.Adam;
import dln.runtime.train.SGD;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Functional-API graphs on the fast engine against the reference engine: residual Add (a tensor
 * read by two layers, gradients summed), several inputs, Concatenate on any axis, shared layers
 * (weight gradients summed), and a Dropout inside a branch.
 */
class FastGraphTest {
  private static SymbolicTensor add(SymbolicTensor a, SymbolicTensor b) {
    return new Add().apply(List.of(a, b)).get(0);
  }

  private static SymbolicTensor concat(int axis, SymbolicTensor... ts) {
    return new Concatenate(new Concatenate.Config(axis), null).apply(List.of(ts)).get(0);
  }

  @Test
  void residualDenseBlockWithDropoutInABranch() {
    Rng.seed(21);
    INDArray x = data(40, 6);
    INDArray y = oneHot(40, 3);
    var p = pair(() -> {
      SymbolicTensor in = Input.of(6);
      SymbolicTensor a = new Dense(8, "relu").apply(in);
      SymbolicTensor b = new Dropout(0.3).apply(new Dense(8, "tanh").apply(a));
      SymbolicTensor c = add(a, b);
      return new Model(in, new Dense(3, "softmax").apply(c));
    }, () -> new Adam(0.01), "categorical_crossentropy");
    trainBoth(p, x, y, 5, 16);
  }

  @Test
  void twoInputsASharedLayerAndConcatenate() {
    Rng.seed(22);
    INDArray x1 = data(32, 5);
    INDArray x2 = data(32, 5);
    INDArray y = data(32, 2);
    var p = pair(() -> {
      SymbolicTensor i1 = Input.of(5);
      SymbolicTensor i2 = Input.of(5);
      Dense shared = new Dense(7, "relu");
      SymbolicTensor joined = concat(-1, shared.apply(i1), shared.apply(i2), i1);
      return new Model(List.of(i1, i2), List.of(new Dense(2).apply(joined)));
    }, () -> new SGD(0.05, 0.9, false), "mse");
    trainBoth(p, List.of(x1, x2), y, 5, 8);
  }

  @Test
  void residualConvBlockAndConcatenateAlongHeight() {
    Rng.seed(23);
    INDArray x = data(10, 8, 8, 2);
    INDArray y = oneHot(10, 3);
    var p = pair(() -> {
      SymbolicTensor in = Input.of(8, 8, 2);
      SymbolicTensor a = conv(4, "relu").apply(in);
      SymbolicTensor b = conv(4, "linear").apply(conv(4, "relu").apply(a));
      SymbolicTensor r = add(a, b);
      SymbolicTensor tall = concat(1, r, conv(4, "tanh").apply(in));
      SymbolicTensor pooled = new MaxPooling2D(2).apply(tall);
      return new Model(in, new Dense(3, "softmax").apply(new Flatten().apply(pooled)));
    }, () -> new Adam(0.01), "categorical_crossentropy");
    trainBoth(p, x, y, 4, 5);
  }

  @Test
  void graphModelsNeedNoFallback() {
    SymbolicTensor in = Input.of(4);
    SymbolicTensor a = new Dense(4, "relu").apply(in);
    Model m = new Model(in, new Dense(2, "softmax").apply(add(a, in)));
    TrainingSession.of(m).compile("adam", "categorical_crossentropy");
    assertNull(FastEngine.unsupportedReason(m, TrainingSession.of(m).compileConfig()));
  }
}
