package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * UpSampling2D (nearest) on channels-last images in one host pass each way: forward copies each
 * pixel's channel vector to its rows × columns block, backward sums the block's gradients.
 */
final class UpSampling2DStep extends LayerStep {
  private final int sh;
  private final int sw;
  private final int h;
  private final int w;
  private final int c;
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  private record Buffers(float[] x, float[] y, INDArray out, INDArray dIn) {}

  UpSampling2DStep(int[] size, long[] inSample, long[] outSample) {
    this.sh = size[0];
    this.sw = size[1];
    this.h = (int) inSample[0];
    this.w = (int) inSample[1];
    this.c = (int) inSample[2];
    this.buffers = new PerBatch<>(b -> new Buffers(new float[(int) (b * h * w * c)], new float[(int) (b * h * w * c * sh * sw)],
        Nd4j.create(DataType.FLOAT, withBatch(b, outSample)), Nd4j.create(DataType.FLOAT, withBatch(b, inSample))));
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    float[] x = b.x();
    float[] y = b.y();
    Host.read(in, x);
    int batch = (int) in.size(0);
    int ow = w * sw;
    for (int n = 0; n < batch; n++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          int src = ((n * h + i) * w + j) * c;
          for (int di = 0; di < sh; di++) {
            for (int dj = 0; dj < sw; dj++) {
              int dst = ((n * h * sh + i * sh + di) * ow + j * sw + dj) * c;
              System.arraycopy(x, src, y, dst, c);
            }
          }
        }
      }
    }
    Host.write(b.out(), y);
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    if (!inputGrad) return null;
    float[] dy = last.y();
    float[] dx = last.x();
    Host.read(dOut, dy);
    java.util.Arrays.fill(dx, 0f);
    int batch = (int) dOut.size(0);
    int ow = w * sw;
    for (int n = 0; n < batch; n++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          int dst = ((n * h + i) * w + j) * c;
          for (int di = 0; di < sh; di++) {
            for (int dj = 0; dj < sw; dj++) {
              int src = ((n * h * sh + i * sh + di) * ow + j * sw + dj) * c;
              for (int k = 0; k < c; k++) dx[dst + k] += dy[src + k];
            }
          }
        }
      }
    }
    Host.write(last.dIn(), dx);
    return last.dIn();
  }
}
