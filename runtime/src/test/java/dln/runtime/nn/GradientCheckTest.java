package dln.runtime.nn;

import dln.runtime.Shapes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.MaxPooling2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SameDiff's gradients of each layer's weights against central finite differences of the scalar
 * {@code sum(layer(x) · r)} for a fixed random r. Float32 arithmetic, so tolerances are relative
 * to the gradient's scale.
 */
class GradientCheckTest {
  @BeforeEach
  void seed() {
    Nd4j.getRandom().setSeed(42);
    dln.runtime.Rng.seed(42);
  }

  /** Builds the scalar checked: by default sum(output · r) for a fixed random r. */
  interface LossBuilder {
    SDVariable build(GraphContext ctx, SDVariable out, long[] outShape);
  }

  private static void check(Layer layer, INDArray x) {
    check(layer, x, (ctx, out, shape) -> out.mul(ctx.sd().constant(Nd4j.rand(DataType.FLOAT, shape).subi(0.5))).sum());
  }

  private static void check(Layer layer, INDArray x, LossBuilder lossBuilder) {
    long[] sample = Shapes.sample(x.shape());
    layer.apply(Input.of(sample));
    SameDiff sd = SameDiff.create();
    GraphContext ctx = new GraphContext(sd, true);
    SDVariable in = sd.placeHolder("x", DataType.FLOAT, Shapes.withBatch(sample));
    SDVariable out = layer.call(ctx, List.of(in), List.of(Shapes.withBatch(sample))).get(0);
    long[] outShape = Shapes.withBatchSize(layer.outputShapes(List.of(Shapes.withBatch(sample))).get(0), x.size(0));
    SDVariable loss = lossBuilder.build(ctx, out, outShape);
    List<String> names = new ArrayList<>();
    List<Weight> weights = new ArrayList<>();
    for (Map.Entry<Weight, SDVariable> e : ctx.weightVariables().entrySet()) {
      if (!e.getKey().isTrainable()) continue;
      weights.add(e.getKey());
      names.add(e.getValue().name());
    }
    sd.setLossVariables(loss);
    Map<String, INDArray> ph = Map.of("x", x);
    Map<String, INDArray> grads = dln.runtime.Muted.call(() -> sd.calculateGradients(ph, names));
    double eps = 1e-2;
    int checked = 0;
    for (int w = 0; w < weights.size(); w++) {
      INDArray value = weights.get(w).value();
      INDArray g = grads.get(names.get(w));
      double scale = Math.max(1e-3, g.amaxNumber().doubleValue());
      long n = value.length();
      for (long i = 0; i < n; i += Math.max(1, n / 12)) {
        double orig = value.getDouble(i);
        value.putScalar(i, orig + eps);
        double plus = sd.output(ph, loss.name()).get(loss.name()).getDouble(0);
        value.putScalar(i, orig - eps);
        double minus = sd.output(ph, loss.name()).get(loss.name()).getDouble(0);
        value.putScalar(i, orig);
        double numeric = (plus - minus) / (2 * eps);
        double analytic = g.getDouble(i);
        assertEquals(numeric, analytic, 2e-2 * scale + 2e-3,
            layer.describe() + " " + weights.get(w).fullName() + "[" + i + "] with " + loss.name());
        checked++;
      }
    }
    assertTrue(checked > 0);
  }

  @Test
  void dense() {
    check(new Dense(3, "tanh"), Nd4j.rand(DataType.FLOAT, 4, 5));
  }

  @Test
  void denseOnSequences() {
    check(new Dense(3, "sigmoid"), Nd4j.rand(DataType.FLOAT, 2, 4, 5));
  }

  @Test
  void conv2dValidAndStridedSame() {
    check(new Conv2D(3, 3, "linear"), Nd4j.rand(DataType.FLOAT, 2, 5, 5, 2));
    check(new Conv2D(new Conv2D.Config(2, new int[] {3}, new int[] {2, 2}, "same", "elu", true, null, null, null), null),
        Nd4j.rand(DataType.FLOAT, 2, 5, 5, 2));
  }

  @Test
  void conv1dEveryPadding() {
    for (String padding : new String[] {"valid", "same", "causal"}) {
      check(new dln.runtime.nn.layers.Conv1D(new dln.runtime.nn.layers.Conv1D.Config(3, new int[] {3}, new int[] {2}, padding, "tanh",
          true, null, null, null), null), Nd4j.rand(DataType.FLOAT, 2, 7, 2));
    }
  }

