package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.SimpleRNN;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.FitOptions;
import dln.runtime.train.Loss;
import dln.runtime.train.SGD;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast SimpleRNN and GRU steps (full backpropagation through time) held to the SameDiff
 * reference: losses, outputs and every weight after several steps, then evaluate and predict.
 */
class RecurrentStepsTest {
  private static GRU gru(int units, String act, String gate, boolean bias, boolean seq) {
    return new GRU(new GRU.Config(units, act, gate, bias, seq, "glorot_uniform", "orthogonal", true, false), null);
  }

  private static SimpleRNN rnn(int units, String act, boolean bias, boolean seq) {
    return new SimpleRNN(new SimpleRNN.Config(units, act, bias, seq, "glorot_uniform", "orthogonal", false), null);
  }

  /** A non-zero bias, so that both of the GRU's bias rows take part from the first step. */
  private static void randomBiases(Model m) {
    for (var l : m.layers()) if (l.weight("bias") != null && (l instanceof GRU || l instanceof SimpleRNN)) {
      l.weight("bias").value().assign(Rng.normal(l.weight("bias").shape(), 0, 0.3));
    }
  }

  private static Model withBiases(Model m) {
    randomBiases(m);
    return m;
  }

  @Test
  void gruLastStepMatchesReference() {
    Rng.seed(80);
    INDArray x = data(24, 5, 3);
    INDArray y = FastEngineTest.classes(24, 2);
    var p = pair(() -> withBiases(new Sequential(List.of(Input.of(5, 3), new GRU(6, false), new Dense(1, "sigmoid")))),
        () -> new Adam(0.02), "binary_crossentropy");
    trainBoth(p, x, y, 5, 10);
  }

  @Test
  void stackedGruWithReturnSequencesMatchesReference() {
    Rng.seed(81);
    INDArray x = data(20, 4, 3);
    INDArray y = data(20, 2);
    var p = pair(() -> withBiases(new Sequential(List.of(Input.of(4, 3), new GRU(5, true), new GRU(3, false), new Dense(2)))),
        () -> new SGD(0.1, 0.9, false), "mean_squared_error");
    trainBoth(p, x, y, 4, 8);
  }

  @Test
  void gruWithOtherActivationsAndNoBiasMatchesReference() {
    Rng.seed(82);
    INDArray x = data(16, 3, 2);
    INDArray y = data(16, 3);
    var p = pair(() -> new Sequential(List.of(Input.of(3, 2), gru(4, "relu", "sigmoid", false, true), gru(3, "linear", "tanh", true, false),
        new Dense(3))), () -> new Adam(0.01), "mean_squared_error");
    trainBoth(p, x, y, 4, 8);
  }

  @Test
  void simpleRnnMatchesReference() {
    Rng.seed(83);
    INDArray x = data(20, 6, 3);
    INDArray y = data(20, 2);
    var p = pair(() -> withBiases(new Sequential(List.of(Input.of(6, 3), rnn(5, "tanh", true, true), rnn(4, "relu", false, false),
        new Dense(2)))), () -> new Adam(0.01), "mean_squared_error");
    trainBoth(p, x, y, 5, 8);
  }

