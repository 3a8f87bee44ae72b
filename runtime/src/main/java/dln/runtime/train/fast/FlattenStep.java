package dln.runtime.train.fast;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Flatten: a reshape of a row-major buffer (no copy) forward and backward. */
final class FlattenStep extends LayerStep {
  private long[] lastShape;

  @Override
  INDArray forward(INDArray in, boolean training) {
    lastShape = in.shape();
    INDArray c = in.ordering() == 'c' && !in.isView() ? in : in.dup('c');
    return c.reshape('c', in.size(0), in.length() / in.size(0));
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    return inputGrad ? dOut.reshape('c', lastShape) : null;
  }
}
