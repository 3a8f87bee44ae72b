package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Bidirectional;
import dln.runtime.nn.layers.Conv1D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.GlobalAveragePooling1D;
import dln.runtime.nn.layers.GlobalMaxPooling1D;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.layers.Masking;
import dln.runtime.nn.layers.SimpleRNN;
import dln.runtime.nn.layers.TimeDistributed;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import dln.runtime.train.SameDiffEngine;
import dln.runtime.train.session.TrainingSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Keras's masking of padded steps (Embedding(mask_zero=true), Masking) on both engines: the fast
 * engine held to the SameDiff reference with masks, a padded sequence giving the state of the
 * unpadded one, an LSTM held to hand-computed packed-sequence values (PyTorch's
 * pack_padded_sequence semantics), go_backwards, and the layers that refuse a mask.
 */
class MaskingTest {
  static final int STEPS = 6;

  /** Tokens 1..vocabulary-1, each row padded with 0 at its end (or start) to STEPS; lengths 1..STEPS. */
  static INDArray paddedTokens(int n, int vocabulary, boolean atStart) {
    float[][] v = new float[n][STEPS];
    for (int i = 0; i < n; i++) {
      int length = 1 + Rng.current().nextInt(STEPS);
      for (int k = 0; k < length; k++) v[i][atStart ? STEPS - length + k : k] = 1 + Rng.current().nextInt(vocabulary - 1);
    }
    return Nd4j.createFromArray(v);
  }

  static Embedding maskedEmbedding(int vocabulary, int dim) {
    return new Embedding(new Embedding.Config(vocabulary, dim, "random_uniform", true), null);
  }

  static LSTM lstm(int units, boolean sequences, boolean backwards) {
    return new LSTM(new LSTM.Config(units, "tanh", "sigmoid", true, sequences, "glorot_uniform", "orthogonal", true, backwards), null);
  }

  private static GRU gru(int units, boolean sequences, boolean backwards) {
    return new GRU(new GRU.Config(units, "tanh", "sigmoid", true, sequences, "glorot_uniform", "orthogonal", true, backwards), null);
  }

  private static SimpleRNN rnn(int units, boolean sequences, boolean backwards) {
    return new SimpleRNN(new SimpleRNN.Config(units, "tanh", true, sequences, "glorot_uniform", "orthogonal", backwards), null);
  }

  private static void trainBothOnPadded(Supplier<Model> model, boolean atStart, long seed) {
    Rng.seed(seed);
    INDArray x = paddedTokens(24, 9, atStart);
    INDArray y = FastEngineTest.classes(24, 2);
    trainBoth(pair(model, () -> new Adam(0.02), "binary_crossentropy"), x, y, 4, 8);
  }

