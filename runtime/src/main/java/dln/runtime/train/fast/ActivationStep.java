package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** An Activation / ReLU / Softmax layer on its own: one op forward, one in-place op backward. */
final class ActivationStep extends LayerStep {
  private final Act act;
  private final boolean fusedHead;
  private final long[] sample;
  private final PerBatch<INDArray> outs;
  private final PerBatch<INDArray> scratch;
  private INDArray lastIn;
  private INDArray lastOut;

  ActivationStep(Act act, boolean fusedHead, long[] sample) {
    this.act = act;
    this.fusedHead = fusedHead;
    this.sample = sample;
    this.outs = new PerBatch<>(b -> Nd4j.create(DataType.FLOAT, withBatch(b, sample)));
    this.scratch = new PerBatch<>(b -> act.needsScratch() ? Nd4j.create(DataType.FLOAT, withBatch(b, sample)) : null);
  }

  /** The input of the last forward (the logits for a fused loss head). */
  INDArray preActivation() {
    return lastIn;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    INDArray out = outs.get(in.size(0));
    act.forward(in, out);
    lastIn = in;
    lastOut = out;
    return out;
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    if (!fusedHead) act.backward(lastIn, lastOut, dOut, scratch.get(lastOut.size(0)));
    return dOut;
  }
}