  @Test
  void embeddingIntoGruAndSimpleRnnMatchesReference() {
    Rng.seed(84);
    float[][] v = new float[24][6];
    for (float[] row : v) for (int t = 0; t < 6; t++) row[t] = Rng.current().nextInt(7);
    INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(v);
    INDArray y = FastEngineTest.classes(24, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(6), new Embedding(7, 5), new SimpleRNN(6, true), new GRU(6, false),
        new Dense(1, "sigmoid"))), () -> new Adam(0.02), "binary_crossentropy");
    trainBoth(p, x, y, 4, 8);
  }

  /** GRU learns the token-order task through fit on the fast engine. */
  @Test
  void gruLearnsTokenOrderThroughFit() {
    Rng.seed(85);
    int n = 256;
    INDArray[] task = FastEngineTest.tokenOrder(n);
    INDArray x = task[0];
    INDArray y = task[1];
    Model m = new Sequential(List.of(Input.of(6), new Embedding(8, 8), new GRU(16, false), new Dense(1, "sigmoid")));
    TrainingSession.of(m).compile(new CompileConfig(new Adam(0.02), List.of(Loss.byName("binary_crossentropy")), List.of()));
    assertInstanceOf(FastEngine.class, TrainingSession.of(m).engine());
    List<Double> loss = TrainingSession.of(m).fit(x, y, new FitOptions().epochs(40).batchSize(32).seed(2).progress(null)).history().get("loss");
    assertTrue(loss.get(0) > 0.6 && loss.get(loss.size() - 1) < 0.15, "loss " + loss.get(0) + " -> " + loss.get(loss.size() - 1));
  }

  /**
   * Keras's GRU (reset_after=True) is PyTorch's GRU: the same weights (gates reordered z, r, h ->
   * r, z, n, matrices transposed) give PyTorch 1.13's outputs, on both engines. The expected
   * values come from torch.nn.GRU with these weights (script in the comment below).
   */
  @Test
  void gruGivesPyTorchsOutputs() {
    // F, u, T = 2, 3, 4; K[i][j] = 0.3 sin(7i + j), R[i][j] = 0.3 cos(5i + j),
    // B[r][j] = 0.2 (r + 1) sin(j + r), x[t][f] = sin(3t + f); out = torch.nn.GRU(...)(x).
    float[] expected = {0.05793009698390961f, 0.14636468887329102f, 0.1671409010887146f, 0.006696920841932297f,
        0.13128063082695007f, 0.17728541791439056f, 0.05820883810520172f, 0.21678413450717926f, 0.23962686955928802f,
        0.005021974444389343f, 0.215240016579628f, 0.2677013874053955f};
    float[][] k = new float[2][9];
    float[][] r = new float[3][9];
    float[][] b = new float[2][9];
    for (int i = 0; i < 2; i++) for (int j = 0; j < 9; j++) k[i][j] = (float) (0.3 * Math.sin(i * 7 + j));
    for (int i = 0; i < 3; i++) for (int j = 0; j < 9; j++) r[i][j] = (float) (0.3 * Math.cos(i * 5 + j));
    for (int i = 0; i < 2; i++) for (int j = 0; j < 9; j++) b[i][j] = (float) (0.2 * (i + 1) * Math.sin(j + i));
    float[][][] x = new float[1][4][2];
    for (int t = 0; t < 4; t++) for (int f = 0; f < 2; f++) x[0][t][f] = (float) Math.sin(t * 3 + f);
    for (boolean fast : new boolean[] {false, true}) {
      Model m = new Sequential(List.of(Input.of(4, 2), new GRU(3, true)));
      m.layers().get(m.layers().size() - 1).setWeights(List.of(org.nd4j.linalg.factory.Nd4j.createFromArray(k),
          org.nd4j.linalg.factory.Nd4j.createFromArray(r), org.nd4j.linalg.factory.Nd4j.createFromArray(b)));
      TrainingSession.of(m).compile(new CompileConfig(new Adam(0.01), List.of(Loss.byName("mse")), List.of()));
      if (!fast) TrainingSession.of(m).setEngineFactory(dln.runtime.train.SameDiffEngine::new);
      else assertInstanceOf(FastEngine.class, TrainingSession.of(m).engine());
      float[] out = TrainingSession.of(m).engine().predict(List.of(org.nd4j.linalg.factory.Nd4j.createFromArray(x))).get(0).dup('c')
          .data().asFloat();
      for (int i = 0; i < expected.length; i++) {
        assertTrue(Math.abs(out[i] - expected[i]) < 1e-5, (fast ? "fast" : "reference") + " [" + i + "] " + out[i] + " vs " + expected[i]);
      }
    }
  }

  /**
   * Shapes where the LSTM reference used to fail (SameDiff M2.1's strided_slice_bp on its step
   * slices: 4 input features with the gradient flowing on, or after a layer returning sequences)
   * now train on both engines: the recurrent layers read their steps with one unstack.
   */
  @Test
  void lstmShapesTheStepSlicesBrokeMatchReference() {
    Rng.seed(86);
    float[][] v = new float[20][6];
    for (float[] row : v) for (int t = 0; t < 6; t++) row[t] = Rng.current().nextInt(9);
    INDArray x = org.nd4j.linalg.factory.Nd4j.createFromArray(v);
    INDArray y = FastEngineTest.classes(20, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(6), new Embedding(9, 4), new dln.runtime.nn.layers.LSTM(5, false),
        new Dense(1, "sigmoid"))), () -> new Adam(0.02), "binary_crossentropy");
    trainBoth(p, x, y, 4, 8);
    Rng.seed(87);
    INDArray xs = data(16, 5, 3);
    INDArray ys = data(16, 2);
    var q = pair(() -> new Sequential(List.of(Input.of(5, 3), new SimpleRNN(4, true), new dln.runtime.nn.layers.LSTM(3, false),
        new Dense(2))), () -> new Adam(0.01), "mse");
    trainBoth(q, xs, ys, 4, 8);
  }

  private static GRU resetBefore(int units, boolean bias, boolean seq) {
    return new GRU(new GRU.Config(units, "tanh", "sigmoid", bias, seq, "glorot_uniform", "orthogonal", false, false), null);
  }

  /** reset_after=False (Keras 1's GRU: the candidate reads (r ⊙ h₋₁)·U_h) on the fast engine, stacked, with and without bias. */
  @Test
  void gruWithResetBeforeMatchesReference() {
    Rng.seed(88);
    INDArray x = data(20, 5, 3);
    INDArray y = data(20, 2);
    var p = pair(() -> withBiases(new Sequential(List.of(Input.of(5, 3), resetBefore(4, true, true), resetBefore(3, false, false),
        new Dense(2)))), () -> new Adam(0.02), "mean_squared_error");
    trainBoth(p, x, y, 5, 8);
    Model m = p.fast();
    assertNull(FastEngine.unsupportedReason(m, new CompileConfig(new Adam(0.01), List.of(Loss.byName("mse")), List.of())));
  }
}
