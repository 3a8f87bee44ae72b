package dln.runtime.train.fast;

import static dln.runtime.train.fast.FastEngineTest.data;
import static dln.runtime.train.fast.FastEngineTest.pair;
import static dln.runtime.train.fast.FastEngineTest.trainBoth;
import static org.junit.jupiter.api.Assertions.assertNull;

import dln.runtime.Rng;
import dln.runtime.nn.Activations;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Bidirectional;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.Masking;
import dln.runtime.nn.layers.RecurrentLayer;
import dln.runtime.nn.layers.SimpleRNN;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The recurrent cells with activations other than tanh / sigmoid / relu / linear (elu, selu, gelu,
 * swish, softplus, leaky_relu: derivatives from kept pre-activations; softmax: from its outputs,
 * normalised per gate) on the fast engine, held to the SameDiff reference: losses, outputs and
 * every weight after several steps, with and without return_sequences, and under a mask.
 */
class RecurrentActivationsTest {
  private static LSTM lstm(int units, String act, String gate, boolean seq) {
    return new LSTM(new LSTM.Config(units, act, gate, true, seq, "glorot_uniform", "orthogonal", true, false), null);
  }

  private static GRU gru(int units, String act, String gate, boolean resetAfter, boolean seq) {
    return new GRU(new GRU.Config(units, act, gate, true, seq, "glorot_uniform", "orthogonal", resetAfter, false), null);
  }

  private static SimpleRNN rnn(int units, String act, boolean seq) {
    return new SimpleRNN(new SimpleRNN.Config(units, act, true, seq, "glorot_uniform", "orthogonal", false), null);
  }

  /** A non-zero bias on every recurrent layer, so that the activations see both signs from the first step. */
  private static Model withBiases(Model m) {
    for (Layer l : m.layers()) {
      List<Layer> cells = l instanceof Bidirectional b ? List.of(b.forwardLayer(), b.backwardLayer()) : List.of(l);
      for (Layer c : cells) {
        if (c instanceof RecurrentLayer<?> && c.weight("bias") != null) c.weight("bias").value().assign(Rng.normal(c.weight("bias").shape(), 0, 0.3));
      }
    }
    return m;
  }

  /**
   * Two seeded copies of Input(steps, 3) → these layers (fresh per copy) → Dense(2), non-zero
   * recurrent biases, trained alike with Adam on mse for 4 steps of 8; held to each other.
   */
  private static void matchesReference(long seed, int steps, Supplier<List<Layer>> layers) {
    Rng.seed(seed);
    INDArray x = data(16, steps, 3);
    INDArray y = data(16, 2);
    var p = pair(() -> {
      List<Object> all = new ArrayList<>(List.of(Input.of(steps, 3)));
      all.addAll(layers.get());
      all.add(new Dense(2));
      return withBiases(new Sequential(all));
    }, () -> new Adam(0.01), "mse");
    trainBoth(p, x, y, 4, 8);
  }

  @Test
  void lstmWithOtherActivationsMatchesReference() {
    matchesReference(120, 5, () -> List.of(lstm(4, "selu", "softplus", true), lstm(4, "gelu", "swish", true),
        lstm(3, "leaky_relu", "elu", false)));
  }

  @Test
  void gruWithOtherActivationsMatchesReference() {
    matchesReference(121, 5, () -> List.of(gru(4, "swish", "softplus", true, true), gru(4, "elu", "gelu", false, true),
        gru(3, "selu", "leaky_relu", true, false)));
  }

  @Test
  void simpleRnnWithOtherActivationsMatchesReference() {
    matchesReference(122, 5, () -> List.of(rnn(4, "gelu", true), rnn(4, "selu", true), rnn(4, "softplus", true), rnn(4, "swish", true),
        rnn(4, "leaky_relu", true), rnn(3, "elu", false)));
    matchesReference(125, 5, () -> List.of(rnn(3, "softmax", false)));
  }

  /** Softmax normalises each gate of each row on its own, forward and backward, as the reference's per-gate slices. */
  @Test
  void softmaxGatesMatchReference() {
    matchesReference(123, 4, () -> List.of(lstm(4, "softmax", "softmax", true), gru(3, "softmax", "softmax", true, false)));
  }

  /** Padded steps under a Masking layer, the kept pre-activations of carried rows never read. */
  @Test
  void maskedBidirectionalWithOtherActivationsMatchesReference() {
    Rng.seed(124);
    int steps = 6;
    INDArray x = data(16, steps, 3);
    for (int i = 0; i < 16; i += 2) x.get(NDArrayIndex.point(i), NDArrayIndex.interval(steps - 2, steps), NDArrayIndex.all()).assign(0);
    INDArray y = data(16, 2);
    var p = pair(() -> withBiases(new Sequential(List.of(Input.of(steps, 3), new Masking(0.0),
        new Bidirectional(new Bidirectional.Config(lstm(3, "elu", "softplus", true), "concat"), null), gru(3, "gelu", "swish", true, false),
        new Dense(2)))), () -> new Adam(0.02), "mse");
    trainBoth(p, x, y, 4, 8);
  }

  /** Every activation DLN accepts, as activation and as recurrent activation of each recurrent layer, compiles on the fast engine. */
  @Test
  void everyActivationCompilesOnTheFastEngine() {
    CompileConfig cfg = new CompileConfig(new Adam(0.01), List.of(Loss.byName("mse")), List.of());
    for (String a : Activations.NAMES) {
      for (Layer l : List.of(lstm(2, a, "sigmoid", false), lstm(2, "tanh", a, false), gru(2, a, "sigmoid", true, false),
          gru(2, "tanh", a, false, false), rnn(2, a, false), new Bidirectional(new Bidirectional.Config(lstm(2, a, a, false), "sum"), null))) {
        Model m = new Sequential(List.of(Input.of(3, 2), l));
        assertNull(FastEngine.unsupportedReason(m, cfg), a + " on " + l.typeName());
      }
    }
  }
}
