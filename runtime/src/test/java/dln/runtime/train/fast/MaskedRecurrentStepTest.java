package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.SimpleRNN;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The recurrent driver's mask, Keras's semantics: a masked step keeps the previous state, so a
 * sequence padded at the end gives the last state of its unpadded part, and one padded at the
 * start (state zero until the first kept step) gives that of the same unpadded part; the weight
 * gradients equal those of the shorter sequence too.
 */
class MaskedRecurrentStepTest {
  private static final int STEPS = 6;
  private static final int KEPT = 4;

  @Test
  void paddedStepsCarryTheStateForEveryCell() {
    check(l -> new LSTMStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.TANH, Act.SIGMOID, false, false, STEPS),
        l -> new LSTMStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.TANH, Act.SIGMOID, false, false, KEPT),
        new LSTM(5, false));
    for (boolean after : new boolean[] {true, false}) {
      GRU gru = new GRU(new GRU.Config(5, "tanh", "sigmoid", true, false, "glorot_uniform", "orthogonal", after, false), null);
      check(l -> new GRUStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.TANH, Act.SIGMOID, after, false,
          false, STEPS), l -> new GRUStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.TANH, Act.SIGMOID, after,
          false, false, KEPT), gru);
    }
    check(l -> new SimpleRNNStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.TANH, false, false, STEPS),
        l -> new SimpleRNNStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.TANH, false, false, KEPT),
        new SimpleRNN(5, false));
  }

  /** The same with activations whose derivatives read the kept pre-activations (carried rows keep none). */
  @Test
  void paddedStepsCarryTheStateWithOtherActivations() {
    LSTM lstm = new LSTM(new LSTM.Config(5, "gelu", "softplus", true, false, "glorot_uniform", "orthogonal", true, false), null);
    check(l -> new LSTMStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.GELU, Act.SOFTPLUS, false, false, STEPS),
        l -> new LSTMStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.GELU, Act.SOFTPLUS, false, false, KEPT),
        lstm);
    for (boolean after : new boolean[] {true, false}) {
      GRU gru = new GRU(new GRU.Config(5, "elu", "swish", true, false, "glorot_uniform", "orthogonal", after, false), null);
      check(l -> new GRUStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.ELU, Act.SWISH, after, false,
          false, STEPS), l -> new GRUStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.ELU, Act.SWISH, after,
          false, false, KEPT), gru);
    }
    SimpleRNN rnn = new SimpleRNN(new SimpleRNN.Config(5, "selu", true, false, "glorot_uniform", "orthogonal", false), null);
    check(l -> new SimpleRNNStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.SELU, false, false, STEPS),
        l -> new SimpleRNNStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.SELU, false, false, KEPT), rnn);
  }

  private static void check(Function<Layer, RecurrentStep> padded, Function<Layer, RecurrentStep> shorter, Layer layer) {
    Rng.seed(90);
    new Sequential(List.of(Input.of(STEPS, 3), layer));
    if (layer.weight("bias") != null) layer.weight("bias").value().assign(Rng.normal(layer.weight("bias").shape(), 0, 0.3));
    int batch = 2;
    INDArray x = Rng.normal(new long[] {batch, STEPS, 3}, 0, 1);
    INDArray dOut = Rng.normal(new long[] {batch, 5}, 0, 1);
    for (boolean atEnd : new boolean[] {true, false}) {
      int from = atEnd ? 0 : STEPS - KEPT;
      float[] keep = new float[STEPS * batch];
      for (int t = from; t < from + KEPT; t++) for (int r = 0; r < batch; r++) keep[r * STEPS + t] = 1f;
      RecurrentStep a = padded.apply(layer);
      a.mask(keep);
      INDArray outA = a.forward(x, true).dup();
      a.backward(dOut.dup(), true, false);
      RecurrentStep b = shorter.apply(layer);
      INDArray part = x.get(NDArrayIndex.all(), NDArrayIndex.interval(from, from + KEPT), NDArrayIndex.all()).dup('c');
      INDArray outB = b.forward(part, true).dup();
      b.backward(dOut.dup(), true, false);
      close(outB, outA, layer.typeName() + (atEnd ? " post" : " pre") + "-padded output");
      for (int k = 0; k < a.gradients().size(); k++) {
        close(b.gradients().get(k), a.gradients().get(k), layer.typeName() + (atEnd ? " post" : " pre") + "-padded gradient " + k);
      }
    }
  }

  private static void close(INDArray expected, INDArray got, String what) {
    float[] e = expected.dup('c').data().asFloat();
    float[] g = got.dup('c').data().asFloat();
    for (int i = 0; i < e.length; i++) assertTrue(Math.abs(e[i] - g[i]) < 1e-5, what + " [" + i + "] " + g[i] + " vs " + e[i]);
    assertTrue(Nd4j.createFromArray(e).norm2Number().doubleValue() > 0, what + " is not all zero");
  }
}
