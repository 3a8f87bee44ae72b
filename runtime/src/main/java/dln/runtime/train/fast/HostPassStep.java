package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A weightless step of one host pass each way over a shape-keeping activation: the input read into
 * a kept host array, the pass, the values written to the step's output buffer; backward the
 * gradient read into a second host array, the pass, written to the step's input-gradient buffer.
 */
abstract class HostPassStep extends LayerStep {
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  private record Buffers(float[] kept, float[] work, INDArray out, INDArray dIn) {}

  HostPassStep(long[] sample) {
    this.buffers = new PerBatch<>(b -> {
      long[] shape = withBatch(b, sample);
      INDArray out = Nd4j.create(DataType.FLOAT, shape);
      int n = (int) out.length();
      return new Buffers(new float[n], new float[n], out, Nd4j.create(DataType.FLOAT, shape));
    });
  }

  /**
   * The forward pass over the input's values {@code kept}, which the backward pass gets back:
   * returns the output's values ({@code kept} rewritten in place, or {@code work}).
   */
  abstract float[] forwardPass(float[] kept, float[] work);

  /** Turns the output's gradient {@code grad} into the input's, in place; {@code kept} as the forward pass left it. */
  abstract void backwardPass(float[] kept, float[] grad);

  @Override
  final INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    Host.read(in, b.kept());
    Host.write(b.out(), forwardPass(b.kept(), b.work()));
    last = b;
    return b.out();
  }

  @Override
  final INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    Host.read(dOut, last.work());
    backwardPass(last.kept(), last.work());
    Host.write(last.dIn(), last.work());
    return last.dIn();
  }
}
