package dln.runtime.train.fast;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Concatenate along any non-batch axis: each input is copied into its slice of one output buffer;
 * backward copies each input's slice of the gradient into a plain buffer of the input's shape.
 */
final class ConcatenateStep extends MergeStep {
  private final int axis;
  private final long[][] inSamples;
  private final long[] outSample;
  private final LayerStep.PerBatch<INDArray[]> buffers;

  /** @param axis the joined axis counted with the batch axis (1..rank-1) */
  ConcatenateStep(int axis, long[][] inSamples, long[] outSample) {
    this.axis = axis;
    this.inSamples = inSamples;
    this.outSample = outSample;
    // [0]: the output; [1 + i]: the gradient of input i.
    this.buffers = new LayerStep.PerBatch<>(b -> {
      INDArray[] a = new INDArray[inSamples.length + 1];
      a[0] = Nd4j.create(DataType.FLOAT, LayerStep.withBatch(b, outSample));
      for (int i = 0; i < inSamples.length; i++) a[i + 1] = Nd4j.create(DataType.FLOAT, LayerStep.withBatch(b, inSamples[i]));
      return a;
    });
  }

  private INDArray slice(INDArray whole, int input) {
    long from = 0;
    for (int i = 0; i < input; i++) from += inSamples[i][axis - 1];
    INDArrayIndex[] idx = new INDArrayIndex[outSample.length + 1];
    for (int d = 0; d < idx.length; d++) idx[d] = NDArrayIndex.all();
    idx[axis] = NDArrayIndex.interval(from, from + inSamples[input][axis - 1]);
    return whole.get(idx);
  }

  @Override
  INDArray forward(List<INDArray> ins, boolean training) {
    INDArray out = buffers.get(ins.get(0).size(0))[0];
    for (int i = 0; i < ins.size(); i++) slice(out, i).assign(ins.get(i));
    return out;
  }

  @Override
  INDArray[] backward(INDArray dOut, boolean[] need, boolean weightGrads) {
    INDArray[] b = buffers.get(dOut.size(0));
    INDArray[] grads = new INDArray[inSamples.length];
    for (int i = 0; i < grads.length; i++) if (need[i]) grads[i] = b[i + 1].assign(slice(dOut, i));
    return grads;
  }
}
