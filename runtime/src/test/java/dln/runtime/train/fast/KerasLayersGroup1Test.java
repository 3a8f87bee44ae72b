package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.conv;
import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.oneHot;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Average;
import dln.runtime.nn.layers.Cropping2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GaussianNoise;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.Maximum;
import dln.runtime.nn.layers.Multiply;
import dln.runtime.nn.layers.Permute;
import dln.runtime.nn.layers.SpatialDropout2D;
import dln.runtime.nn.layers.Subtract;
import dln.runtime.nn.layers.UpSampling2D;
import dln.runtime.train.Adam;
import dln.runtime.train.FitOptions;
import dln.runtime.train.History;
import dln.runtime.train.SGD;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast steps of the element-wise merges, Permute, Cropping2D, UpSampling2D, GaussianNoise and
 * SpatialDropout2D held to the SameDiff reference ({@link FastEngineTest#trainBoth}: same weights,
 * same seeded draws, several training steps comparing losses, outputs and weights, then evaluate
 * and predict). Each layer sits after a trained layer, so its input gradient is checked too.
 */
class KerasLayersGroup1Test {
  /** Three Dense branches of one input merged by the layer under test. */
  private static Model threeBranches(java.util.function.Supplier<dln.runtime.nn.Layer> merge, int branches) {
    SymbolicTensor in = Input.of(5);
    List<SymbolicTensor> parts = new java.util.ArrayList<>();
    for (int i = 0; i < branches; i++) parts.add(new Dense(6, i == 0 ? "tanh" : "linear").apply(in));
    SymbolicTensor m = merge.get().apply(parts).get(0);
    return new Model(in, new Dense(3, "softmax").apply(m));
  }

  @Test
  void elementwiseMergesMatchReference() {
    INDArray x;
    INDArray y;
    int seed = 40;
    for (var c : List.<Object[]>of(new Object[] {(java.util.function.Supplier<dln.runtime.nn.Layer>) Multiply::new, 3},
        new Object[] {(java.util.function.Supplier<dln.runtime.nn.Layer>) Subtract::new, 2},
        new Object[] {(java.util.function.Supplier<dln.runtime.nn.Layer>) Average::new, 3},
        new Object[] {(java.util.function.Supplier<dln.runtime.nn.Layer>) Maximum::new, 3})) {
      Rng.seed(seed++);
      x = data(24, 5);
      y = oneHot(24, 3);
      @SuppressWarnings("unchecked")
      var make = (java.util.function.Supplier<dln.runtime.nn.Layer>) c[0];
      int branches = (int) c[1];
      var p = pair(() -> threeBranches(make, branches), () -> new Adam(0.01), "categorical_crossentropy");
      trainBoth(p, x, y, 5, 8);
    }
  }

  /** A merge reading the same tensor twice (x · x): both gradients reach it and add up. */
  @Test
  void multiplyOfATensorWithItself() {
    Rng.seed(45);
    INDArray x = data(16, 4);
    INDArray y = data(16, 2);
    var p = pair(() -> {
      SymbolicTensor in = Input.of(4);
      SymbolicTensor h = new Dense(4, "tanh").apply(in);
      return new Model(in, new Dense(2).apply(new Multiply().apply(List.of(h, h)).get(0)));
    }, () -> new SGD(0.05, 0.9, false), "mse");
    trainBoth(p, x, y, 4, 8);
  }

  @Test
  void permuteBetweenSequenceLayersMatchesReference() {
    Rng.seed(46);
    INDArray x = data(20, 3, 5);
    INDArray y = data(20, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(3, 5), new Permute(2, 1), new LSTM(4, false), new Dense(2))),
        () -> new Adam(0.01), "mse");
    assertEquals("[-1, 5, 3]", java.util.Arrays.toString(p.fast().layers().get(0).outputShapes(List.of(new long[] {-1, 3, 5})).get(0)));
    trainBoth(p, x, y, 4, 10);
    // A rank-3 sample permutation, after a convolution.
    Rng.seed(47);
    INDArray xi = data(10, 4, 5, 2);
    INDArray yi = data(10, 2);
    var q = pair(() -> new Sequential(List.of(Input.of(4, 5, 2), conv(3, "relu"), new Permute(3, 1, 2), new Flatten(), new Dense(2))),
        () -> new Adam(0.01), "mse");
    trainBoth(q, xi, yi, 4, 5);
  }

  @Test
  void croppingAndUpSamplingMatchReference() {
    Rng.seed(48);
    INDArray x = data(12, 6, 7, 2);
    INDArray y = oneHot(12, 3);
    var p = pair(() -> new Sequential(List.of(Input.of(6, 7, 2), conv(3, "relu"), new Cropping2D(1, 0, 2, 1),
        new UpSampling2D(2, 3), conv(2, "tanh"), new Flatten(), new Dense(3, "softmax"))), () -> new Adam(0.01),
        "categorical_crossentropy");
    assertEquals("[-1, 5, 4, 3]", java.util.Arrays.toString(p.fast().layers().get(1).outputShapes(List.of(new long[] {-1, 6, 7, 3})).get(0)));
    assertEquals("[-1, 10, 12, 3]", java.util.Arrays.toString(p.fast().layers().get(2).outputShapes(List.of(new long[] {-1, 5, 4, 3})).get(0)));
    trainBoth(p, x, y, 4, 6);
  }

  /** Seeded runs draw the same noise and the same channel masks on both engines. */
  @Test
  void gaussianNoiseAndSpatialDropoutDrawTheSameAsTheReference() {
    Rng.seed(49);
    INDArray x = data(16, 5, 5, 3);
    INDArray y = oneHot(16, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(5, 5, 3), new GaussianNoise(0.3), conv(4, "relu"), new SpatialDropout2D(0.5),
        new GlobalAveragePooling2D(), new GaussianNoise(0.1), new Dense(2, "softmax"))), () -> new Adam(0.01),
        "categorical_crossentropy");
    trainBoth(p, x, y, 5, 8);
  }

  /** Noise and channel dropout are active in training only: predict is deterministic. */
  @Test
  void noiseLayersAreTheIdentityAtInference() {
    Rng.seed(50);
    Model m = new Sequential(List.of(Input.of(4, 4, 2), new GaussianNoise(1.0), new SpatialDropout2D(0.5), new Flatten()));
    TrainingSession.of(m).compile("adam", "mse");
    INDArray x = data(3, 4, 4, 2);
    INDArray out = TrainingSession.of(m).engine().predict(List.of(x)).get(0);
    assertEquals(x.reshape(3, 32), out);
  }

  /** SpatialDropout2D drops whole channels: a dropped (sample, channel) is zero at every pixel. */
  @Test
  void spatialDropoutZeroesWholeChannels() {
    Rng.seed(51);
    var step = new SpatialDropout2DStep(new SpatialDropout2D(0.5), 0.5, new long[] {3, 3, 8});
    INDArray x = org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 3, 3, 8);
    INDArray out = step.forward(x, true);
    int zeroed = 0;
    for (int n = 0; n < 4; n++) {
      for (int c = 0; c < 8; c++) {
        double first = out.getDouble(n, 0, 0, c);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(first, out.getDouble(n, i, j, c), 0);
        assertTrue(first == 0 || first == 2, "kept values are scaled by 1/keep: " + first);
        if (first == 0) zeroed++;
      }
    }
    assertTrue(zeroed > 4 && zeroed < 28, "about half of 32 channels dropped, got " + zeroed);
  }

  /** A training smoke through fit: the fast engine runs the model and the loss goes down. */
  @Test
  void fitTrainsAModelOfTheNewLayersOnTheFastEngine() {
    Rng.seed(52);
    INDArray x = data(64, 6, 6, 1);
    INDArray y = FastEngineTest.classes(64, 2);
    for (int i = 0; i < 64; i++) if (y.getDouble(i) == 1) x.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).addi(1.0);
    SymbolicTensor in = Input.of(6, 6, 1);
    SymbolicTensor a = conv(4, "relu").apply(new GaussianNoise(0.05).apply(in));
    SymbolicTensor b = conv(4, "sigmoid").apply(in);
    SymbolicTensor g = new Multiply().apply(List.of(a, b)).get(0);
    SymbolicTensor d = new Subtract().apply(List.of(g, new Average().apply(List.of(a, b)).get(0))).get(0);
    SymbolicTensor mx = new Maximum().apply(List.of(d, g)).get(0);
    SymbolicTensor up = new UpSampling2D(2, 2).apply(new Cropping2D(1, 1, 1, 1).apply(new SpatialDropout2D(0.1).apply(mx)));
    SymbolicTensor out = new Dense(2, "softmax").apply(new Flatten().apply(new Permute(2, 1, 3).apply(up)));
    Model m = new Model(in, out);
    TrainingSession.of(m).compile("adam", "sparse_categorical_crossentropy");
    assertInstanceOf(FastEngine.class, TrainingSession.of(m).engine(),
        () -> "fast engine refused: " + FastEngine.unsupportedReason(m, TrainingSession.of(m).compileConfig()));
    History h = TrainingSession.of(m).fit(x, y, new FitOptions().epochs(8).batchSize(16).seed(3).progress(null));
    List<Double> loss = h.history().get("loss");
    assertNotEquals(loss.get(0), loss.get(loss.size() - 1));
    assertTrue(loss.get(loss.size() - 1) < loss.get(0), "loss " + loss);
  }
}
