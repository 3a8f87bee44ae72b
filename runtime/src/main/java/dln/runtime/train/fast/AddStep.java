package dln.runtime.train.fast;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Add: the element-wise sum forward; backward hands the same gradient to every input (copies beyond the first). */
final class AddStep extends MergeStep {
  private final int arity;
  private final long[] sample;
  private final LayerStep.PerBatch<INDArray[]> buffers;

  AddStep(int arity, long[] sample) {
    this.arity = arity;
    this.sample = sample;
    // [0]: the sum; [1..arity-1]: gradient copies for inputs after the first.
    this.buffers = new LayerStep.PerBatch<>(b -> {
      INDArray[] a = new INDArray[arity];
      for (int i = 0; i < arity; i++) a[i] = Nd4j.create(DataType.FLOAT, LayerStep.withBatch(b, sample));
      return a;
    });
  }

  @Override
  INDArray forward(List<INDArray> ins, boolean training) {
    INDArray[] b = buffers.get(ins.get(0).size(0));
    INDArray out = b[0];
    int next;
    if (ins.size() >= 2 && java.util.Arrays.equals(ins.get(0).shape(), out.shape())
        && java.util.Arrays.equals(ins.get(1).shape(), out.shape())) {
      ins.get(0).add(ins.get(1), out); // out = a + b in one pass (no copy of a first)
      next = 2;
    } else {
      out.assign(ins.get(0));
      next = 1;
    }
    for (int i = next; i < ins.size(); i++) out.addi(ins.get(i));
    return out;
  }

  @Override
  INDArray[] backward(INDArray dOut, boolean[] need, boolean weightGrads) {
    INDArray[] b = buffers.get(dOut.size(0));
    INDArray[] grads = new INDArray[arity];
    // Inputs after the first get copies, taken before anyone writes into dOut, which the first gets.
    for (int i = 1; i < arity; i++) if (need[i]) grads[i] = b[i].assign(dOut);
    if (need[0]) grads[0] = dOut;
    return grads;
  }
}
