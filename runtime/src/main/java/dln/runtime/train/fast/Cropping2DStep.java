package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Cropping2D on channels-last images, ZeroPadding2D's mirror: forward copies the kept interior out;
 * backward copies the gradient into the interior of an input-shaped buffer whose border stays
 * zero (it is zeroed when made and never written).
 */
final class Cropping2DStep extends LayerStep {
  private final int[] crop;
  private final PerBatch<INDArray[]> buffers;
  private INDArray[] last;

  /** @param crop top, bottom, left, right */
  Cropping2DStep(int[] crop, long[] inSample, long[] outSample) {
    this.crop = crop.clone();
    this.buffers = new PerBatch<>(b -> new INDArray[] {
        Nd4j.create(DataType.FLOAT, withBatch(b, outSample)), Nd4j.zeros(DataType.FLOAT, withBatch(b, inSample))});
  }

  private INDArray interior(INDArray whole) {
    return whole.get(new INDArrayIndex[] {NDArrayIndex.all(), NDArrayIndex.interval(crop[0], whole.size(1) - crop[1]),
        NDArrayIndex.interval(crop[2], whole.size(2) - crop[3]), NDArrayIndex.all()});
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    INDArray[] b = buffers.get(in.size(0));
    b[0].assign(interior(in));
    last = b;
    return b[0];
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    interior(last[1]).assign(dOut);
    return last[1];
  }
}
