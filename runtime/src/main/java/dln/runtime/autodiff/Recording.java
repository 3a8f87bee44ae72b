package dln.runtime.autodiff;

import java.util.ArrayDeque;
import java.util.Deque;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The gradient tape recording on this thread, if any (TensorFlow's {@code with tf.GradientTape()}):
 * while one records, every {@link Variable} read in an expression, and every tensor the tape was
 * told to watch, stands for its variable in the tape's graph, so the expression is traced and can
 * be differentiated later.
 */
public final class Recording {
  /** What a recording tape offers the operators. */
  public interface Recorder {
    /** The variable's stand-in in the tape's graph (made on first use). */
    Traced watch(Variable v);

    /** The stand-in of a tensor the tape watches, or null for a tensor it does not. */
    Traced watched(INDArray x);
  }

  private static final ThreadLocal<Deque<Recorder>> ACTIVE = ThreadLocal.withInitial(ArrayDeque::new);

  private Recording() {}

  /** The innermost recording tape, or null. */
  public static Recorder active() {
    return ACTIVE.get().peek();
  }

  public static void start(Recorder r) {
    ACTIVE.get().push(r);
  }

  /** The recording tapes on this thread other than {@code r}, innermost first. */
  public static java.util.List<Recorder> others(Recorder r) {
    java.util.List<Recorder> out = new java.util.ArrayList<>();
    for (Recorder x : ACTIVE.get()) if (x != r) out.add(x);
    return out;
  }

  public static void stop(Recorder r) {
    ACTIVE.get().remove(r);
  }

  /**
   * An operand as the operators see it: a Variable's current value or stand-in, a watched
   * tensor's stand-in while its tape records, anything else unchanged.
   */
  public static Object resolve(Object x) {
    if (x instanceof Variable v) return v.current();
    if (x instanceof INDArray arr) {
      Recorder r = active();
      if (r != null) {
        Traced t = r.watched(arr);
        if (t != null) return t;
      }
    }
    return x;
  }
}
