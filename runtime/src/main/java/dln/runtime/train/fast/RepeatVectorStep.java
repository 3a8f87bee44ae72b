package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** RepeatVector on the host: copies each row n times forward, sums the n copies' gradients backward. */
final class RepeatVectorStep extends LayerStep {
  private final int n;
  private final int features;
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  private record Buffers(int batch, INDArray out, INDArray dIn, float[] in, float[] outHost) {}

  RepeatVectorStep(int n, long features) {
    this.n = n;
    this.features = (int) features;
    this.buffers = new PerBatch<>(b -> new Buffers((int) b, Nd4j.create(DataType.FLOAT, b, n, features),
        Nd4j.create(DataType.FLOAT, b, features), new float[(int) (b * features)], new float[(int) (b * n * features)]));
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    Host.read(in, b.in());
    for (int r = 0; r < b.batch(); r++) {
      for (int k = 0; k < n; k++) System.arraycopy(b.in(), r * features, b.outHost(), (r * n + k) * features, features);
    }
    Host.write(b.out(), b.outHost());
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    Buffers b = last;
    float[] g = b.outHost();
    Host.read(dOut, g);
    float[] dx = b.in();
    java.util.Arrays.fill(dx, 0f);
    for (int r = 0; r < b.batch(); r++) {
      for (int k = 0; k < n; k++) {
        int from = (r * n + k) * features;
        for (int j = 0; j < features; j++) dx[r * features + j] += g[from + j];
      }
    }
    Host.write(b.dIn(), dx);
    return b.dIn();
  }
}
