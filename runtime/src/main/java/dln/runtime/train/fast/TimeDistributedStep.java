package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * TimeDistributed: the wrapped layer's step run on all steps at once, the (batch, steps, ...)
 * input seen as a (batch · steps, ...) batch and its output seen as (batch, steps, ...) again
 * (views of plain buffers; the inner step's buffers are made for the batch · steps size).
 */
final class TimeDistributedStep extends LayerStep {
  private final LayerStep inner;
  private final long steps;
  private long[] lastShape;

  TimeDistributedStep(LayerStep inner, long steps) {
    this.inner = inner;
    this.steps = steps;
  }

  @Override
  List<Weight> weights() {
    return inner.weights();
  }

  @Override
  List<INDArray> gradients() {
    return inner.gradients();
  }

  /** The shape with its first two axes joined (a) or split at {@code steps} (b). */
  private static long[] joined(long[] s) {
    long[] r = new long[s.length - 1];
    r[0] = s[0] * s[1];
    System.arraycopy(s, 2, r, 1, s.length - 2);
    return r;
  }

  private long[] split(long[] s) {
    long[] r = new long[s.length + 1];
    r[0] = s[0] / steps;
    r[1] = steps;
    System.arraycopy(s, 1, r, 2, s.length - 1);
    return r;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    lastShape = in.shape();
    INDArray y = inner.forward(Host.reshaped(in, joined(in.shape())), training);
    return Host.reshaped(y, split(y.shape()));
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    INDArray d = inner.backward(Host.reshaped(dOut, joined(dOut.shape())), weightGrads, inputGrad);
    return inputGrad && d != null ? Host.reshaped(d, lastShape) : null;
  }
}
