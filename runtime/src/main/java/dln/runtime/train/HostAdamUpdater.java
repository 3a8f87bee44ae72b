package dln.runtime.train;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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
  /**
   * The moments in ND4J's AdamUpdater layout, [1, 2n]: m then v. The array is the live state that
   * model files save and restore, so it is read and written on every step (two bulk copies).
   */
  private final INDArray view;
  private final float[] mv;
  private final float[] g;
  private final float[] p;

  HostAdamUpdater(INDArray param, double beta1, double beta2, double epsilon) {
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.epsilon = (float) epsilon;
    int n = (int) param.length();
    view = Nd4j.zeros(DataType.FLOAT, 1, 2L * n);
    mv = new float[2 * n];
    g = new float[n];
    p = new float[n];
  }

  /** True when a parameter is small, plain and float, so this updater applies. */
  static boolean applies(INDArray param) {
    return param.length() <= MAX_LENGTH && param.dataType() == DataType.FLOAT && plain(param);
  }

  @Override
  public List<INDArray> state() {
    return List.of(view);
  }

  @Override
  public void apply(INDArray param, INDArray grad, double learningRate, int iteration, int epoch) {
    INDArray gr = plain(grad) && grad.dataType() == DataType.FLOAT ? grad : grad.castTo(DataType.FLOAT).dup('c');
    pointer(gr).get(g);
    pointer(param).get(p);
    pointer(view).get(mv);
    int n = p.length;
    float beta1T = (float) Math.pow(beta1, iteration + 1);
    float beta2T = (float) Math.pow(beta2, iteration + 1);
    float epsilonT = (float) (learningRate * Math.sqrt(1 - beta2T) / (1 - beta1T));
    if (Float.isNaN(epsilonT) || Float.isInfinite(epsilonT) || epsilonT == 0) epsilonT = epsilon;
    for (int i = 0; i < n; i++) {
      float gi = g[i];
      float m = beta1 * mv[i] + gi * (1 - beta1);
      float v = beta2 * mv[n + i] + gi * gi * (1 - beta2);
      mv[i] = m;
      mv[n + i] = v;
      p[i] -= (m * epsilonT) / ((float) Math.sqrt(v) + epsilon);
    }
    pointer(param).put(p);
    pointer(view).put(mv);
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
