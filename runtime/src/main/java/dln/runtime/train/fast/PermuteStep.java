package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Permute: a copy of the permuted view into a row-major buffer; backward the inverse permutation. */
final class PermuteStep extends LayerStep {
  private final int[] perm;
  private final int[] inverse;
  private final PerBatch<INDArray[]> buffers;
  private INDArray[] last;

  /** @param perm the permutation over all axes (the batch axis 0 first) */
  PermuteStep(int[] perm, long[] inSample, long[] outSample) {
    this.perm = perm.clone();
    this.inverse = new int[perm.length];
    for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
    this.buffers = new PerBatch<>(b -> new INDArray[] {
        Nd4j.create(DataType.FLOAT, withBatch(b, outSample)), Nd4j.create(DataType.FLOAT, withBatch(b, inSample))});
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    INDArray[] b = buffers.get(in.size(0));
    b[0].assign(in.permute(perm));
    last = b;
    return b[0];
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    return inputGrad ? last[1].assign(dOut.permute(inverse)) : null;
  }
}
