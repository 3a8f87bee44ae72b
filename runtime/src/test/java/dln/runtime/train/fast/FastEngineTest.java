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
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Every fast path against the reference SameDiff engine: the same initial weights, the same
 * batches and dropout masks, several steps of each optimiser; losses, outputs and weights must
 * agree to float tolerance.
 */
public class FastEngineTest {
  private static final double RTOL = 1e-4;
  private static final double ATOL = 2e-5;

  /** Two copies of a model with identical weights, one per engine, compiled alike. */
  record Pair(Model reference, Model fast, TrainingEngine refEngine, TrainingEngine fastEngine) {}

  /** {@link #pair(Supplier, Supplier)} with one loss, accuracy as the metric and a fresh optimiser per copy. */
  static Pair pair(Supplier<Model> build, Supplier<Optimizer> optimizer, String loss) {
    return pair(build, optimizer, Loss.byName(loss));
  }

  /** {@link #pair(Supplier, Supplier, String)} with a loss's settings ({@code from_logits}). */
  static Pair pair(Supplier<Model> build, Supplier<Optimizer> optimizer, Loss loss) {
    return pair(build, () -> new CompileConfig(optimizer.get(), List.of(loss), List.of("accuracy")));
  }

  /** Two copies of a model with identical weights, the reference engine on one and the fast engine on the other. */
  static Pair pair(Supplier<Model> build, Supplier<CompileConfig> config) {
    Model a = build.get();
    Model b = build.get();
    List<Model.WeightRef> wa = a.weightRefs();
    List<Model.WeightRef> wb = b.weightRefs();
    assertEquals(wa.size(), wb.size());
    for (int i = 0; i < wa.size(); i++) wb.get(i).weight().value().assign(wa.get(i).weight().value());
    TrainingSession.of(a).compile(config.get());
    TrainingSession.of(b).compile(config.get());
    TrainingSession.of(a).setEngineFactory(SameDiffEngine::new);
    TrainingSession.of(b).setEngineFactory(FastEngine::create);
    assertInstanceOf(FastEngine.class, TrainingSession.of(b).engine(),
        () -> "fast engine refused: " + FastEngine.unsupportedReason(b, TrainingSession.of(b).compileConfig()));
    return new Pair(a, b, TrainingSession.of(a).engine(), TrainingSession.of(b).engine());
  }

  /**
   * The usual check in one call: two copies of a Sequential of these layers (a fresh list per
   * copy), compiled alike ({@link #pair(Supplier, Supplier, String)}), trained alike on x, y
   * ({@link #trainBoth(Pair, INDArray, INDArray, int, int)}).
   */
  static void sequentialBoth(Supplier<List<?>> layers, Supplier<Optimizer> optimizer, String loss, INDArray x, INDArray y, int steps,
      int batch) {
    sequentialBoth(layers, optimizer, Loss.byName(loss), x, y, steps, batch);
  }

  /** {@link #sequentialBoth(Supplier, Supplier, String, INDArray, INDArray, int, int)} with a loss's settings. */
  static void sequentialBoth(Supplier<List<?>> layers, Supplier<Optimizer> optimizer, Loss loss, INDArray x, INDArray y, int steps,
      int batch) {
    trainBoth(pair(() -> new Sequential(layers.get()), optimizer, loss), x, y, steps, batch);
  }

  /** Trains both copies on the same batches (same masks), checking loss each step and weights at the end. */
  static void trainBoth(Pair p, INDArray x, INDArray y, int steps, int batch) {
    trainBoth(p, List.of(x), List.of(y), steps, batch);
  }

  /** {@link #trainBoth(Pair, INDArray, INDArray, int, int)} for a model of several inputs. */
  static void trainBoth(Pair p, List<INDArray> x, INDArray y, int steps, int batch) {
    trainBoth(p, x, List.of(y), steps, batch);
  }

