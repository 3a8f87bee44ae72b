package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GlobalAveragePooling1D;
import dln.runtime.nn.layers.LayerNormalization;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.layers.MultiHeadAttention;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import dln.runtime.train.SGD;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MultiHeadAttention: Keras's parameter count and shapes, its config round trip, located shape
 * errors, the fast step against the SameDiff reference (see {@link FastEngineTest}) and against
 * finite differences, and a transformer block that learns on the fast engine.
 */
class MultiHeadAttentionTest {
  private static MultiHeadAttention mha(int heads, int keyDim, Integer valueDim, double dropout, boolean bias, Integer out) {
    return new MultiHeadAttention(new MultiHeadAttention.Config(heads, keyDim, valueDim, dropout, bias, out, "glorot_uniform",
        "zeros"), null);
  }

  @Test
  void parameterCountAndOutputShapeAreKeras() {
    SymbolicTensor x = Input.of(10, 32);
    MultiHeadAttention a = new MultiHeadAttention(2, 16);
    SymbolicTensor y = a.apply(List.of(x, x)).get(0);
    // Keras: 3 × (32·2·16 + 2·16) + (2·16·32 + 32).
    assertEquals(4224, a.countParams());
    assertEquals("[-1, 10, 32]", Arrays.toString(y.shape()));
    assertEquals("[32, 2, 16]", Arrays.toString(a.kernel("query").shape()));
    assertEquals("[2, 16, 32]", Arrays.toString(a.weight("attention_output_kernel").shape()));

    SymbolicTensor q = Input.of(10, 32);
    SymbolicTensor v = Input.of(6, 12);
    MultiHeadAttention b = mha(2, 16, 8, 0, true, 20);
    SymbolicTensor z = b.apply(List.of(q, v)).get(0);
    // query 32·32+32, key 12·32+32, value 12·16+16, output 16·20+20.
    assertEquals(1056 + 416 + 208 + 340, b.countParams());
    assertEquals("[-1, 10, 20]", Arrays.toString(z.shape()));
    assertEquals(1024 + 384 + 192 + 320, mha(2, 16, 8, 0, false, 20).apply(List.of(q, v)).get(0).layer().countParams());
  }

  @Test
  void configRoundTripsThroughJson() {
    MultiHeadAttention a = mha(3, 4, 5, 0.1, false, 7);
    String json = LayerRegistry.toJson(a);
    assertTrue(json.contains("\"num_heads\" : 3") && json.contains("\"key_dim\" : 4") && json.contains("\"output_shape\" : 7"), json);
    Layer back = LayerRegistry.fromJson(json);
    assertEquals(a.config(), back.config());
    assertEquals(LayerRegistry.fromJson(LayerRegistry.toJson(new MultiHeadAttention(2, 8))).config().toString(),
        new MultiHeadAttention(2, 8).config().toString());
  }

