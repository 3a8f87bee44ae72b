package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.Pooling2D;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.train.Adadelta;
import dln.runtime.train.Adagrad;
import dln.runtime.train.Adam;
import dln.runtime.train.AdamW;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import dln.runtime.train.Nadam;
import dln.runtime.train.Optimizer;
import dln.runtime.train.RMSprop;
import dln.runtime.train.SGD;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.TrainingEngine;
import dln.runtime.train.session.TrainingSession;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every fast path against the reference SameDiff engine: the same initial weights, the same
 * batches and dropout masks, several steps of each optimiser; losses, outputs and weights must
 * agree to float tolerance.
 */
class FastEngineTest {
  private static final double RTOL = 1e-4;
  private static final double ATOL = 2e-5;

  /** Two copies of a model with identical weights, one per engine, compiled alike. */
  record Pair(Model reference, Model fast, TrainingEngine refEngine, TrainingEngine fastEngine) {}

  static Pair pair(Supplier<Model> build, Supplier<Optimizer> optimizer, String loss) {
    return pair(build, optimizer, Loss.byName(loss));
  }

  /** {@link #pair(Supplier, Supplier, String)} with a loss's settings ({@code from_logits}). */
  static Pair pair(Supplier<Model> build, Supplier<Optimizer> optimizer, Loss loss) {
    Model a = build.get();
    Model b = build.get();
    for (int i = 0; i < a.layers().size(); i++) {
      List<INDArray> copies = new ArrayList<>();
      for (INDArray w : a.layers().get(i).getWeights()) copies.add(w.dup());
      b.layers().get(i).setWeights(copies);
    }
    TrainingSession.of(a).compile(new CompileConfig(optimizer.get(), List.of(loss), List.of("accuracy")));
    TrainingSession.of(b).compile(new CompileConfig(optimizer.get(), List.of(loss), List.of("accuracy")));
    TrainingSession.of(a).setEngineFactory(SameDiffEngine::new);
    TrainingSession.of(b).setEngineFactory(FastEngine::create);
    assertInstanceOf(FastEngine.class, TrainingSession.of(b).engine(), () -> "fast engine refused: " + FastEngine.unsupportedReason(b, TrainingSession.of(b).compileConfig()));
    return new Pair(a, b, TrainingSession.of(a).engine(), TrainingSession.of(b).engine());
  }

  /** Trains both copies on the same batches (same masks), checking loss each step and weights at the end. */
  static void trainBoth(Pair p, INDArray x, INDArray y, int steps, int batch) {
    trainBoth(p, List.of(x), y, steps, batch);
  }

  /** {@link #trainBoth(Pair, INDArray, INDArray, int, int)} for a model of several inputs. */
  static void trainBoth(Pair p, List<INDArray> x, INDArray y, int steps, int batch) {
    Loss loss = TrainingSession.of(p.reference()).compileConfig().loss(0, 1);
    INDArray labels = loss.prepareLabels(y, p.reference().outputs().get(0).shape());
    long n = y.size(0);
    for (int s = 0; s < steps; s++) {
      long from = (s * (long) batch) % n;
      long to = Math.min(n, from + batch);
      List<INDArray> xb = new ArrayList<>();
      for (INDArray xi : x) xb.add(xi.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup());
      List<INDArray> yb = List.of(labels.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup());
      Rng.seed(1000 + s);
      TrainingEngine.StepResult ra = p.refEngine().trainStep(xb, yb, 0);
      INDArray outA = ra.outputs().get(0).dup();
      Rng.seed(1000 + s);
      TrainingEngine.StepResult rb = p.fastEngine().trainStep(xb, yb, 0);
      assertClose(ra.loss(), rb.loss(), "loss at step " + s);
      assertClose(outA, rb.outputs().get(0), "outputs at step " + s);
    }
    assertSameWeights(p.reference(), p.fast());
    // Inference agrees too: evaluate (loss) and predict.
    assertClose(p.refEngine().evaluate(x, List.of(labels)).loss(), p.fastEngine().evaluate(x, List.of(labels)).loss(), "evaluate");
    assertClose(p.refEngine().predict(x).get(0), p.fastEngine().predict(x).get(0), "predict");
  }