  /**
   * {@link #trainBoth(Pair, INDArray, INDArray, int, int)} for a model of several inputs and
   * outputs (one label array each): the total and per-output losses and every output at each step,
   * every weight at the end, then evaluate and predict.
   */
  static void trainBoth(Pair p, List<INDArray> x, List<INDArray> y, int steps, int batch) {
    CompileConfig cfg = TrainingSession.of(p.reference()).compileConfig();
    int outs = p.reference().outputs().size();
    List<INDArray> labels = new ArrayList<>();
    for (int k = 0; k < y.size(); k++) labels.add(cfg.loss(k, outs).prepareLabels(y.get(k), p.reference().outputs().get(k).shape()));
    long n = x.get(0).size(0);
    for (int s = 0; s < steps; s++) {
      long from = (s * (long) batch) % n;
      long to = Math.min(n, from + batch);
      List<INDArray> xb = rows(x, from, to);
      List<INDArray> yb = rows(labels, from, to);
      Rng.seed(1000 + s);
      TrainingEngine.StepResult ra = p.refEngine().trainStep(xb, yb, 0);
      List<INDArray> outA = new ArrayList<>();
      for (INDArray o : ra.outputs()) outA.add(o.dup());
      Rng.seed(1000 + s);
      TrainingEngine.StepResult rb = p.fastEngine().trainStep(xb, yb, 0);
      assertClose(ra.loss(), rb.loss(), "loss at step " + s);
      assertEquals(ra.outputLosses().size(), rb.outputLosses().size(), "per-output losses");
      for (int k = 0; k < ra.outputLosses().size(); k++) {
        assertClose(ra.outputLosses().get(k), rb.outputLosses().get(k), "output " + k + " loss at step " + s);
      }
      for (int k = 0; k < outs; k++) assertClose(outA.get(k), rb.outputs().get(k), "output " + k + " at step " + s);
    }
    List<Model.WeightRef> wa = p.reference().weightRefs();
    List<Model.WeightRef> wb = p.fast().weightRefs();
    for (int i = 0; i < wa.size(); i++) assertClose(wa.get(i).weight().value(), wb.get(i).weight().value(), wa.get(i).weight().fullName());
    // Inference agrees too: evaluate (total and per-output losses) and predict.
    TrainingEngine.StepResult ea = p.refEngine().evaluate(x, labels);
    TrainingEngine.StepResult eb = p.fastEngine().evaluate(x, labels);
    assertClose(ea.loss(), eb.loss(), "evaluate");
    for (int k = 0; k < ea.outputLosses().size(); k++) assertClose(ea.outputLosses().get(k), eb.outputLosses().get(k), "evaluate output " + k);
    List<INDArray> pa = p.refEngine().predict(x);
    List<INDArray> pb = p.fastEngine().predict(x);
    for (int k = 0; k < outs; k++) assertClose(pa.get(k), pb.get(k), "predict output " + k);
  }

  private static List<INDArray> rows(List<INDArray> arrays, long from, long to) {
    List<INDArray> out = new ArrayList<>();
    for (INDArray a : arrays) out.add(a.get(NDArrayIndex.interval(from, to)).dup());
    return out;
  }

  /** Reference and fast values agree to the engines' float tolerance. */
  public static void assertClose(double a, double b, String what) {
    assertTrue(Math.abs(a - b) <= ATOL + RTOL * Math.abs(a), what + ": reference " + a + " vs fast " + b);
  }

