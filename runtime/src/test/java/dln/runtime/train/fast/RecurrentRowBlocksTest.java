package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.SimpleRNN;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The recurrent driver's row blocks ({@link RecurrentStep#MIN_BLOCK_ROWS}): a batch large enough to
 * run as blocks side by side, of an odd size (blocks of unequal length) and with masked steps, gives
 * each sequence the output it gets alone (a batch of one, never split), and weight gradients equal
 * to the sum of the sequences' own, in training and at inference.
 */
class RecurrentRowBlocksTest {
  private static final int STEPS = 5;
  private static final int FEATURES = 3;
  private static final int UNITS = 4;
  private static final int BATCH = 2 * RecurrentStep.MIN_BLOCK_ROWS + 1;

  @Test
  void blocksGiveEachSequenceItsOwnResult() {
    for (boolean seq : new boolean[] {false, true}) {
      check(l -> new LSTMStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.TANH, Act.SIGMOID, seq, false,
          STEPS), new LSTM(UNITS, seq), seq);
      // GRU with go_backwards when it returns sequences, to cover the reversed time-major order too.
      GRU gru = new GRU(new GRU.Config(UNITS, "tanh", "sigmoid", true, seq, "glorot_uniform", "orthogonal", true, false), null);
      check(l -> new GRUStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.TANH, Act.SIGMOID, true, seq,
          seq, STEPS), gru, seq);
      check(l -> new SimpleRNNStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), Act.TANH, seq, false, STEPS),
          new SimpleRNN(UNITS, seq), seq);
    }
  }

  @Test
  void theBatchSplitsIntoBlocksWhereCellsAllowIt() {
    Function<Boolean, GRU> gru = after -> new GRU(new GRU.Config(UNITS, "tanh", "sigmoid", true, false, "glorot_uniform", "orthogonal",
        after, false), null);
    for (boolean after : new boolean[] {true, false}) {
      GRU layer = gru.apply(after);
      new Sequential(List.of(Input.of(STEPS, FEATURES), layer));
      RecurrentStep step = new GRUStep(layer.weight("kernel"), layer.weight("recurrent_kernel"), layer.weight("bias"), Act.TANH,
          Act.SIGMOID, after, false, false, STEPS);
      RecurrentStep.Sequence s = new RecurrentStep.Sequence(step, BATCH);
      int expected = after ? RowBlocks.count(BATCH, RecurrentStep.MIN_BLOCK_ROWS) : 1;
      assertEquals(expected, s.blocks.length, "GRU reset_after=" + after + " blocks");
      assertEquals(BATCH, s.blocks[s.blocks.length - 1].to);
    }
  }

  private static void check(Function<Layer, RecurrentStep> make, Layer layer, boolean seq) {
    Rng.seed(31);
    new Sequential(List.of(Input.of(STEPS, FEATURES), layer));
    layer.weight("bias").value().assign(Rng.normal(layer.weight("bias").shape(), 0, 0.3));
    INDArray x = Rng.normal(new long[] {BATCH, STEPS, FEATURES}, 0, 1);
    long[] outShape = seq ? new long[] {BATCH, STEPS, UNITS} : new long[] {BATCH, UNITS};
    INDArray dOut = Rng.normal(outShape, 0, 1);
    // Every third sequence padded at its end, every fifth at its start.
    float[] keep = new float[BATCH * STEPS];
    Arrays.fill(keep, 1f);
    for (int r = 0; r < BATCH; r++) {
      if (r % 3 == 0) keep[r * STEPS + STEPS - 1] = 0f;
      if (r % 5 == 0) keep[r * STEPS] = 0f;
    }
    String what = layer.typeName() + (seq ? " sequences" : "");
    for (boolean training : new boolean[] {true, false}) {
      RecurrentStep whole = make.apply(layer);
      whole.mask(keep);
      INDArray out = whole.forward(x, training).dup();
      whole.backward(dOut.dup(), true, false);
      List<INDArray> grads = whole.gradients().stream().map(INDArray::dup).toList();
      List<INDArray> sums = grads.stream().map(g -> Nd4j.zerosLike(g)).toList();
      RecurrentStep alone = make.apply(layer);
      for (int r = 0; r < BATCH; r++) {
        alone.mask(Arrays.copyOfRange(keep, r * STEPS, (r + 1) * STEPS));
        INDArray row = x.get(NDArrayIndex.interval(r, r + 1), NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
        INDArray got = alone.forward(row, training).dup();
        close(out.get(NDArrayIndex.interval(r, r + 1)).dup('c'), got, what + " output of sequence " + r);
        INDArray dRow = dOut.get(NDArrayIndex.interval(r, r + 1)).dup('c');
        alone.backward(dRow, true, false);
        for (int k = 0; k < sums.size(); k++) sums.get(k).addi(alone.gradients().get(k));
      }
      for (int k = 0; k < sums.size(); k++) close(sums.get(k), grads.get(k), what + " gradient " + k);
    }
  }

  private static void close(INDArray expected, INDArray got, String what) {
    float[] e = expected.dup('c').data().asFloat();
    float[] g = got.dup('c').data().asFloat();
    assertEquals(e.length, g.length, what + " length");
    for (int i = 0; i < e.length; i++) assertTrue(Math.abs(e[i] - g[i]) < 1e-4, what + " [" + i + "] " + g[i] + " vs " + e[i]);
    assertTrue(Nd4j.createFromArray(e).norm2Number().doubleValue() > 0, what + " is not all zero");
  }
}
