package dln.runtime.train.fast;

import dln.runtime.Rng;
import dln.runtime.nn.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GaussianNoise: while training adds noise drawn from {@link Rng} into a reused buffer (the same
 * draws, in the same order, as the reference engine's noise placeholders); the gradient passes
 * through unchanged.
 */
final class GaussianNoiseStep extends LayerStep {
  private final Layer layer;
  private final double stddev;
  private final PerBatch<Buffers> buffers;

  private record Buffers(float[] host, INDArray noise, INDArray out) {}

  GaussianNoiseStep(Layer layer, double stddev, long[] sample) {
    this.layer = layer;
    this.stddev = stddev;
    this.buffers = new PerBatch<>(b -> {
      INDArray noise = Nd4j.create(DataType.FLOAT, withBatch(b, sample));
      return new Buffers(new float[(int) noise.length()], noise, Nd4j.create(DataType.FLOAT, withBatch(b, sample)));
    });
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    // Inactive when frozen, as in the reference graph (GraphContext.training(layer)).
    if (!training || stddev == 0 || !layer.isTrainable()) return in;
    Buffers b = buffers.get(in.size(0));
    Rng.fillNormal(b.host(), 0, stddev);
    Host.write(b.noise(), b.host());
    in.add(b.noise(), b.out());
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    return inputGrad ? dOut : null;
  }
}