  /** Reference and fast arrays have one shape and agree element by element to the engines' float tolerance. */
  public static void assertClose(INDArray a, INDArray b, String what) {
    assertEquals(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()), what + " shape");
    float[] x = a.dup('c').data().asFloat();
    float[] y = b.dup('c').data().asFloat();
    assertEquals(x.length, y.length, what + " sizes");
    for (int i = 0; i < x.length; i++) {
      assertTrue(Math.abs(x[i] - y[i]) <= ATOL + RTOL * Math.abs(x[i]),
          what + "[" + i + "]: reference " + x[i] + " vs fast " + y[i]);
    }
  }

  /** A 3×3 'same' Conv2D with a bias and Keras's default initialisers. */
  static Conv2D conv(int filters, String activation) {
    return conv(filters, activation, true);
  }

  /** A 3×3 'same' Conv2D with Keras's default initialisers, with or without a bias. */
  static Conv2D conv(int filters, String activation, boolean useBias) {
    return conv(filters, new int[] {3, 3}, null, "same", activation, useBias);
  }

  /** A Conv2D with Keras's default initialisers and no regulariser; null strides are 1. */
  static Conv2D conv(int filters, int[] kernel, int[] strides, String padding, String activation, boolean useBias) {
    return new Conv2D(new Conv2D.Config(filters, kernel, strides, padding, activation, useBias, "glorot_uniform", "zeros", null), null);
  }

  static INDArray data(long... shape) {
    return Rng.normal(shape, 0, 1);
  }

  /**
   * The token-order task only a sequence model solves: n rows of 6 tokens (3..7) holding a 1 and a
   * 2; the label is 1 when the 1 comes first. Returns {x (n, 6), y (n, 1)}.
   */
  static INDArray[] tokenOrder(int n) {
    float[][] v = new float[n][6];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < 6; t++) v[i][t] = 3 + Rng.current().nextInt(5);
      int a = Rng.current().nextInt(6);
      int b = (a + 1 + Rng.current().nextInt(5)) % 6;
      v[i][a] = 1;
      v[i][b] = 2;
      labels[i] = a < b ? 1 : 0;
    }
    INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(v);
    INDArray y = org.nd4j.linalg.factory.Nd4j.createFromArray(labels).reshape(n, 1);
    return new INDArray[] {x, y};
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
    sequentialBoth(() -> List.of(Input.of(6), new Dense(600, "relu"), new Dropout(0.3), new Dense(600),
        new Dropout(0.1), new Dense(3, "softmax")), () -> new Adam(0.01), "categorical_crossentropy", x, y, 4, 40);
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
    sequentialBoth(() -> List.of(Input.of(6), new Dense(10), new Dropout(0.5), new Dense(12, "relu"),
        new Dropout(0.2), new Dense(3, "softmax")), () -> new Adam(0.01), "categorical_crossentropy", x, y, 6, 16);
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
      sequentialBoth(() -> List.of(Input.of(12), new Dense(16, "relu"), new Dropout(0.3),
          new Dense(8, "relu"), new Dense(4, "softmax")), opt, "categorical_crossentropy", x, y, 6, 16);
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
    sequentialBoth(() -> List.of(Input.of(6), new Dense(10), new ReLU(), new Dense(3), new Activation("softmax")),
        () -> new Adam(0.01), "sparse_categorical_crossentropy", x, y, 5, 8);
  }

  @Test
  void playgroundNetWithTanhSigmoidAndBinaryCrossEntropy() {
    bothDensePaths(FastEngineTest::playground);
  }

  private static void playground() {
    Rng.seed(7);
    INDArray x = data(48, 2);
    INDArray y = classes(48, 2);
    sequentialBoth(() -> List.of(Input.of(2), new Dense(16, "tanh"), new Dense(16, "tanh"), new Dense(8, "tanh"),
        new Dense(1, "sigmoid")), () -> new Adam(0.03), "binary_crossentropy", x, y, 8, 16);
  }

  @Test
  void regressionWithMeanSquaredErrorAndSigmoidHidden() {
    bothDensePaths(FastEngineTest::regression);
  }

  private static void regression() {
    Rng.seed(8);
    INDArray x = data(30, 5);
    INDArray y = data(30, 2);
    sequentialBoth(() -> List.of(Input.of(5), new Dense(7, "sigmoid"), new Dense(2)),
        () -> new RMSprop(0.01), "mse", x, y, 5, 10);
  }

  @Test
  void convolutionPoolingAndFlattenMatchReference() {
    Rng.seed(9);
    INDArray x = data(12, 10, 10, 2);
    INDArray y = oneHot(12, 3);
    sequentialBoth(() -> List.of(Input.of(10, 10, 2),
        conv(4, "relu"),
        new Conv2D(5, 3, "relu"),
        new MaxPooling2D(2),
        new Dropout(0.25),
        new Flatten(),
        new Dense(3, "softmax")), () -> new Adam(0.01), "categorical_crossentropy", x, y, 4, 6);
  }

  @Test
  void stridedTanhConvolutionAndSamePooling() {
    Rng.seed(10);
    INDArray x = data(8, 9, 9, 3);
    INDArray y = data(8, 2);
    sequentialBoth(() -> List.of(Input.of(9, 9, 3),
        conv(3, new int[] {3, 2}, new int[] {2, 1}, "valid", "tanh", true),
        new MaxPooling2D(new Pooling2D.Config(new int[] {2, 2}, new int[] {1, 1}, "same"), null),
        new Flatten(),
        new Dense(2)), () -> new SGD(0.05, 0.9, false), "mse", x, y, 4, 4);
  }

  /**
   * The patch-matrix backward (Im2Col) inside a network, where every convolution but the first hands
   * back an input gradient: 'same' padding with strides on odd and even sizes (the odd padding cell at the
   * bottom / right), a non-square kernel, a kernel wider than its input's padding, a 1×1 strided
   * projection and a convolution without bias. Every backward path runs: conv2d_bp for the strided
   * 3×2 convolution of the 17-channel input, the patch matrix for the others (the first layer's
   * weight gradient only; the 1×1 strided projection's input gradient as dZ·Wᵀ; the stride-1 5×5 'same' and 2×2 'valid' ones' as a
   * convolution with the transposed kernel).
   */
  @Test
  void hiddenStridedSameConvolutionsMatchReference() {
    Rng.seed(11);
    INDArray x = data(10, 9, 8, 2);
    INDArray y = oneHot(10, 3);
    sequentialBoth(() -> List.of(Input.of(9, 8, 2),
        conv(17, "relu"),
        conv(4, new int[] {3, 2}, new int[] {2, 2}, "same", "tanh", false),
        conv(5, new int[] {1, 1}, new int[] {2, 2}, "same", null, true),
        conv(2, new int[] {5, 5}, null, "same", "relu", true),
        conv(3, new int[] {2, 2}, null, "valid", null, true),
        new Flatten(),
        new Dense(3, "softmax")), () -> new Adam(0.01), "categorical_crossentropy", x, y, 4, 5);
  }

  /**
   * Stride-1 convolutions with more than 16 input channels over more than 16×16 output pixels, whose
   * input gradient is the convolution of dZ with the kernel flipped and transposed: 'same' with a
   * non-square odd kernel and 'valid' (a full padding of k − 1) without bias.
   */
  @Test
  void wideStrideOneConvolutionsTakeTheTransposedKernelBackward() {
    Rng.seed(12);
    INDArray x = data(6, 19, 19, 2);
    INDArray y = oneHot(6, 3);
    sequentialBoth(() -> List.of(Input.of(19, 19, 2),
        new Conv2D(new Conv2D.Config(18, new int[] {3, 3}, null, "same", "relu", true, "glorot_uniform", "zeros", null), null),
        new Conv2D(new Conv2D.Config(17, new int[] {3, 1}, null, "same", "tanh", true, "glorot_uniform", "zeros", null), null),
        new Conv2D(new Conv2D.Config(4, new int[] {3, 3}, null, "valid", "relu", false, "glorot_uniform", "zeros", null), null),
        new MaxPooling2D(2),
        new Flatten(),
        new Dense(3, "softmax")), () -> new Adam(0.01), "categorical_crossentropy", x, y, 4, 3);
  }

  /**
   * 1×1 convolutions over more than 16 input channels (the ResNet's 32→64 projection shortcut):
   * strided 'valid' on an odd size, strided 'same', and at stride 1 on few pixels, all with the
   * adjoint GEMM dZ·Wᵀ as input gradient (a 1×1 kernel's patches never overlap).
   */
  @Test
  void wideOneByOneConvolutionsTakeTheAdjointBackward() throws FastPlan.Unsupported {
    Rng.seed(13);
    INDArray x = data(6, 9, 9, 2);
    INDArray y = oneHot(6, 3);
    Pair p = pair(() -> new Sequential(List.of(Input.of(9, 9, 2),
        conv(20, "relu"),
        conv(24, new int[] {1, 1}, new int[] {2, 2}, "valid", "tanh", true),
        conv(18, new int[] {1, 1}, new int[] {2, 2}, "same", "relu", false),
        conv(6, new int[] {1, 1}, null, "valid", null, true),
        new Flatten(),
        new Dense(3, "softmax"))), () -> new Adam(0.01), "categorical_crossentropy");
    FastPlan plan = FastPlan.compile(p.fast(), TrainingSession.of(p.fast()).compileConfig());
    List<Conv2DStep.BackwardPath> paths = new ArrayList<>();
    for (FastPlan.Op op : plan.ops) if (op.step() instanceof Conv2DStep c) paths.add(c.backwardPath(4, true));
    assertEquals(List.of(Conv2DStep.BackwardPath.PATCH_AND_TRANSPOSED, Conv2DStep.BackwardPath.PATCH_AND_ADJOINT,
        Conv2DStep.BackwardPath.PATCH_AND_ADJOINT, Conv2DStep.BackwardPath.PATCH_AND_ADJOINT), paths);
    trainBoth(p, x, y, 4, 4);
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
    // A custom layer, whose forward pass only SameDiff runs.
    Model capped = new Sequential(List.of(Input.of(4), new Dense(3), DoublingLayer.create(), new Dense(2, "softmax")));
    TrainingSession.of(capped).compile("adam", "categorical_crossentropy");
    assertInstanceOf(SameDiffEngine.class, FastEngine.create(capped, TrainingSession.of(capped).compileConfig()));
    String reason = FastEngine.unsupportedReason(capped, TrainingSession.of(capped).compileConfig());
    assertEquals("the custom layer Doubling, whose call() the SameDiff engine runs as a graph", reason, "the reason says what is missing");

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
