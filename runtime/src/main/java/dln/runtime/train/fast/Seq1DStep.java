package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A 1-D layer (Conv1D, MaxPooling1D, AveragePooling1D) run as 2-D steps of height 1: the input
 * (batch, steps, channels) is seen as (batch, 1, steps, channels), passes through the inner steps
 * in order (Conv1D's causal padding is a ZeroPadding2D step before the convolution), and the
 * output is seen as (batch, steps', channels') again. The reshapes of plain buffers are views.
 */
final class Seq1DStep extends LayerStep {
  /** The 2-D steps, run in order. */
  private final ChainStep inner;
  private long[] lastShape;

  Seq1DStep(List<LayerStep> inner) {
    this.inner = new ChainStep(inner);
  }

  @Override
  List<Weight> weights() {
    return inner.weights();
  }

  @Override
  List<INDArray> gradients() {
    return inner.gradients();
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    lastShape = in.shape();
    INDArray x = inner.forward(Host.reshaped(in, in.size(0), 1, in.size(1), in.size(2)), training);
    return Host.reshaped(x, x.size(0), x.size(2), x.size(3));
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    INDArray d = inner.backward(Host.reshaped(dOut, dOut.size(0), 1, dOut.size(1), dOut.size(2)), weightGrads, inputGrad);
    return d == null ? null : Host.reshaped(d, lastShape);
  }
}
