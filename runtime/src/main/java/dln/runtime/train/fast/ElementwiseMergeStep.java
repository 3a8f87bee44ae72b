package dln.runtime.train.fast;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multiply, Subtract, Average and Maximum over inputs of one shape. Multiply's gradient of input i
 * is the upstream gradient times the other inputs; Subtract hands +/− the gradient; Average a
 * 1/n share to each; Maximum routes it to the input holding the maximum (the first on ties, as the
 * reference's chained {@code max} does: its gradient goes to the left operand when both are equal).
 */
final class ElementwiseMergeStep extends MergeStep {
  /** The merge computed. */
  enum Kind { MULTIPLY, SUBTRACT, AVERAGE, MAXIMUM }

  private final Kind kind;
  private final int arity;
  private final long[] sample;
  private final LayerStep.PerBatch<Buffers> buffers;
  private Buffers last;
  private List<INDArray> lastIns;

  /** out: the result; grads: one per input; host: Maximum's scratch (values, winner per element). */
  private record Buffers(INDArray out, INDArray[] grads, float[][] x, int[] winner, float[] y) {}

  ElementwiseMergeStep(Kind kind, int arity, long[] sample) {
    this.kind = kind;
    this.arity = arity;
    this.sample = sample;
    this.buffers = new LayerStep.PerBatch<>(b -> {
      long[] shape = LayerStep.withBatch(b, sample);
      INDArray[] g = new INDArray[arity];
      for (int i = 0; i < arity; i++) g[i] = Nd4j.create(DataType.FLOAT, shape);
      INDArray out = Nd4j.create(DataType.FLOAT, shape);
      if (kind != Kind.MAXIMUM) return new Buffers(out, g, null, null, null);
      int n = (int) out.length();
      return new Buffers(out, g, new float[arity][n], new int[n], new float[n]);
    });
  }

  @Override
  INDArray forward(List<INDArray> ins, boolean training) {
    Buffers b = buffers.get(ins.get(0).size(0));
    INDArray out = b.out();
    switch (kind) {
      case MULTIPLY -> {
        out.assign(ins.get(0));
        for (int i = 1; i < ins.size(); i++) out.muli(ins.get(i));
      }
      case SUBTRACT -> ins.get(0).sub(ins.get(1), out);
      case AVERAGE -> {
        out.assign(ins.get(0));
        for (int i = 1; i < ins.size(); i++) out.addi(ins.get(i));
        out.muli(1.0 / arity);
      }
      case MAXIMUM -> {
        float[] y = b.y();
        int[] winner = b.winner();
        for (int i = 0; i < arity; i++) Host.read(ins.get(i), b.x()[i]);
        System.arraycopy(b.x()[0], 0, y, 0, y.length);
        java.util.Arrays.fill(winner, 0);
        for (int i = 1; i < arity; i++) {
          float[] xi = b.x()[i];
          for (int k = 0; k < y.length; k++) {
            if (xi[k] > y[k]) {
              y[k] = xi[k];
              winner[k] = i;
            }
          }
        }
        Host.write(out, y);
      }
    }
    last = b;
    lastIns = ins;
    return out;
  }

  @Override
  INDArray[] backward(INDArray dOut, boolean[] need, boolean weightGrads) {
    INDArray[] grads = new INDArray[arity];
    INDArray[] g = last.grads();
    switch (kind) {
      case MULTIPLY -> {
        for (int i = 0; i < arity; i++) {
          if (!need[i]) continue;
          grads[i] = g[i].assign(dOut);
          for (int j = 0; j < arity; j++) if (j != i) grads[i].muli(lastIns.get(j));
        }
      }
      case SUBTRACT -> {
        if (need[1]) grads[1] = g[1].assign(dOut).negi();
        if (need[0]) grads[0] = dOut;
      }
      case AVERAGE -> {
        for (int i = 1; i < arity; i++) if (need[i]) grads[i] = dOut.mul(1.0 / arity, g[i]);
        if (need[0]) grads[0] = dOut.muli(1.0 / arity);
      }
      case MAXIMUM -> {
        float[] dy = last.y();
        Host.read(dOut, dy);
        int[] winner = last.winner();
        for (int i = 0; i < arity; i++) {
          if (!need[i]) continue;
          float[] dx = last.x()[i];
          for (int k = 0; k < dy.length; k++) dx[k] = winner[k] == i ? dy[k] : 0f;
          Host.write(g[i], dx);
          grads[i] = g[i];
        }
      }
    }
    return grads;
  }
}
