package dln.runtime.train;

import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam in Java, in one fused pass: libnd4j's {@code adam_updater} rule, in float, updating the
 * moments and the parameter together. ND4J's path takes two native ops per parameter (the
 * updater, then {@code param -= update}), each a full pass over memory plus ~100 µs of dispatch
 * (building shapes and op contexts): 80% of a Playground step, and a quarter of an MNIST MLP step.
 *
 * <p>The arrays stay in native memory: they are processed in chunks copied into small Java arrays
 * that stay in cache (where the loop vectorises), and large parameters are split across two
 * threads. The moments keep ND4J's layout, one [1, 2n] row of m then v, so model files save and
 * restore either updater's state.
 */
final class HostAdamUpdater implements ParamUpdater {
  /** Values per chunk: four arrays of 64 KiB stay in L2 while a chunk is updated. */
  private static final int CHUNK = 1 << 14;
  /** Parameters at least this long are updated by two threads. */
  static final long PARALLEL_LENGTH = 1 << 16;

  private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][CHUNK]);

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  /** The moments in ND4J's AdamUpdater layout, [1, 2n]: m then v (the live state model files save). */
  private final INDArray view;

  HostAdamUpdater(INDArray param, double beta1, double beta2, double epsilon) {
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.epsilon = (float) epsilon;
    view = Nd4j.zeros(DataType.FLOAT, 1, 2L * param.length());
  }

  /** True when a parameter is plain float memory (not a view), so this updater applies. */
  static boolean applies(INDArray param) {
    return param.dataType() == DataType.FLOAT && plain(param);
  }

  @Override
  public List<INDArray> state() {
    return List.of(view);
  }

  @Override
  public void apply(INDArray param, INDArray grad, double learningRate, int iteration, int epoch) {
    INDArray gr = plain(grad) && grad.dataType() == DataType.FLOAT ? grad : grad.castTo(DataType.FLOAT).dup('c');
    long n = param.length();
    float beta1T = (float) Math.pow(beta1, iteration + 1);
    float beta2T = (float) Math.pow(beta2, iteration + 1);
    float epsilonT = (float) (learningRate * Math.sqrt(1 - beta2T) / (1 - beta1T));
    if (Float.isNaN(epsilonT) || Float.isInfinite(epsilonT) || epsilonT == 0) epsilonT = epsilon;
    float stepSize = epsilonT;
    if (n < PARALLEL_LENGTH || ForkJoinPool.getCommonPoolParallelism() < 1) {
      update(param, gr, 0, n, n, stepSize);
      return;
    }
    long half = (n / 2 + CHUNK - 1) / CHUNK * CHUNK;
    ForkJoinTask<?> other = ForkJoinPool.commonPool().submit(() -> update(param, gr, half, n, n, stepSize));
    update(param, gr, 0, half, n, stepSize);
    other.join();
  }

  /** Updates values [from, to) of a parameter of n values, chunk by chunk. */
  private void update(INDArray param, INDArray grad, long from, long to, long n, float stepSize) {
    float[][] s = SCRATCH.get();
    float[] g = s[0];
    float[] p = s[1];
    float[] m = s[2];
    float[] v = s[3];
    // Pointers of this thread's own (positions are per object).
    FloatPointer gp = pointer(grad);
    FloatPointer pp = pointer(param);
    FloatPointer sp = pointer(view);
    long g0 = gp.position();
    long p0 = pp.position();
    long s0 = sp.position();
    float b1 = beta1;
    float b2 = beta2;
    float eps = epsilon;
    for (long off = from; off < to; off += CHUNK) {
      int len = (int) Math.min(CHUNK, to - off);
      gp.position(g0 + off).get(g, 0, len);
      pp.position(p0 + off).get(p, 0, len);
      sp.position(s0 + off).get(m, 0, len);
      sp.position(s0 + n + off).get(v, 0, len);
      for (int i = 0; i < len; i++) {
        float gi = g[i];
        float mi = b1 * m[i] + gi * (1 - b1);
        float vi = b2 * v[i] + gi * gi * (1 - b2);
        m[i] = mi;
        v[i] = vi;
        p[i] -= (mi * stepSize) / ((float) Math.sqrt(vi) + eps);
      }
      pp.position(p0 + off).put(p, 0, len);
      sp.position(s0 + off).put(m, 0, len);
      sp.position(s0 + n + off).put(v, 0, len);
    }
  }

  private static boolean plain(INDArray a) {
    return !a.isView() && a.ordering() == 'c' && a.data().length() == a.length();
  }

  private static FloatPointer pointer(INDArray a) {
    Pointer ptr = a.data().addressPointer();
    FloatPointer f = new FloatPointer(ptr);
    f.position(ptr.position() * ptr.sizeof() / Float.BYTES);
    return f;
  }
}