  private static void assertSameWeights(Model a, Model b) {
    for (int i = 0; i < a.layers().size(); i++) {
      List<INDArray> wa = a.layers().get(i).getWeights();
      List<INDArray> wb = b.layers().get(i).getWeights();
      for (int k = 0; k < wa.size(); k++) assertClose(wa.get(k), wb.get(k), a.layers().get(i).name() + " weight " + k);
    }
  }

  private static void assertClose(double a, double b, String what) {
    assertTrue(Math.abs(a - b) <= ATOL + RTOL * Math.abs(a), what + ": reference " + a + " vs fast " + b);
  }

  private static void assertClose(INDArray a, INDArray b, String what) {
    assertEquals(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()), what + " shape");
    float[] x = a.dup('c').data().asFloat();
    float[] y = b.dup('c').data().asFloat();
    assertEquals(x.length, y.length, what + " sizes");
    for (int i = 0; i < x.length; i++) {
      assertTrue(Math.abs(x[i] - y[i]) <= ATOL + RTOL * Math.abs(x[i]),
          what + "[" + i + "]: reference " + x[i] + " vs fast " + y[i]);
    }
  }

  static INDArray data(long... shape) {
    return Rng.normal(shape, 0, 1);
  }

  /** Class indices 0..k-1 as a float column. */
  static INDArray classes(long n, int k) {
    float[] v = new float[(int) n];
    for (int i = 0; i < n; i++) v[i] = Rng.current().nextInt(k);
    return org.nd4j.linalg.factory.Nd4j.createFromArray(v);
  }

  static INDArray oneHot(long n, int k) {
    return Loss.byName("sparse_categorical_crossentropy").prepareLabels(classes(n, k), new long[] {-1, k});
  }

  /**
   * Runs a check on each of the three Dense paths: tiny layers in Java (the default at these sizes),
   * ND4J GEMMs with the Java epilogue, and ND4J GEMMs with ND4J element-wise ops.
   */
  static void bothDensePaths(Runnable check) {
    long savedMacs = SmallDense.maxMacs;
    long savedValues = DenseEpilogue.maxValues;
    try {
      check.run();
      SmallDense.maxMacs = 0;
      check.run();
      DenseEpilogue.maxValues = 0;
      check.run();
    } finally {
      SmallDense.maxMacs = savedMacs;
      DenseEpilogue.maxValues = savedValues;
    }
  }

  @Test
  void linearDenseBeforeDropoutAndReluAtExactlyZero() {
    bothDensePaths(FastEngineTest::linearDropoutAndZeroRows);
  }

  @Test
  void wideLayersRunTheEpilogueInSeveralBlocks() {
    // 600 units: the epilogue's 16,384-value blocks hold 27 rows, so a batch of 40 takes two.
    Rng.seed(12);
    INDArray x = data(80, 6);
    INDArray y = oneHot(80, 3);
    Pair p = pair(() -> new Sequential(List.of(Input.of(6), new Dense(600, "relu"), new Dropout(0.3), new Dense(600),
        new Dropout(0.1), new Dense(3, "softmax"))), () -> new Adam(0.01), "categorical_crossentropy");
    trainBoth(p, x, y, 4, 40);
  }

  /**
   * A linear Dense followed by Dropout, and rows of zeros: with zero biases the relu layer's input
   * is exactly 0 there, where relu's gradient is 0 (not the dropout factor).
   */
  private static void linearDropoutAndZeroRows() {
    Rng.seed(9);
    INDArray x = data(32, 6);
    for (int r = 0; r < 32; r += 3) x.getRow(r).assign(0);
    INDArray y = oneHot(32, 3);
    Pair p = pair(() -> new Sequential(List.of(Input.of(6), new Dense(10), new Dropout(0.5), new Dense(12, "relu"),
        new Dropout(0.2), new Dense(3, "softmax"))), () -> new Adam(0.01), "categorical_crossentropy");
    trainBoth(p, x, y, 6, 16);
  }

  @Test
  void mlpWithDropoutAndSoftmaxMatchesReferenceUnderEveryOptimiser() {
    bothDensePaths(FastEngineTest::mlpUnderEveryOptimiser);
  }

  private static void mlpUnderEveryOptimiser() {
    List<Supplier<Optimizer>> optimizers = List.of(
        () -> new Adam(0.01), () -> new SGD(0.1, 0, false), () -> new SGD(0.05, 0.9, false), () -> new SGD(0.05, 0.9, true),
        () -> new RMSprop(0.01), () -> new Nadam(0.01), () -> new AdamW(0.01, 0.004), () -> new Adagrad(0.05),
        () -> new Adadelta(1.0));
    for (Supplier<Optimizer> opt : optimizers) {
      Rng.seed(5);
      INDArray x = data(40, 12);
      INDArray y = oneHot(40, 4);
      Pair p = pair(() -> new Sequential(List.of(Input.of(12), new Dense(16, "relu"), new Dropout(0.3),
          new Dense(8, "relu"), new Dense(4, "softmax"))), opt, "categorical_crossentropy");
      trainBoth(p, x, y, 6, 16);
    }
  }

  @Test
  void sparseLabelsAndSeparateActivationLayers() {
    bothDensePaths(FastEngineTest::sparseLabels);
  }

  private static void sparseLabels() {
    Rng.seed(6);
    INDArray x = data(32, 6);
    INDArray y = classes(32, 3);
    Pair p = pair(() -> new Sequential(List.of(Input.of(6), new Dense(10), new ReLU(), new Dense(3), new Activation("softmax"))),
        () -> new Adam(0.01), "sparse_categorical_crossentropy");
    trainBoth(p, x, y, 5, 8);
  }

  @Test
  void playgroundNetWithTanhSigmoidAndBinaryCrossEntropy() {
    bothDensePaths(FastEngineTest::playground);
  }

  private static void playground() {
    Rng.seed(7);
    INDArray x = data(48, 2);
    INDArray y = classes(48, 2);
    Pair p = pair(() -> new Sequential(List.of(Input.of(2), new Dense(16, "tanh"), new Dense(16, "tanh"), new Dense(8, "tanh"),
        new Dense(1, "sigmoid"))), () -> new Adam(0.03), "binary_crossentropy");
    trainBoth(p, x, y, 8, 16);
  }

  @Test
  void regressionWithMeanSquaredErrorAndSigmoidHidden() {
    bothDensePaths(FastEngineTest::regression);
  }

  private static void regression() {
    Rng.seed(8);
    INDArray x = data(30, 5);
    INDArray y = data(30, 2);
    Pair p = pair(() -> new Sequential(List.of(Input.of(5), new Dense(7, "sigmoid"), new Dense(2))),
        () -> new RMSprop(0.01), "mse");
    trainBoth(p, x, y, 5, 10);
  }

  @Test
  void convolutionPoolingAndFlattenMatchReference() {
    Rng.seed(9);
    INDArray x = data(12, 10, 10, 2);
    INDArray y = oneHot(12, 3);
    Pair p = pair(() -> new Sequential(List.of(Input.of(10, 10, 2),
        new Conv2D(new Conv2D.Config(4, new int[] {3, 3}, null, "same", "relu", true, "glorot_uniform", "zeros", null), null),
        new Conv2D(5, 3, "relu"),
        new MaxPooling2D(2),
        new Dropout(0.25),
        new Flatten(),
        new Dense(3, "softmax"))), () -> new Adam(0.01), "categorical_crossentropy");
    trainBoth(p, x, y, 4, 6);
  }

  @Test
  void stridedTanhConvolutionAndSamePooling() {
    Rng.seed(10);
    INDArray x = data(8, 9, 9, 3);
    INDArray y = data(8, 2);
    Pair p = pair(() -> new Sequential(List.of(Input.of(9, 9, 3),
        new Conv2D(new Conv2D.Config(3, new int[] {3, 2}, new int[] {2, 1}, "valid", "tanh", true, "glorot_uniform", "zeros", null), null),
        new MaxPooling2D(new Pooling2D.Config(new int[] {2, 2}, new int[] {1, 1}, "same"), null),
        new Flatten(),
        new Dense(2))), () -> new SGD(0.05, 0.9, false), "mse");
    trainBoth(p, x, y, 4, 4);
  }

  /**
   * The patch-matrix backward (Im2Col) inside a network, where every convolution hands back an input
   * gradient: 'same' padding with strides on odd and even sizes (the odd padding cell at the
   * bottom / right), a non-square kernel, a kernel wider than its input's padding, a 1×1 strided
   * projection and a convolution without bias; the 17-channel input takes conv2d_bp, the others the patch matrix.
   */
  @Test
  void hiddenStridedSameConvolutionsMatchReference() {
    Rng.seed(11);
    INDArray x = data(10, 9, 8, 2);
    INDArray y = oneHot(10, 3);
    Pair p = pair(() -> new Sequential(List.of(Input.of(9, 8, 2),
        new Conv2D(new Conv2D.Config(17, new int[] {3, 3}, null, "same", "relu", true, "glorot_uniform", "zeros", null), null),
        new Conv2D(new Conv2D.Config(4, new int[] {3, 2}, new int[] {2, 2}, "same", "tanh", false, "glorot_uniform", "zeros", null), null),
        new Conv2D(new Conv2D.Config(5, new int[] {1, 1}, new int[] {2, 2}, "same", null, true, "glorot_uniform", "zeros", null), null),
        new Conv2D(new Conv2D.Config(2, new int[] {5, 5}, null, "same", "relu", true, "glorot_uniform", "zeros", null), null),
        new Conv2D(new Conv2D.Config(3, new int[] {2, 2}, null, "valid", null, true, "glorot_uniform", "zeros", null), null),
        new Flatten(),
        new Dense(3, "softmax"))), () -> new Adam(0.01), "categorical_crossentropy");
    trainBoth(p, x, y, 4, 5);
  }

  @Test
  void frozenLayersStayBitIdentical() {
    bothDensePaths(FastEngineTest::frozen);
  }

  private static void frozen() {
    Rng.seed(11);
    INDArray x = data(32, 6);
    INDArray y = oneHot(32, 3);
    Pair p = pair(() -> new Sequential(List.of(Input.of(6), new Dense(8, "relu"), new Dense(8, "tanh"), new Dense(3, "softmax"))),
        () -> new Adam(0.01), "categorical_crossentropy");
    for (Model m : List.of(p.reference(), p.fast())) m.layers().get(1).setTrainable(false);
    INDArray before = p.fast().layers().get(1).getWeights().get(0).dup();
    trainBoth(p, x, y, 4, 16);
    assertEquals(before, p.fast().layers().get(1).getWeights().get(0));
  }

  @Test
  void unsupportedModelsFallBackToTheReferenceEngine() {
    // An activation the fast engine has no step for.
    Model elu = new Sequential(List.of(Input.of(4), new Dense(3, "elu"), new Dense(2, "softmax")));
    TrainingSession.of(elu).compile("adam", "categorical_crossentropy");
    assertInstanceOf(SameDiffEngine.class, FastEngine.create(elu, TrainingSession.of(elu).compileConfig()));
    String reason = FastEngine.unsupportedReason(elu, TrainingSession.of(elu).compileConfig());
    assertEquals("activation elu", reason, "the reason says what is missing");

    Model mlp = new Sequential(List.of(Input.of(4), new Dense(2, "softmax")));
    TrainingSession.of(mlp).compile("adam", "categorical_crossentropy");
    String old = System.getProperty(FastEngine.PROPERTY);
    System.setProperty(FastEngine.PROPERTY, "samediff");
    try {
      assertInstanceOf(SameDiffEngine.class, FastEngine.create(mlp, TrainingSession.of(mlp).compileConfig()));
    } finally {
      if (old == null) System.clearProperty(FastEngine.PROPERTY);
      else System.setProperty(FastEngine.PROPERTY, old);
    }
    assertInstanceOf(FastEngine.class, FastEngine.create(mlp, TrainingSession.of(mlp).compileConfig()));
  }

  @Test
  void fitThroughTheTrainerUsesTheFastEngineAndLearns() {
    Rng.seed(12);
    INDArray x = data(64, 2);
    INDArray y = x.getColumn(0).gt(0).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).reshape(64, 1);
    Model m = new Sequential(List.of(Input.of(2), new Dense(8, "tanh"), new Dense(1, "sigmoid")));
    TrainingSession.of(m).compile(new CompileConfig(new Adam(0.05), List.of(Loss.byName("binary_crossentropy")), List.of("accuracy")));
    assertInstanceOf(FastEngine.class, TrainingSession.of(m).engine());
    var options = new dln.runtime.train.FitOptions().epochs(30).batchSize(16);
    var history = TrainingSession.of(m).fit(x, y, options);
    assertEquals(30, history.epochs().size());
    List<Double> loss = history.history().get("loss");
    assertEquals(30, loss.size());
    assertTrue(loss.get(29) < loss.get(0) / 2, "the loss falls: " + loss);
    assertTrue(TrainingSession.of(m).evaluate(x, y).get(1) > 0.9, "accuracy " + TrainingSession.of(m).evaluate(x, y));
  }
}