  @Test
  void maskedRecurrentLayersMatchReference() {
    for (boolean atStart : new boolean[] {false, true}) {
      trainBothOnPadded(() -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), lstm(5, true, false), gru(4, false, false),
          new Dense(1, "sigmoid"))), atStart, 300);
      trainBothOnPadded(() -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), rnn(5, true, false), new Dropout(0.3),
          new TimeDistributed(new Dense(3, "tanh")), new Dense(3), new GlobalAveragePooling1D(), new Dense(1, "sigmoid"))), atStart, 301);
      trainBothOnPadded(() -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), new Bidirectional(lstm(3, true, false)),
          new Bidirectional(gru(3, false, false)), new Dense(1, "sigmoid"))), atStart, 302);
      trainBothOnPadded(() -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), new Bidirectional(gru(3, true, true)),
          new GlobalAveragePooling1D(), new Dense(1, "sigmoid"))), atStart, 303);
      trainBothOnPadded(() -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), lstm(4, false, true), new Dense(1, "sigmoid"))),
          atStart, 304);
    }
  }

  @Test
  void maskingLayerMatchesReference() {
    Rng.seed(304);
    INDArray x = FastEngineTest.data(20, STEPS, 3);
    // The last two steps of every other sample are padding.
    for (int i = 0; i < 20; i += 2) x.get(NDArrayIndex.point(i), NDArrayIndex.interval(STEPS - 2, STEPS), NDArrayIndex.all()).assign(0);
    INDArray y = FastEngineTest.data(20, 2);
    var p = pair(() -> new Sequential(List.of(Input.of(STEPS, 3), new Masking(0.0), gru(4, true, false), new Bidirectional(rnn(3, false,
        false)), new Dense(2))), () -> new Adam(0.02), "mse");
    trainBoth(p, x, y, 4, 8);
  }

  /**
   * Masking after a masked Embedding replaces the Embedding's mask with its own (Keras's
   * Masking.compute_mask ignores the input mask): both engines train it alike, and with the same
   * weights it predicts what the model without the Embedding's mask predicts.
   */
  @Test
  void maskingReplacesAnEmbeddingsMask() {
    Rng.seed(306);
    INDArray x = paddedTokens(16, 9, false);
    INDArray y = FastEngineTest.data(16, 1);
    Supplier<Model> masked = () -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 3), new Masking(0.0), lstm(4, false, false),
        new Dense(1)));
    trainBoth(pair(masked, () -> new Adam(0.02), "mse"), x, y, 3, 8);
    Model twice = masked.get();
    Model once = new Sequential(List.of(Input.of(STEPS), new Embedding(9, 3), new Masking(0.0), lstm(4, false, false), new Dense(1)));
    copyWeights(twice, once);
    for (boolean fast : new boolean[] {false, true}) assertClose(predict(once, fast, x), predict(twice, fast, x), 1e-6, "fast " + fast);
  }

  /** The model's prediction on one engine (fresh compile settings). */
  private static INDArray predict(Model m, boolean fast, INDArray x) {
    return predictAll(m, fast, List.of(x));
  }

  /** {@link #predict} for a model of several inputs. */
  private static INDArray predictAll(Model m, boolean fast, List<INDArray> x) {
    TrainingSession.of(m).compile(new CompileConfig(new Adam(0.01), List.of(Loss.byName("mse")), List.of()));
    if (fast) TrainingSession.of(m).setEngineFactory(FastEngine::create);
    else TrainingSession.of(m).setEngineFactory(SameDiffEngine::new);
    if (fast) assertInstanceOf(FastEngine.class, TrainingSession.of(m).engine(), () -> FastEngine.unsupportedReason(m, TrainingSession.of(m).compileConfig()));
    return TrainingSession.of(m).engine().predict(x).get(0);
  }

  private static void copyWeights(Model from, Model to) {
    for (int i = 0; i < from.layers().size(); i++) {
      List<INDArray> copies = new ArrayList<>();
      for (INDArray w : from.layers().get(i).getWeights()) copies.add(w.dup());
      to.layers().get(i).setWeights(copies);
    }
  }

  /** {@code a·sin(b·i + j + 1)} for a (rows, 4·units) kernel, as backwards_stack_reference.py sets it. */
  private static INDArray sines(int rows, int units, double a, double b) {
    float[][] w = new float[rows][4 * units];
    for (int i = 0; i < rows; i++) for (int j = 0; j < 4 * units; j++) w[i][j] = (float) (a * Math.sin(b * i + j + 1));
    return Nd4j.createFromArray(w);
  }

  /**
   * A masked go_backwards stack (Masking, LSTM(go_backwards, return_sequences), LSTM) gives Keras's
   * values on both engines, hand-computed in float64 by test resource
   * masking/backwards_stack_reference.py: the backwards layer returns its outputs in processing
   * order (reversed) with the input's mask unchanged, and the next LSTM reads them under that mask.
   */
  @Test
  void aMaskedBackwardsStackGivesKerasValues() throws IOException {
    int f = 2;
    int u1 = 3;
    int u2 = 2;
    int steps = 5;
    int[] lengths = {5, 3, 1};
    float[] b1 = new float[4 * u1];
    for (int j = 0; j < b1.length; j++) b1[j] = (float) (0.2 * Math.sin(j + 1));
    float[] b2 = new float[4 * u2];
    for (int j = 0; j < b2.length; j++) b2[j] = (float) (0.1 * Math.cos(j));
    List<INDArray> first = List.of(sines(f, u1, 0.3, 7), sines(u1, u1, 0.3, 5), Nd4j.createFromArray(b1));
    List<INDArray> second = List.of(sines(u1, u2, 0.4, 3), sines(u2, u2, 0.3, 2), Nd4j.createFromArray(b2));
    float[][][] x = new float[3][steps][f];
    for (int n = 0; n < 3; n++) for (int t = 0; t < lengths[n]; t++) for (int c = 0; c < f; c++) x[n][t][c] = (float) Math.sin(3 * t + c + n);
    INDArray in = Nd4j.createFromArray(x);
    String file = "backwards_stack_reference.txt";
    for (boolean fast : new boolean[] {false, true}) {
      Model one = new Sequential(List.of(Input.of(steps, f), new Masking(0.0), lstm(u1, true, true)));
      one.layers().get(one.layers().size() - 1).setWeights(first);
      assertClose(Nd4j.createFromArray(reference(file, "backwards_sequence")).reshape(3, steps, u1), predict(one, fast, in), 1e-5,
          "backwards sequence, fast " + fast);
      Model stack = new Sequential(List.of(Input.of(steps, f), new Masking(0.0), lstm(u1, true, true), lstm(u2, false, false)));
      int top = stack.layers().size();
      stack.layers().get(top - 2).setWeights(first);
      stack.layers().get(top - 1).setWeights(second);
      assertClose(Nd4j.createFromArray(reference(file, "stack_last")).reshape(3, u2), predict(stack, fast, in), 1e-5, "stack, fast " + fast);
    }
  }

  /**
   * A masked go_backwards LSTM stack over sequences padded at their start trains alike on both
   * engines. Padded at their end, and a GRU → SimpleRNN stack, it does not: there the
   * reference's gradients are wrong (SameDiff M2.1 gave zero for every gradient of one such batch,
   * the Dense bias's included), while the fast engine's are the numerical ones (see
   * {@link #maskedBackwardsStacksHaveTheNumericalGradient}).
   */
  @Test
  void aMaskedBackwardsStackTrainsAlike() {
    trainBothOnPadded(() -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), lstm(4, true, true), lstm(3, false, false),
        new Dense(1, "sigmoid"))), true, 307);
  }

  /**
   * The fast engine's gradient of masked go_backwards stacks (rows padded at their end and at their
   * start) is the loss's central difference, weight by weight: one SGD step of rate 1 gives the
   * gradient, evaluate gives the loss. (The reference engine fails this: see
   * {@link #aMaskedBackwardsStackTrainsAlike}.)
   */
  @Test
  void maskedBackwardsStacksHaveTheNumericalGradient() {
    float[][] tokens = {{3, 5, 2, 0, 0, 0}, {0, 0, 4, 1, 7, 2}, {6, 1, 8, 3, 0, 0}};
    float[][] labels = {{1}, {0.5f}, {-0.7f}};
    List<Supplier<Model>> models = List.of(
        () -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), lstm(4, true, true), lstm(3, false, false), new Dense(1))),
        () -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), gru(4, true, true), gru(3, false, false), new Dense(1))),
        () -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), rnn(4, true, true), rnn(3, false, false), new Dense(1))),
        () -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), lstm(4, true, true), new GlobalAveragePooling1D(), new Dense(1))));
    for (Supplier<Model> model : models) assertEquals(null, numericalGradientMismatch(model, tokens, labels));
  }

  /** The first weight whose gradient on the fast engine is not the loss's central difference, or null. */
  private static String numericalGradientMismatch(Supplier<Model> build, float[][] tokens, float[][] labels) {
    Rng.seed(309);
    Model m = build.get();
    TrainingSession.of(m).compile(new CompileConfig(new dln.runtime.train.SGD(1.0, 0.0, false), List.of(Loss.byName("mse")), List.of()));
    TrainingSession.of(m).setEngineFactory(FastEngine::create);
    var engine = TrainingSession.of(m).engine();
    assertInstanceOf(FastEngine.class, engine);
    List<INDArray> x = List.of(Nd4j.createFromArray(tokens));
    List<INDArray> y = List.of(Nd4j.createFromArray(labels));
    List<INDArray> before = new ArrayList<>();
    for (Model.WeightRef r : m.weightRefs()) before.add(r.weight().value().dup());
    engine.trainStep(x, y, 0);
    double h = 1e-2;
    List<INDArray> gradients = new ArrayList<>();
    for (int i = 0; i < before.size(); i++) {
      INDArray w = m.weightRefs().get(i).weight().value();
      gradients.add(before.get(i).sub(w));
      w.assign(before.get(i));
    }
    for (int i = 0; i < before.size(); i++) {
      INDArray w = m.weightRefs().get(i).weight().value();
      INDArray gradient = gradients.get(i);
      for (long k = 0; k < w.length(); k++) {
        double v = w.getDouble(k);
        w.putScalar(k, v + h);
        double up = engine.evaluate(x, y).loss();
        w.putScalar(k, v - h);
        double down = engine.evaluate(x, y).loss();
        w.putScalar(k, v);
        double numeric = (up - down) / (2 * h);
        if (Math.abs(numeric - gradient.getDouble(k)) > 2e-3 + 1e-2 * Math.abs(numeric)) {
          return m.weightRefs().get(i).weight().fullName() + "[" + k + "] numeric " + numeric + " analytic " + gradient.getDouble(k);
        }
      }
    }
    return null;
  }

  /**
   * A loss on a masked sequence output is the mean over the kept steps only, as Keras's
   * apply_valid_mask makes it (padded steps count for nothing; sample weights multiply in): both
   * engines train alike and give the hand-computed value from their own predictions.
   */
  @Test
  void aMaskedSequenceLossIsTheMeanOverKeptSteps() {
    Supplier<Model> model = () -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 3), lstm(4, true, false),
        new TimeDistributed(new Dense(2)), new Dense(2)));
    Rng.seed(310);
    INDArray x = paddedTokens(12, 9, false);
    INDArray y = FastEngineTest.data(12, STEPS, 2);
    var p = pair(model, () -> new Adam(0.02), "mse");
    trainBoth(p, x, y, 3, 6);
    INDArray sw = Nd4j.createFromArray(new float[] {1, 2, 0.5f, 1, 3, 1, 1, 0, 1, 2, 1, 1});
    for (var engine : List.of(p.refEngine(), p.fastEngine())) {
      INDArray out = engine.predict(List.of(x)).get(0);
      double sum = 0;
      double weighted = 0;
      int kept = 0;
      for (int n = 0; n < 12; n++) {
        for (int t = 0; t < STEPS; t++) {
          if (x.getFloat(n, t) == 0) continue;
          kept++;
          double l = 0;
          for (int k = 0; k < 2; k++) l += Math.pow(out.getDouble(n, t, k) - y.getDouble(n, t, k), 2) / 2;
          sum += l;
          weighted += sw.getDouble(n) * l;
        }
      }
      String what = engine.getClass().getSimpleName();
      assertEquals(sum / kept, engine.evaluate(List.of(x), List.of(y)).loss(), 1e-5, what + " evaluate");
      // The loss a training step reports is that of the weights before its update.
      assertEquals(weighted / kept, engine.trainStep(List.of(x), List.of(y), sw, 0).loss(), 1e-5, what + " weighted");
    }
  }

  /** Each recurrent layer (and Bidirectional) gives a sequence padded at its end the last state of the unpadded sequence. */
  @Test
  void aPaddedSequenceGivesTheStateOfTheUnpaddedOne() {
    List<Supplier<Layer>> layers = List.of(() -> lstm(4, false, false), () -> gru(4, false, false), () -> rnn(4, false, false),
        () -> new Bidirectional(lstm(3, false, false)), () -> lstm(4, false, true));
    for (Supplier<Layer> layer : layers) {
      Rng.seed(305);
      Model padded = new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 3), layer.get()));
      Model shorter = new Sequential(List.of(Input.of(4), maskedEmbedding(9, 3), layer.get()));
      copyWeights(padded, shorter);
      float[][] tokens = {{3, 1, 4, 1, 0, 0}, {5, 2, 6, 5, 0, 0}};
      INDArray x = Nd4j.createFromArray(tokens);
      INDArray cut = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).dup();
      for (boolean fast : new boolean[] {false, true}) {
        String what = padded.layers().get(padded.layers().size() - 1).typeName() + (fast ? " fast" : " reference");
        assertClose(predict(shorter, fast, cut), predict(padded, fast, x), 1e-5, what);
      }
    }
  }

  private static float[] reference(String name) throws IOException {
    return reference("packed_lstm_reference.txt", name);
  }

  private static float[] reference(String file, String name) throws IOException {
    try (InputStream in = MaskingTest.class.getResourceAsStream("/masking/" + file)) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] parts = line.trim().split(" ");
        if (!parts[0].equals(name)) continue;
        float[] v = new float[parts.length - 1];
        for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(parts[i + 1]);
        return v;
      }
    }
    throw new IllegalStateException("no reference " + name);
  }

  /**
   * An LSTM after Masking gives what an LSTM over packed sequences (PyTorch's
   * pack_padded_sequence: each sequence only over its own length) gives: the last state, and
   * Bidirectional's every step (zero at the padded steps). The values are hand-computed in float64
   * by test resource masking/packed_lstm_reference.py, which sets the same weights.
   */
  @Test
  void lstmOverPaddedStepsGivesThePackedSequenceValues() throws IOException {
    int f = 2;
    int u = 3;
    int steps = 5;
    int[] lengths = {5, 3, 1};
    float[][] k = new float[f][4 * u];
    float[][] r = new float[u][4 * u];
    float[] b = new float[4 * u];
    for (int i = 0; i < f; i++) for (int j = 0; j < 4 * u; j++) k[i][j] = (float) (0.3 * Math.sin(7 * i + j));
    for (int i = 0; i < u; i++) for (int j = 0; j < 4 * u; j++) r[i][j] = (float) (0.3 * Math.cos(5 * i + j));
    for (int j = 0; j < 4 * u; j++) b[j] = (float) (0.2 * Math.sin(j + 1));
    float[][][] x = new float[3][steps][f];
    for (int n = 0; n < 3; n++) for (int t = 0; t < lengths[n]; t++) for (int c = 0; c < f; c++) x[n][t][c] = (float) Math.sin(3 * t + c + n);
    INDArray in = Nd4j.createFromArray(x);
    List<INDArray> forward = List.of(Nd4j.createFromArray(k), Nd4j.createFromArray(r), Nd4j.createFromArray(b));
    List<INDArray> both = new ArrayList<>(forward);
    for (INDArray w : forward) both.add(w.neg());
    for (boolean fast : new boolean[] {false, true}) {
      Model last = new Sequential(List.of(Input.of(steps, f), new Masking(0.0), new LSTM(u, false)));
      last.layers().get(last.layers().size() - 1).setWeights(forward);
      assertClose(Nd4j.createFromArray(reference("last")), predict(last, fast, in), 1e-5, "last state " + fast);
      Model bidir = new Sequential(List.of(Input.of(steps, f), new Masking(0.0), new Bidirectional(new LSTM(u, true))));
      bidir.layers().get(bidir.layers().size() - 1).setWeights(both);
      assertClose(Nd4j.createFromArray(reference("bidir")), predict(bidir, fast, in), 1e-5, "bidirectional " + fast);
    }
  }

  /** go_backwards reads the sequence last step first and returns its outputs in that order (Keras). */
  @Test
  void goBackwardsIsTheLayerOnTheReversedSequence() {
    Rng.seed(306);
    INDArray x = FastEngineTest.data(3, STEPS, 2);
    INDArray reversed = x.dup();
    for (int t = 0; t < STEPS; t++) {
      reversed.get(NDArrayIndex.all(), NDArrayIndex.point(t), NDArrayIndex.all())
          .assign(x.get(NDArrayIndex.all(), NDArrayIndex.point(STEPS - 1 - t), NDArrayIndex.all()));
    }
    for (boolean sequences : new boolean[] {false, true}) {
      Model backwards = new Sequential(List.of(Input.of(STEPS, 2), gru(3, sequences, true)));
      Model plain = new Sequential(List.of(Input.of(STEPS, 2), gru(3, sequences, false)));
      copyWeights(backwards, plain);
      for (boolean fast : new boolean[] {false, true}) {
        assertClose(predict(plain, fast, reversed), predict(backwards, fast, x), 1e-5, "go_backwards " + sequences + " " + fast);
      }
    }
  }

  /** Two token inputs, each through its own masked Embedding, merged by {@code merge}, then read by {@code reader}. */
  private static Model mergedTokens(Supplier<Layer> merge, Layer reader) {
    dln.runtime.nn.SymbolicTensor a = Input.of(STEPS);
    dln.runtime.nn.SymbolicTensor b = Input.of(STEPS);
    dln.runtime.nn.SymbolicTensor m = merge.get().apply(List.of(maskedEmbedding(9, 3).apply(a), maskedEmbedding(9, 3).apply(b))).get(0);
    return new Model(List.of(a, b), List.of(new Dense(1).apply(reader.apply(m))));
  }

  /**
   * Merges of masked inputs (Add, Multiply, Subtract, Average, Maximum, Concatenate on features)
   * keep a step where every masked input keeps it, as Keras's compute_mask does: both engines
   * train alike, with one mask shared by the branches, with two different masks (ANDed), and with
   * one input unmasked.
   */
  @Test
  void masksThroughMergesMatchReference() {
    List<Supplier<Layer>> merges = List.of(dln.runtime.nn.layers.Add::new, dln.runtime.nn.layers.Multiply::new,
        dln.runtime.nn.layers.Subtract::new, dln.runtime.nn.layers.Average::new, dln.runtime.nn.layers.Maximum::new,
        dln.runtime.nn.layers.Concatenate::new);
    for (Supplier<Layer> merge : merges) {
      Rng.seed(311);
      List<INDArray> x = List.of(paddedTokens(16, 9, false), paddedTokens(16, 9, true));
      INDArray y = FastEngineTest.data(16, 1);
      trainBoth(pair(() -> mergedTokens(merge, lstm(3, false, false)), () -> new Adam(0.02), "mse"), x, y, 3, 8);
    }
    Rng.seed(312);
    INDArray tokens = paddedTokens(16, 9, false);
    INDArray y = FastEngineTest.data(16, 1);
    // One mask on both branches: a recurrent branch and a per-step branch, added.
    trainBoth(pair(() -> {
      dln.runtime.nn.SymbolicTensor in = Input.of(STEPS);
      dln.runtime.nn.SymbolicTensor e = maskedEmbedding(9, 3).apply(in);
      dln.runtime.nn.SymbolicTensor sum = new dln.runtime.nn.layers.Add().apply(List.of(lstm(3, true, false).apply(e),
          new TimeDistributed(new Dense(3)).apply(e))).get(0);
      return new Model(List.of(in), List.of(new Dense(1).apply(gru(2, false, false).apply(sum))));
    }, () -> new Adam(0.02), "mse"), tokens, y, 3, 8);
    // One input masked, the other not: the masked one's mask goes on.
    trainBoth(pair(() -> {
      dln.runtime.nn.SymbolicTensor in = Input.of(STEPS);
      dln.runtime.nn.SymbolicTensor features = Input.of(STEPS, 3);
      dln.runtime.nn.SymbolicTensor joined = new dln.runtime.nn.layers.Concatenate().apply(List.of(maskedEmbedding(9, 3).apply(in), features)).get(0);
      return new Model(List.of(in, features), List.of(new Dense(1).apply(lstm(3, false, false).apply(joined))));
    }, () -> new Adam(0.02), "mse"), List.of(tokens, FastEngineTest.data(16, STEPS, 3)), y, 3, 8);
  }

  /**
   * A merge of two masked inputs keeps only the steps both keep: its LSTM's last state is that of
   * the sequences cut to the common kept prefix, on both engines.
   */
  @Test
  void aMergeOfTwoMasksKeepsTheStepsBothKeep() {
    Rng.seed(313);
    Model padded = mergedTokens(dln.runtime.nn.layers.Add::new, lstm(4, false, false));
    dln.runtime.nn.SymbolicTensor a = Input.of(3);
    dln.runtime.nn.SymbolicTensor b = Input.of(3);
    Model cut = new Model(List.of(a, b), List.of(new Dense(1).apply(lstm(4, false, false).apply(
        new dln.runtime.nn.layers.Add().apply(List.of(maskedEmbedding(9, 3).apply(a), maskedEmbedding(9, 3).apply(b))).get(0)))));
    copyWeights(padded, cut);
    INDArray xa = Nd4j.createFromArray(new float[][] {{3, 1, 4, 1, 0, 0}, {2, 7, 1, 8, 2, 0}});
    INDArray xb = Nd4j.createFromArray(new float[][] {{5, 2, 6, 0, 0, 0}, {6, 6, 2, 0, 0, 0}});
    List<INDArray> shorter = List.of(xa.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).dup(),
        xb.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).dup());
    for (boolean fast : new boolean[] {false, true}) {
      assertClose(predictAll(cut, fast, shorter), predictAll(padded, fast, List.of(xa, xb)), 1e-5, "merged masks, fast " + fast);
    }
  }

  /** Self-attention over masked tokens, then an LSTM reading the query's mask the attention hands on. */
  private static Model selfAttention(int steps) {
    dln.runtime.nn.SymbolicTensor in = Input.of(steps);
    dln.runtime.nn.SymbolicTensor e = maskedEmbedding(9, 4).apply(in);
    dln.runtime.nn.SymbolicTensor a = new dln.runtime.nn.layers.MultiHeadAttention(2, 3).apply(List.of(e, e)).get(0);
    return new Model(List.of(in), List.of(new Dense(1).apply(lstm(3, false, false).apply(a))));
  }

  /**
   * MultiHeadAttention over masked inputs (Keras's automatic attention mask: query step i attends
   * to value step j only where both are kept; the output carries the query's mask): both engines
   * train alike, for self-attention and for a query and value with different masks.
   */
  @Test
  void attentionOverMaskedInputsMatchesReference() {
    Rng.seed(314);
    INDArray tokens = paddedTokens(16, 9, false);
    INDArray y = FastEngineTest.data(16, 1);
    trainBoth(pair(() -> selfAttention(STEPS), () -> new Adam(0.02), "mse"), tokens, y, 3, 8);
    List<INDArray> x = List.of(paddedTokens(16, 9, true), paddedTokens(16, 9, false));
    trainBoth(pair(() -> {
      dln.runtime.nn.SymbolicTensor q = Input.of(STEPS);
      dln.runtime.nn.SymbolicTensor v = Input.of(STEPS);
      dln.runtime.nn.SymbolicTensor a = new dln.runtime.nn.layers.MultiHeadAttention(2, 3).apply(
          List.of(maskedEmbedding(9, 4).apply(q), maskedEmbedding(9, 4).apply(v))).get(0);
      return new Model(List.of(q, v), List.of(new Dense(1).apply(new GlobalAveragePooling1D().apply(a))));
    }, () -> new Adam(0.02), "mse"), x, y, 3, 8);
  }

  /** Padded steps take no part in self-attention: the padded sequence gives what the unpadded one gives, on both engines. */
  @Test
  void attentionIgnoresPaddedSteps() {
    Rng.seed(315);
    Model padded = selfAttention(STEPS);
    Model cut = selfAttention(4);
    copyWeights(padded, cut);
    INDArray x = Nd4j.createFromArray(new float[][] {{3, 1, 4, 1, 0, 0}, {5, 2, 6, 5, 0, 0}});
    INDArray shorter = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).dup();
    for (boolean fast : new boolean[] {false, true}) {
      assertClose(predict(cut, fast, shorter), predict(padded, fast, x), 1e-5, "attention, fast " + fast);
    }
  }

  @Test
  void layersThatCannotHonourAMaskRefuseIt() {
    for (Supplier<Layer> l : List.<Supplier<Layer>>of(Flatten::new, GlobalMaxPooling1D::new, () -> new Conv1D(4, 2, "linear"))) {
      DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
          () -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), l.get())));
      assertTrue(e.getMessage().contains("does not support masking"), e.getMessage());
    }
    // Without mask_zero, or after a layer that consumed the mask, the same layers are fine.
    new Sequential(List.of(Input.of(STEPS), new Embedding(9, 4), new Flatten()));
    Model m = new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), lstm(3, false, false), new Dense(2)));
    assertFalse(m.outputs().get(0).masked());
    assertTrue(new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4), lstm(3, true, false))).outputs().get(0).masked());
  }

  /**
   * A nested model applied to a masked tensor hands the mask through its own layers, as a Keras
   * functional model does: both engines train alike, a padded sequence gives the state of the
   * unpadded one through the nested recurrent layers, a mask handed on by the nested model reaches
   * the layer after it, and a layer inside that cannot honour the mask refuses it by name.
   */
  @Test
  void nestedModelsCarryTheMaskOfTheirInput() {
    for (boolean atStart : new boolean[] {false, true}) {
      trainBothOnPadded(() -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 3),
          new Sequential(List.of(Input.of(STEPS, 3), lstm(4, true, false), gru(3, false, false))), new Dense(1, "sigmoid"))), atStart, 307);
      // The nested model's output is a masked sequence (a Dense per step): the LSTM after it reads the mask.
      trainBothOnPadded(() -> {
        var tokens = Input.of(STEPS);
        var perStep = new Sequential(List.of(Input.of(STEPS, 3), new Dense(4, "tanh")));
        var seq = perStep.apply(maskedEmbedding(9, 3).apply(tokens));
        assertTrue(seq.masked(), "the nested model hands the mask on");
        return new Model(List.of(tokens), List.of(new Dense(1, "sigmoid").apply(lstm(3, false, false).apply(seq))));
      }, atStart, 308);
    }
    Rng.seed(309);
    Model padded = new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 3), new Sequential(List.of(Input.of(STEPS, 3), lstm(4, false, false)))));
    Model shorter = new Sequential(List.of(Input.of(4), maskedEmbedding(9, 3), new Sequential(List.of(Input.of(4, 3), lstm(4, false, false)))));
    copyNestedWeights(padded, shorter);
    INDArray x = Nd4j.createFromArray(new float[][] {{3, 1, 4, 1, 0, 0}, {5, 2, 6, 5, 0, 0}});
    INDArray cut = x.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 4)).dup();
    for (boolean fast : new boolean[] {false, true}) assertClose(predict(shorter, fast, cut), predict(padded, fast, x), 1e-5, "nested, fast " + fast);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> new Sequential(List.of(Input.of(STEPS), maskedEmbedding(9, 4),
        new Sequential(List.of(Input.of(STEPS, 4), new Dense(2), new Flatten())))));
    assertTrue(e.getMessage().contains("Flatten") && e.getMessage().contains("does not support masking"), e.getMessage());
  }

  /** {@link #copyWeights} into nested models too (the same structure, layer by layer). */
  private static void copyNestedWeights(Model from, Model to) {
    for (int i = 0; i < from.layers().size(); i++) {
      if (from.layers().get(i) instanceof Model inner) {
        copyNestedWeights(inner, (Model) to.layers().get(i));
        continue;
      }
      List<INDArray> copies = new ArrayList<>();
      for (INDArray w : from.layers().get(i).getWeights()) copies.add(w.dup());
      to.layers().get(i).setWeights(copies);
    }
  }

  @Test
  void maskingHasNoParametersKeepsItsShapeAndRoundTripsThroughJson() {
    Model m = new Sequential(List.of(Input.of(STEPS, 3), new Masking(-1.0), lstm(2, true, true)));
    Layer masking = m.layers().get(m.layers().size() - 2);
    assertEquals(0, masking.countParams());
    assertEquals("[-1, 6, 3]", java.util.Arrays.toString(masking.outputShapes(List.of(new long[] {-1, STEPS, 3})).get(0)));
    assertEquals(new Masking.Config(-1.0), LayerRegistry.fromJson(LayerRegistry.toJson(masking)).config());
    Layer emb = maskedEmbedding(10, 4);
    assertEquals(emb.config(), LayerRegistry.fromJson(LayerRegistry.toJson(emb)).config());
    new Sequential(List.of(Input.of(STEPS), emb));
    assertEquals(40, emb.countParams());
    Layer backwards = m.layers().get(m.layers().size() - 1);
    assertEquals(backwards.config(), LayerRegistry.fromJson(LayerRegistry.toJson(backwards)).config());
  }

  private static void assertClose(INDArray expected, INDArray got, double tol, String what) {
    float[] e = expected.dup('c').data().asFloat();
    float[] g = got.dup('c').data().asFloat();
    assertEquals(e.length, g.length, what + ": sizes");
    for (int i = 0; i < e.length; i++) assertTrue(Math.abs(e[i] - g[i]) < tol, what + " [" + i + "] " + g[i] + " vs " + e[i]);
  }
}
