package dln.runtime.train.fast;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Add: the element-wise sum forward; backward hands the same gradient to every input (copies
 * beyond the first). A two-input Add may also apply the relu that reads it ({@link #absorbRelu}:
 * the residual join of a ResNet), in one host pass each way.
 */
final class AddStep extends MergeStep {
  /** Values per host tile of the fused relu's passes (64 KB): few native copies, each array read and written at one index. */
  private static final int TILE = 16384;
  private final int arity;
  private final long[] sample;
  private final LayerStep.PerBatch<INDArray[]> buffers;
  /** True when the relu right after this Add runs in its passes. */
  private boolean relu;

  AddStep(int arity, long[] sample) {
    this.arity = arity;
    this.sample = sample;
    // [0]: the sum; [1..arity-1]: gradient copies for inputs after the first.
    this.buffers = new LayerStep.PerBatch<>(b -> {
      INDArray[] a = new INDArray[arity];
      for (int i = 0; i < arity; i++) a[i] = Nd4j.create(DataType.FLOAT, LayerStep.withBatch(b, sample));
      return a;
    });
  }

  /** True for two inputs: the fused pass reads exactly two. */
  boolean canAbsorbRelu() {
    return arity == 2;
  }

  /**
   * Applies the relu that reads this Add's output (its only reader): forward max(a + b, 0) in one
   * pass; backward the gradient zeroed where the sum was not positive (read off the output), written
   * to both inputs' gradients in the same pass.
   */
  void absorbRelu() {
    if (!canAbsorbRelu()) throw new IllegalStateException("only a two-input Add absorbs a relu");
    relu = true;
  }

  @Override
  INDArray forward(List<INDArray> ins, boolean training) {
    INDArray[] b = buffers.get(ins.get(0).size(0));
    INDArray out = b[0];
    boolean sameShapes = ins.size() >= 2 && java.util.Arrays.equals(ins.get(0).shape(), out.shape())
        && java.util.Arrays.equals(ins.get(1).shape(), out.shape());
    if (relu && sameShapes) {
      sumRelu(Host.plain(ins.get(0)), Host.plain(ins.get(1)), out);
      return out;
    }
    int next;
    if (sameShapes) {
      ins.get(0).add(ins.get(1), out); // out = a + b in one pass (no copy of a first)
      next = 2;
    } else {
      out.assign(ins.get(0));
      next = 1;
    }
    for (int i = next; i < ins.size(); i++) out.addi(ins.get(i));
    if (relu) org.nd4j.linalg.ops.transforms.Transforms.relu(out, false);
    return out;
  }

  /** out = max(a + b, 0), tile by tile on the host. */
  private static void sumRelu(INDArray a, INDArray b, INDArray out) {
    byTiles(out.length(), (off, len, at, bt) -> {
      Host.read(a, off, at, len);
      Host.read(b, off, bt, len);
      for (int j = 0; j < len; j++) at[j] = Math.max(at[j] + bt[j], 0f);
      Host.write(out, off, at, len);
    });
  }

  /** One tile [off, off + len) of a flat array, with two scratch arrays of {@link #TILE} values. */
  @FunctionalInterface
  private interface TileBody {
    void run(long off, int len, float[] first, float[] second);
  }

  /** Runs the body on every tile of {@code n} values, blocks of tiles in parallel, each block with its own scratch arrays. */
  private static void byTiles(long n, TileBody body) {
    int tiles = (int) ((n + TILE - 1) / TILE);
    RowBlocks.runTiles(tiles, (from, to) -> {
      float[] first = new float[TILE];
      float[] second = new float[TILE];
      for (int t = from; t < to; t++) {
        long off = (long) t * TILE;
        body.run(off, (int) Math.min(TILE, n - off), first, second);
      }
    });
  }

  @Override
  INDArray[] backward(INDArray dOut, boolean[] need, boolean weightGrads) {
    INDArray[] b = buffers.get(dOut.size(0));
    INDArray[] grads = new INDArray[arity];
    if (relu) {
      // The relu's gradient in place in dOut (as an activation step's backward does), and its copy for the second input.
      INDArray d = Host.plain(dOut);
      gateRelu(b[0], d, need[1] ? b[1] : null);
      if (need[1]) grads[1] = b[1];
      if (need[0]) grads[0] = d;
      return grads;
    }
    // Inputs after the first get copies, taken before anyone writes into dOut, which the first gets.
    for (int i = 1; i < arity; i++) if (need[i]) grads[i] = b[i].assign(dOut);
    if (need[0]) grads[0] = dOut;
    return grads;
  }

  /** d = out > 0 ? d : 0 in place (and into {@code copy} when not null), tile by tile. */
  private static void gateRelu(INDArray out, INDArray d, INDArray copy) {
    byTiles(out.length(), (off, len, ot, dt) -> {
      Host.read(out, off, ot, len);
      Host.read(d, off, dt, len);
      // out = max(sum, 0) is positive exactly where the sum was.
      for (int j = 0; j < len; j++) dt[j] *= BatchNormStep.reluMask(ot[j]);
      Host.write(d, off, dt, len);
      if (copy != null) Host.write(copy, off, dt, len);
    });
  }
}
