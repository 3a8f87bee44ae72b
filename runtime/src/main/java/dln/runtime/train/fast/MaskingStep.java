package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Masking on (batch, steps, features) in one host pass: a step whose features all equal the mask
 * value is padding, zeroed in the output and marked 0 in the mask the step hands on; the gradient
 * passes at the kept steps only.
 */
final class MaskingStep extends LayerStep implements MaskMaker {
  private final float value;
  private final int steps;
  private final int features;
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  private record Buffers(float[] x, float[] keep, INDArray out, INDArray dIn) {}

  MaskingStep(double value, long[] inSample) {
    this.value = (float) value;
    this.steps = (int) inSample[0];
    this.features = (int) inSample[1];
    this.buffers = new PerBatch<>(b -> new Buffers(new float[(int) b * steps * features], new float[(int) b * steps],
        Nd4j.create(DataType.FLOAT, withBatch(b, inSample)), Nd4j.create(DataType.FLOAT, withBatch(b, inSample))));
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    float[] x = b.x();
    Host.read(in, x);
    float[] keep = b.keep();
    for (int p = 0; p < keep.length; p++) {
      int from = p * features;
      boolean kept = false;
      for (int j = 0; j < features && !kept; j++) kept = x[from + j] != value;
      keep[p] = kept ? 1f : 0f;
    }
    Host.clearPadded(x, keep, features);
    Host.write(b.out(), x);
    last = b;
    return b.out();
  }

  @Override
  public float[] mask() {
    return last.keep();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    float[] d = last.x();
    Host.read(dOut, d);
    Host.clearPadded(d, last.keep(), features);
    Host.write(last.dIn(), d);
    return last.dIn();
  }
}