  @Test
  void badShapesAndSettingsAreClearErrors() {
    SymbolicTensor q = Input.of(10, 32);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> new MultiHeadAttention(2, 4).apply(List.of(q, Input.of(6, 8), Input.of(5, 8))));
    assertTrue(e.getMessage().contains("same number of steps") && e.getMessage().contains("(None, 5, 8)"), e.getMessage());
    e = assertThrows(DlnRuntimeException.class, () -> new MultiHeadAttention(2, 4).apply(List.of(q, Input.of(8))));
    assertTrue(e.getMessage().contains("value as a sequence"), e.getMessage());
    e = assertThrows(DlnRuntimeException.class, () -> new MultiHeadAttention(2, 4).apply(List.of(q, q, q, Input.of(10, 9))));
    assertTrue(e.getMessage().contains("attention_mask of shape (None, 10, 10)"), e.getMessage());
    e = assertThrows(DlnRuntimeException.class, () -> new MultiHeadAttention(0, 4));
    assertTrue(e.getMessage().contains("num_heads must be positive"), e.getMessage());
    e = assertThrows(DlnRuntimeException.class, () -> new MultiHeadAttention(2, -1));
    assertTrue(e.getMessage().contains("key_dim must be positive"), e.getMessage());
  }

  /**
   * SGD, not Adam: the key bias adds the same amount to every score of a row, so its true gradient
   * is 0 and both engines compute float noise there, which Adam would scale up to full steps.
   */
  @Test
  void selfAttentionMatchesReference() {
    Rng.seed(41);
    INDArray x = FastEngineTest.data(12, 5, 6);
    INDArray y = FastEngineTest.data(12, 2);
    var p = FastEngineTest.pair(() -> {
      SymbolicTensor in = Input.of(5, 6);
      SymbolicTensor a = new MultiHeadAttention(2, 4).apply(List.of(in, in)).get(0);
      return new Model(List.of(in), List.of(new Dense(2).apply(new Flatten().apply(a))));
    }, () -> new SGD(0.05, 0, false), "mean_squared_error");
    FastEngineTest.trainBoth(p, x, y, 4, 6);
  }

  /** Query, value and key from three inputs, a mask, dropout, value_dim, output_shape, no biases. */
  @Test
  void crossAttentionWithMaskAndDropoutMatchesReference() {
    for (boolean bias : new boolean[] {true, false}) {
      Rng.seed(42);
      INDArray q = FastEngineTest.data(10, 3, 4);
      INDArray v = FastEngineTest.data(10, 5, 6);
      INDArray k = FastEngineTest.data(10, 5, 2);
      INDArray mask = Nd4j.rand(DataType.FLOAT, 10, 3, 5).gt(0.3).castTo(DataType.FLOAT);
      INDArray y = FastEngineTest.data(10, 2);
      var p = FastEngineTest.pair(() -> {
        SymbolicTensor qi = Input.of(3, 4);
        SymbolicTensor vi = Input.of(5, 6);
        SymbolicTensor ki = Input.of(5, 2);
        SymbolicTensor mi = Input.of(3, 5);
        SymbolicTensor a = mha(3, 2, 3, 0.25, bias, 7).apply(List.of(qi, vi, ki, mi)).get(0);
        return new Model(List.of(qi, vi, ki, mi), List.of(new Dense(2).apply(new GlobalAveragePooling1D().apply(a))));
      }, () -> new SGD(0.1, 0.9, false), "mean_squared_error");
      FastEngineTest.trainBoth(p, List.of(q, v, k, mask), y, 4, 5);
    }
  }

  /** The step's gradients (inputs and every weight) against central differences of Σ out·r. */
  @Test
  void gradientsMatchFiniteDifferences() {
    Rng.seed(43);
    SymbolicTensor qi = Input.of(3, 4);
    SymbolicTensor vi = Input.of(4, 5);
    MultiHeadAttention layer = mha(2, 3, 2, 0, true, null);
    SymbolicTensor out = layer.apply(List.of(qi, vi)).get(0);
    for (var w : layer.weightList()) w.value().assign(Rng.normal(w.shape(), 0, 0.5));
    MultiHeadAttentionStep step = new MultiHeadAttentionStep(layer, List.of(qi.shape(), vi.shape(), vi.shape()), out.shape(), false);
    INDArray q = FastEngineTest.data(2, 3, 4);
    INDArray v = FastEngineTest.data(2, 4, 5);
    INDArray k = FastEngineTest.data(2, 4, 5);
    INDArray r = FastEngineTest.data(2, 3, 4);
    List<INDArray> ins = List.of(q, v, k);
    step.forward(ins, false);
    INDArray[] dIns = step.backward(r.dup(), new boolean[] {true, true, true}, true);
    List<INDArray> dWeights = step.gradients();
    for (int i = 0; i < 3; i++) checkNumerically(step, ins, r, ins.get(i), dIns[i], "input " + i);
    for (int i = 0; i < dWeights.size(); i++) checkNumerically(step, ins, r, step.weights().get(i).value(), dWeights.get(i), "weight " + i);
  }

  private static void checkNumerically(MultiHeadAttentionStep step, List<INDArray> ins, INDArray r, INDArray param, INDArray grad,
      String what) {
    double eps = 1e-2;
    for (long i = 0; i < param.length(); i++) {
      float saved = param.getFloat(i);
      param.putScalar(i, saved + eps);
      double up = step.forward(ins, false).mul(r).sumNumber().doubleValue();
      param.putScalar(i, saved - eps);
      double down = step.forward(ins, false).mul(r).sumNumber().doubleValue();
      param.putScalar(i, saved);
      double numeric = (up - down) / (2 * eps);
      double analytic = grad.getDouble(i);
      assertTrue(Math.abs(numeric - analytic) <= 2e-3 + 2e-2 * Math.abs(numeric), what + "[" + i + "]: numeric " + numeric + " vs " + analytic);
    }
  }

  /**
   * A transformer block (self-attention, Add, LayerNormalization, a Dense feed-forward on every
   * step, Add, LayerNormalization) runs on the fast engine and learns a task that needs attention
   * across steps: is the first step's first feature larger than the last step's.
   */
  @Test
  void transformerBlockTrainsOnTheFastEngine() {
    Rng.seed(44);
    int n = 256;
    INDArray x = FastEngineTest.data(n, 6, 8);
    INDArray y = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0),
        org.nd4j.linalg.indexing.NDArrayIndex.point(0)).gt(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
        org.nd4j.linalg.indexing.NDArrayIndex.point(5), org.nd4j.linalg.indexing.NDArrayIndex.point(0))).castTo(DataType.FLOAT)
        .reshape(n, 1);
    SymbolicTensor in = Input.of(6, 8);
    SymbolicTensor att = new MultiHeadAttention(2, 8).apply(List.of(in, in)).get(0);
    SymbolicTensor h = new LayerNormalization().apply(new Add().apply(List.of(in, att)).get(0));
    SymbolicTensor ff = new Dense(8).apply(new Dense(16, "relu").apply(h));
    SymbolicTensor h2 = new LayerNormalization().apply(new Add().apply(List.of(h, ff)).get(0));
    SymbolicTensor outT = new Dense(1, "sigmoid").apply(new Flatten().apply(h2));
    Model m = new Model(List.of(in), List.of(outT));
    CompileConfig c = new CompileConfig(new Adam(0.005), List.of(Loss.byName("binary_crossentropy")), List.of());
    var engine = FastEngine.create(m, c);
    assertInstanceOf(FastEngine.class, engine, () -> FastEngine.unsupportedReason(m, c));
    double first = 0;
    double lastEpoch = 0;
    for (int epoch = 0; epoch < 30; epoch++) {
      double sum = 0;
      for (int from = 0; from < n; from += 32) {
        var idx = org.nd4j.linalg.indexing.NDArrayIndex.interval(from, from + 32);
        double loss = engine.trainStep(List.of(x.get(idx).dup()), List.of(y.get(idx).dup()), epoch).loss();
        if (epoch == 0 && from == 0) first = loss;
        sum += loss;
      }
      lastEpoch = sum / (n / 32);
    }
    assertTrue(first > 0.5 && lastEpoch < 0.25, "loss " + first + " -> " + lastEpoch);
  }
}
