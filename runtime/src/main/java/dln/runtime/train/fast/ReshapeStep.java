package dln.runtime.train.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Flatten and Reshape: a reshape of a row-major buffer (no copy) forward and backward. */
final class ReshapeStep extends LayerStep {
  private final long[] outSample;
  private long[] lastShape;

  ReshapeStep(long[] outSample) {
    this.outSample = outSample;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    lastShape = in.shape();
    INDArray c = in.ordering() == 'c' && !in.isView() ? in : in.dup('c');
    return c.reshape('c', withBatch(in.size(0), outSample));
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    INDArray c = dOut.ordering() == 'c' && !dOut.isView() ? dOut : dOut.dup('c');
    return c.reshape('c', lastShape);
  }
}
