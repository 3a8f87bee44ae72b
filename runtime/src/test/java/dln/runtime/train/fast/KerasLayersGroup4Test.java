package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.conv;
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
import dln.runtime.nn.layers.Conv2DTranspose;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.DepthwiseConv2D;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.LayerNormalization;
import dln.runtime.nn.layers.SeparableConv2D;
import dln.runtime.train.Adam;
import dln.runtime.train.FitOptions;
import dln.runtime.train.SGD;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fast LayerNormalization, DepthwiseConv2D, SeparableConv2D and Conv2DTranspose steps held to the SameDiff reference. */
class KerasLayersGroup4Test {
  private static LayerNormalization ln(boolean center, boolean scale) {
    return new LayerNormalization(new LayerNormalization.Config(1e-3, center, scale), null);
  }

  /** Random γ and β so that both take part in the input gradient. */
  private static Model withRandomNorm(Model m) {
    for (var l : m.layers()) {
      if (l instanceof LayerNormalization) for (var w : l.weightList()) w.value().assign(Rng.normal(w.shape(), 1, 0.3));
    }
    return m;
  }

  @Test
  void layerNormalizationOnFeaturesAndSequencesMatchesReference() {
    int seed = 90;
    for (boolean[] cs : new boolean[][] {{true, true}, {false, true}, {true, false}, {false, false}}) {
      Rng.seed(seed++);
      INDArray x = data(20, 6).muli(2).addi(1);
      INDArray y = oneHot(20, 3);
      var p = pair(() -> withRandomNorm(new Sequential(List.of(Input.of(6), new Dense(8), ln(cs[0], cs[1]), new Dense(3, "softmax")))),
          () -> new Adam(0.01), "categorical_crossentropy");
      trainBoth(p, x, y, 4, 8);
    }
    Rng.seed(95);
    INDArray xs = data(16, 5, 3);
    INDArray ys = data(16, 2);
    var q = pair(() -> withRandomNorm(new Sequential(List.of(Input.of(5, 3), new GRU(6, true), ln(true, true), new GRU(4, false),
        new Dense(2)))), () -> new SGD(0.05, 0.9, false), "mse");
    trainBoth(q, xs, ys, 4, 8);
  }

  @Test
  void depthwiseAndSeparableConvolutionsMatchReference() {
    int seed = 96;
    for (String padding : List.of("valid", "same")) {
      for (int[] st : new int[][] {{1, 1}, {2, 2}}) {
        Rng.seed(seed++);
        INDArray x = data(8, 7, 7, 2);
        INDArray y = oneHot(8, 3);
        var p = pair(() -> new Sequential(List.of(Input.of(7, 7, 2),
            new DepthwiseConv2D(new DepthwiseConv2D.Config(new int[] {3, 3}, st, padding, 2, "relu", true, null, null), null),
            new SeparableConv2D(new SeparableConv2D.Config(5, new int[] {2, 2}, null, padding, 1, "tanh", true, null, null, null), null),
            new SeparableConv2D(new SeparableConv2D.Config(3, new int[] {3}, null, "same", 3, "linear", false, null, null, null), null),
            new GlobalAveragePooling2D(), new Dense(3, "softmax"))), () -> new Adam(0.01), "categorical_crossentropy");
        trainBoth(p, x, y, 4, 4);
      }
    }
  }

  @Test
  void conv2dTransposeMatchesReference() {
    int seed = 100;
    for (String padding : List.of("valid", "same")) {
      Rng.seed(seed++);
      INDArray x = data(8, 4, 5, 3);
      INDArray y = data(8, 2);
      var p = pair(() -> new Sequential(List.of(Input.of(4, 5, 3),
          new Conv2DTranspose(new Conv2DTranspose.Config(4, new int[] {3, 2}, new int[] {2, 2}, padding, "relu", true, null, null), null),
          new Conv2DTranspose(new Conv2DTranspose.Config(2, new int[] {3}, null, padding, "linear", false, null, null), null),
          new Flatten(), new Dense(2))), () -> new Adam(0.01), "mse");
      trainBoth(p, x, y, 4, 4);
    }
  }

  /** A small conv autoencoder (strided Conv2D down, Conv2DTranspose up) trains through fit on the fast engine. */
  @Test
  void fitTrainsAnAutoencoderOnTheFastEngine() {
    Rng.seed(102);
    INDArray x = org.nd4j.linalg.factory.Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 8, 8, 1);
    Model m = new Sequential(List.of(Input.of(8, 8, 1),
        conv(4, new int[] {3, 3}, new int[] {2, 2}, "same", "relu", true),
        new SeparableConv2D(8, 3, "same", "relu"), new LayerNormalization(),
        new Conv2DTranspose(1, 3, 2, "same", "sigmoid")));
    TrainingSession.of(m).compile(new Adam(0.01), dln.runtime.train.Loss.byName("mse"), List.of());
    assertInstanceOf(FastEngine.class, TrainingSession.of(m).engine(),
        () -> "fast engine refused: " + FastEngine.unsupportedReason(m, TrainingSession.of(m).compileConfig()));
    List<Double> loss = TrainingSession.of(m).fit(x, x, new FitOptions().epochs(10).batchSize(16).seed(5).progress(null)).history().get("loss");
    assertTrue(loss.get(loss.size() - 1) < 0.8 * loss.get(0), "loss " + loss);
  }
}
