package dln.runtime.train.fast;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GlobalAveragePooling2D / GlobalMaxPooling2D, (batch, h, w, c) → (batch, c), and their 1-D
 * counterparts, (batch, steps, c) → (batch, c), in one host pass:
 * the average spreads its gradient evenly, the maximum routes it to the first maximal position.
 * With a mask of padded steps (GlobalAveragePooling1D) the average is over the kept steps only.
 */
final class GlobalPool2DStep extends LayerStep implements MaskReader {
  private final boolean max;
  private final int positions;
  private final int channels;
  private final PerBatch<Buffers> buffers;
  private Buffers last;
  private float[] nextMask;
  /** The last forward's mask (batch-major, one value per position), or null. */
  private float[] keep;

  /** x / dx on the host, the argmax per (sample, channel), and the native output / input gradient. */
  private record Buffers(float[] x, float[] y, int[] argmax, INDArray out, INDArray dIn) {}

  GlobalPool2DStep(boolean max, long[] inSample) {
    this.max = max;
    long p = 1;
    for (int i = 0; i + 1 < inSample.length; i++) p *= inSample[i];
    this.positions = (int) p;
    this.channels = (int) inSample[inSample.length - 1];
    this.buffers = new PerBatch<>(b -> new Buffers(new float[(int) (b * positions * channels)], new float[(int) (b * channels)],
        max ? new int[(int) (b * channels)] : null, Nd4j.create(DataType.FLOAT, b, channels),
        Nd4j.create(DataType.FLOAT, withBatch(b, inSample))));
  }

  @Override
  public void mask(float[] keep) {
    nextMask = keep;
  }

  /** Sample n's mean over its kept positions: 1/kept (1 for a sample with none kept, whose mean is then 0). */
  private float keptScale(int n) {
    float kept = 0;
    for (int p = 0; p < positions; p++) kept += keep[n * positions + p];
    return 1f / Math.max(kept, 1f);
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    keep = nextMask;
    nextMask = null;
    float[] x = b.x();
    float[] y = b.y();
    Host.read(in, x);
    int batch = y.length / channels;
    for (int n = 0; n < batch; n++) {
      int base = n * positions * channels;
      for (int c = 0; c < channels; c++) {
        if (max) {
          int best = base + c;
          for (int p = 1; p < positions; p++) if (x[base + p * channels + c] > x[best]) best = base + p * channels + c;
          b.argmax()[n * channels + c] = best;
          y[n * channels + c] = x[best];
        } else if (keep == null) {
          double s = 0;
          for (int p = 0; p < positions; p++) s += x[base + p * channels + c];
          y[n * channels + c] = (float) (s / positions);
        } else {
          double s = 0;
          for (int p = 0; p < positions; p++) s += keep[n * positions + p] * x[base + p * channels + c];
          y[n * channels + c] = (float) (s * keptScale(n));
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
    Host.read(dOut, dy);
    float[] dx = last.x();
    int batch = dy.length / channels;
    if (max) {
      java.util.Arrays.fill(dx, 0f);
      for (int i = 0; i < dy.length; i++) dx[last.argmax()[i]] = dy[i];
    } else {
      for (int n = 0; n < batch; n++) {
        int base = n * positions * channels;
        float scale = keep == null ? 0f : keptScale(n);
        for (int p = 0; p < positions; p++) {
          if (keep == null) {
            for (int c = 0; c < channels; c++) dx[base + p * channels + c] = dy[n * channels + c] / positions;
          } else {
            float w = keep[n * positions + p] * scale;
            for (int c = 0; c < channels; c++) dx[base + p * channels + c] = dy[n * channels + c] * w;
          }
        }
      }
    }
    Host.write(last.dIn(), dx);
    return last.dIn();
  }
}
