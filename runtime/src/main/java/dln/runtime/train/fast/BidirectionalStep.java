package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bidirectional: the wrapped layer's step on the sequence, the backward copy's step on the
 * sequence reversed in time (a host copy), its outputs put back in time order when it returns
 * every step, and the two merged on the host (concat along the last axis, sum, mul or ave);
 * backward splits the gradient the same way and adds the two input gradients. A mask of padded
 * steps goes to both directions (reversed for the backward one), whose outputs are zero at the
 * padded steps, as Keras forces zero_output_for_mask on them.
 */
final class BidirectionalStep extends LayerStep implements MaskReader {
  private final LayerStep fwd;
  private final LayerStep bwd;
  private final String merge;
  private final boolean sequences;
  private final long[] inSample;
  private final long[] oneSample;
  private final long[] outSample;
  private final PerBatch<Buffers> buffers;
  private Buffers last;
  private float[] nextMask;
  /** The last forward's mask (batch-major), or null. */
  private float[] keep;

  private record Buffers(float[] x, float[] xr, INDArray reversed, float[] a, float[] b, float[] y, INDArray out, float[] d,
      float[] da, float[] db, INDArray dA, INDArray dB, float[] dx, INDArray dIn, float[] keepReversed) {}

  BidirectionalStep(LayerStep fwd, LayerStep bwd, String merge, boolean sequences, long[] inSample, long[] oneSample, long[] outSample) {
    this.fwd = fwd;
    this.bwd = bwd;
    this.merge = merge;
    this.sequences = sequences;
    this.inSample = inSample;
    this.oneSample = oneSample;
    this.outSample = outSample;
    this.buffers = new PerBatch<>(bl -> {
      INDArray rev = Nd4j.create(DataType.FLOAT, withBatch(bl, inSample));
      INDArray out = Nd4j.create(DataType.FLOAT, withBatch(bl, outSample));
      INDArray dA = Nd4j.create(DataType.FLOAT, withBatch(bl, oneSample));
      int n = (int) rev.length();
      int m = (int) dA.length();
      return new Buffers(new float[n], new float[n], rev, new float[m], new float[m], new float[(int) out.length()], out,
          new float[(int) out.length()], new float[m], new float[m], dA, Nd4j.create(DataType.FLOAT, withBatch(bl, oneSample)), new float[n],
          Nd4j.create(DataType.FLOAT, withBatch(bl, inSample)), new float[(int) (bl * inSample[0])]);
    });
  }

  @Override
  List<Weight> weights() {
    List<Weight> w = new ArrayList<>(fwd.weights());
    w.addAll(bwd.weights());
    return w;
  }

  @Override
  List<INDArray> gradients() {
    List<INDArray> g = new ArrayList<>(fwd.gradients());
    g.addAll(bwd.gradients());
    return g;
  }

  /** Reverses axis 1 of a (batch, steps, inner) row-major array. */
  private static void reverseSteps(float[] from, float[] to, int batch, int steps, int inner) {
    for (int n = 0; n < batch; n++) {
      for (int t = 0; t < steps; t++) {
        System.arraycopy(from, (n * steps + t) * inner, to, (n * steps + steps - 1 - t) * inner, inner);
      }
    }
  }

  @Override
  public void mask(float[] keep) {
    nextMask = keep;
  }

  /** Zeroes the rows (one per sample and step) of a batch-major array at the padded steps. */
  private void zeroPadded(float[] a, int units) {
    for (int r = 0; r < keep.length; r++) if (keep[r] == 0f) java.util.Arrays.fill(a, r * units, (r + 1) * units, 0f);
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    int batch = (int) in.size(0);
    Buffers b = buffers.get(batch);
    int steps = (int) inSample[0];
    keep = nextMask;
    nextMask = null;
    if (keep != null) {
      ((MaskReader) fwd).mask(keep);
      reverseSteps(keep, b.keepReversed(), batch, steps, 1);
      ((MaskReader) bwd).mask(b.keepReversed());
    }
    Host.read(in, b.x());
    reverseSteps(b.x(), b.xr(), batch, steps, (int) inSample[1]);
    Host.write(b.reversed(), b.xr());
    Host.read(fwd.forward(in, training), b.a());
    // The backward direction's output (as many values as the forward's) goes to the start of y,
    // which is the merged output's size (twice that for concat) and is overwritten by the merge below.
    INDArray backwards = Host.plain(bwd.forward(b.reversed(), training));
    Host.read(backwards, 0, b.y(), b.a().length);
    int units = (int) oneSample[oneSample.length - 1];
    float[] bb = b.b();
    if (sequences) reverseSteps(b.y(), bb, batch, steps, units);
    else System.arraycopy(b.y(), 0, bb, 0, bb.length);
    float[] a = b.a();
    if (sequences && keep != null) {
      zeroPadded(a, units);
      zeroPadded(bb, units);
    }
    float[] y = b.y();
    int rows = a.length / units;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < units; j++) {
        int i = r * units + j;
        switch (merge) {
          case "concat" -> {
            y[r * 2 * units + j] = a[i];
            y[r * 2 * units + units + j] = bb[i];
          }
          case "sum" -> y[i] = a[i] + bb[i];
          case "mul" -> y[i] = a[i] * bb[i];
          default -> y[i] = 0.5f * (a[i] + bb[i]);
        }
      }
    }
    Host.write(b.out(), y);
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    Buffers b = last;
    int batch = (int) dOut.size(0);
    int steps = (int) inSample[0];
    int units = (int) oneSample[oneSample.length - 1];
    float[] d = b.d();
    Host.read(dOut, d);
    float[] a = b.a();
    float[] bb = b.b();
    float[] da = b.da();
    float[] db = b.db();
    int rows = a.length / units;
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < units; j++) {
        int i = r * units + j;
        switch (merge) {
          case "concat" -> {
            da[i] = d[r * 2 * units + j];
            db[i] = d[r * 2 * units + units + j];
          }
          case "sum" -> {
            da[i] = d[i];
            db[i] = d[i];
          }
          case "mul" -> {
            da[i] = d[i] * bb[i];
            db[i] = d[i] * a[i];
          }
          default -> {
            da[i] = 0.5f * d[i];
            db[i] = 0.5f * d[i];
          }
        }
      }
    }
    if (sequences && keep != null) {
      zeroPadded(da, units);
      zeroPadded(db, units);
    }
    Host.write(b.dA(), da);
    // The backward layer saw time reversed: its output gradient goes back to its own order.
    if (sequences) {
      reverseSteps(db, b.a(), batch, steps, units);
      Host.write(b.dB(), b.a());
    } else {
      Host.write(b.dB(), db);
    }
    INDArray gf = fwd.backward(b.dA(), weightGrads, inputGrad);
    INDArray gb = bwd.backward(b.dB(), weightGrads, inputGrad);
    if (!inputGrad) return null;
    float[] x = b.x();
    float[] xr = b.xr();
    Host.read(gb, xr);
    reverseSteps(xr, b.dx(), batch, steps, (int) inSample[1]);
    Host.read(gf, x);
    float[] dx = b.dx();
    for (int i = 0; i < dx.length; i++) dx[i] += x[i];
    Host.write(b.dIn(), dx);
    return b.dIn();
  }
}