  @Test
  void batchNormalizationInTraining() {
    check(new BatchNormalization(), Nd4j.randn(DataType.FLOAT, 6, 3));
  }

  @Test
  void lstm() {
    check(new LSTM(3, true), Nd4j.randn(DataType.FLOAT, 2, 4, 2));
  }

  @Test
  void gruBothResetPlacementsAndSimpleRnn() {
    for (boolean after : new boolean[] {true, false}) {
      dln.runtime.nn.layers.GRU g = new dln.runtime.nn.layers.GRU(
          new dln.runtime.nn.layers.GRU.Config(3, "tanh", "sigmoid", true, true, "glorot_uniform", "orthogonal", after, false), null);
      g.apply(Input.of(4, 2));
      // A non-zero bias, so that both bias rows (reset_after) reach the output.
      g.weight("bias").value().assign(Nd4j.randn(DataType.FLOAT, g.weight("bias").shape()).muli(0.5));
      check(g, Nd4j.randn(DataType.FLOAT, 2, 4, 2));
    }
    check(new dln.runtime.nn.layers.SimpleRNN(3, true), Nd4j.randn(DataType.FLOAT, 2, 4, 2));
  }

  @Test
  void layerNormalizationAndTheNewConvolutions() {
    check(new dln.runtime.nn.layers.LayerNormalization(), Nd4j.randn(DataType.FLOAT, 3, 2, 5));
    check(new dln.runtime.nn.layers.DepthwiseConv2D(new dln.runtime.nn.layers.DepthwiseConv2D.Config(new int[] {3}, new int[] {2}, "same",
        2, "tanh", true, null, null), null), Nd4j.rand(DataType.FLOAT, 2, 5, 5, 2));
    check(new dln.runtime.nn.layers.SeparableConv2D(3, 3, "valid", "tanh"), Nd4j.rand(DataType.FLOAT, 2, 5, 5, 2));
    for (String padding : new String[] {"valid", "same"}) {
      check(new dln.runtime.nn.layers.Conv2DTranspose(3, 3, 2, padding, "tanh"), Nd4j.rand(DataType.FLOAT, 2, 3, 4, 2));
    }
  }

  @Test
  void embedding() {
    check(new Embedding(5, 3), Nd4j.createFromArray(new float[][] {{0, 1, 1, 4}, {2, 2, 3, 0}}));
  }

  @Test
  void everyActivationHasAGradient() {
    for (String a : Activations.NAMES) {
      if (a.equals("relu") || a.equals("leaky_relu")) continue; // kinks at 0; covered by training tests
      check(new Dense(2, a), Nd4j.randn(DataType.FLOAT, 3, 4));
    }
  }

  @Test
  void fusedSoftmaxCrossEntropyThroughAWholeModel() {
    Sequential m = new Sequential(List.of(Input.of(2), new Dense(8, "tanh"), new Dense(3, "softmax")));
    INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 0, 1}});
    for (String loss : List.of("categorical_crossentropy", "mse", "huber")) {
      check(m, Nd4j.randn(DataType.FLOAT, 4, 2),
          (ctx, out, shape) -> dln.runtime.train.Loss.byName(loss).build(ctx, out, ctx.sd().constant(labels), shape));
    }
    Sequential b = new Sequential(List.of(Input.of(2), new Dense(4, "tanh"), new Dense(1, "sigmoid")));
    INDArray yb = Nd4j.createFromArray(new float[][] {{1}, {0}, {0}, {1}});
    check(b, Nd4j.randn(DataType.FLOAT, 4, 2),
        (ctx, out, shape) -> dln.runtime.train.Loss.byName("binary_crossentropy").build(ctx, out, ctx.sd().constant(yb), shape));
  }

  @Test
  void maxPoolingPassesGradientToTheMaximum() {
    Sequential m = new Sequential(List.of(Input.of(4, 4, 1), new Conv2D(2, 2, "linear"), new MaxPooling2D(2)));
    assertEquals(10, m.countParams());
    check(m.layers().get(0), Nd4j.rand(DataType.FLOAT, 1, 4, 4, 1));
  }
}
