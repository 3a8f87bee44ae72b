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
  /** True once the step before it applies this relu in its own passes ({@link #absorbedByPrevious}). */
  private boolean passThrough;

  ActivationStep(Act act, boolean fusedHead, long[] sample) {
    this.act = act;
    this.fusedHead = fusedHead;
    this.sample = sample;
    this.outs = new PerBatch<>(b -> Nd4j.create(DataType.FLOAT, withBatch(b, sample)));
    this.scratch = new PerBatch<>(b -> act.needsScratch() ? Nd4j.create(DataType.FLOAT, withBatch(b, sample)) : null);
  }

  /** True for a plain relu, which a BatchNormalization before it can apply in its own passes. */
  boolean isRelu() {
    return act == Act.RELU && !fusedHead;
  }

  /**
   * The step whose output this relu reads now applies it (forward) and its derivative (backward)
   * itself: this step hands values and gradients through unchanged, saving a pass each way and a
   * buffer.
   */
  void absorbedByPrevious() {
    if (!isRelu()) throw new IllegalStateException("only a plain relu is absorbed");
    passThrough = true;
  }

  /** True once {@link #absorbedByPrevious} handed this relu to the step before it. */
  boolean passesThrough() {
    return passThrough;
  }

  /** The input of the last forward (the logits for a fused loss head). */
  @Override
  INDArray preActivation() {
    return lastIn;
  }

  @Override
  Act squashing() {
    return !fusedHead && (act == Act.SOFTMAX || act == Act.SIGMOID) ? act : null;
  }

  @Override
  INDArray backwardFromLogits(INDArray dLogits, boolean weightGrads, boolean inputGrad) {
    return inputGrad ? dLogits : null;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    if (passThrough) return in;
    INDArray out = outs.get(in.size(0));
    act.forward(in, out);
    lastIn = in;
    lastOut = out;
    return out;
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    if (!fusedHead && !passThrough) act.backward(lastIn, lastOut, dOut, scratch.get(lastOut.size(0)));
    return dOut;
  }
}
