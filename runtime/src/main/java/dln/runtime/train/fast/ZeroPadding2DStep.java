package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ZeroPadding2D on channels-last images: the border of the output buffer is filled once when the
 * buffer is made; each forward copies the image into its interior, each backward copies the
 * interior of the gradient out.
 */
final class ZeroPadding2DStep extends LayerStep {
  private final int[] pad;
  private final PerBatch<INDArray[]> buffers;
  private INDArray[] last;

  /** @param pad top, bottom, left, right */
  ZeroPadding2DStep(int[] pad, double value, long[] inSample, long[] outSample) {
    this.pad = pad.clone();
    this.buffers = new PerBatch<>(b -> new INDArray[] {
        Nd4j.valueArrayOf(withBatch(b, outSample), value, DataType.FLOAT), Nd4j.create(DataType.FLOAT, withBatch(b, inSample))});
  }

  private INDArray interior(INDArray padded) {
    return padded.get(new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(pad[0], padded.size(1) - pad[1]),
        NDArrayIndex.interval(pad[2], padded.size(2) - pad[3]), NDArrayIndex.all()});
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    INDArray[] b = buffers.get(in.size(0));
    interior(b[0]).assign(in);
    last = b;
    return b[0];
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    return inputGrad ? last[1].assign(interior(dOut)) : null;
  }
}
