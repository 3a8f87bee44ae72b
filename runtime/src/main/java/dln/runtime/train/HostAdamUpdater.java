package dln.runtime.train;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam for small parameter arrays, in Java: libnd4j's {@code adam_updater} rule, in float, but
 * without its dispatch cost (ND4J's updater spends ~100 µs per call building shapes and op
 * contexts, which made the optimiser 80% of a Playground network's step). Large arrays keep the
 * native updater, where the arithmetic dominates.
 */
final class HostAdamUpdater implements ParamUpdater {
  /** Parameters with at most this many values are updated here. */
  static final long MAX_LENGTH = 1 << 14;

  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float[] m;
  private final float[] v;
  private final float[] g;
  private final float[] p;

  HostAdamUpdater(INDArray param, double beta1, double beta2, double epsilon) {
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.epsilon = (float) epsilon;
    int n = (int) param.length();
    m = new float[n];
    v = new float[n];
    g = new float[n];
    p = new float[n];
  }

  /** True when a parameter is small, plain and float, so this updater applies. */
  static boolean applies(INDArray param) {
    return param.length() <= MAX_LENGTH && param.dataType() == DataType.FLOAT && plain(param);
  }

  @Override
  public void apply(INDArray param, INDArray grad, double learningRate, int iteration, int epoch) {
    INDArray gr = plain(grad) && grad.dataType() == DataType.FLOAT ? grad : grad.castTo(DataType.FLOAT).dup('c');
    pointer(gr).get(g);
    pointer(param).get(p);
    float beta1T = (float) Math.pow(beta1, iteration + 1);
    float beta2T = (float) Math.pow(beta2, iteration + 1);
    float epsilonT = (float) (learningRate * Math.sqrt(1 - beta2T) / (1 - beta1T));
    if (Float.isNaN(epsilonT) || Float.isInfinite(epsilonT) || epsilonT == 0) epsilonT = epsilon;
    for (int i = 0; i < p.length; i++) {
      float gi = g[i];
      m[i] = beta1 * m[i] + gi * (1 - beta1);
      v[i] = beta2 * v[i] + gi * gi * (1 - beta2);
      p[i] -= (m[i] * epsilonT) / ((float) Math.sqrt(v[i]) + epsilon);
    }
    pointer(param).put(p);
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
