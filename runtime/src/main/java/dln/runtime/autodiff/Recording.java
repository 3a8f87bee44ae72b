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
    /** The variable's stand-in in the tape's graph (made on first use), or null when the tape does not watch it. */
    Traced watch(Variable v);

    /** The stand-in of a tensor the tape watches, or null for a tensor it does not. */
    Traced watched(INDArray x);

    /** True when {@code t} was recorded in this tape's graph. */
    boolean owns(Traced t);
  }

  private static final ThreadLocal<Deque<Recorder>> ACTIVE = ThreadLocal.withInitial(ArrayDeque::new);
  /** Tapes inside their {@code stop_recording()} block: what they recorded is a constant there. */
  private static final ThreadLocal<java.util.List<Recorder>> PAUSED = ThreadLocal.withInitial(java.util.ArrayList::new);

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
   * TensorFlow's {@code tape.stop_recording()}: until {@link #resume}, {@code r} records nothing, and
   * its recorded values enter operations as the constants they are (unless a tape still recording
   * shares them).
   */
  public static void pause(Recorder r) {
    ACTIVE.get().remove(r);
    PAUSED.get().add(r);
  }

  /** Ends {@link #pause}: {@code r} records again, innermost. */
  public static void resume(Recorder r) {
    PAUSED.get().remove(r);
    ACTIVE.get().push(r);
  }

  /** True when a paused tape recorded {@code t} and no recording tape shares it. */
  private static boolean pausedOnly(Traced t) {
    for (Recorder r : ACTIVE.get()) if (r.owns(t)) return false;
    for (Recorder r : PAUSED.get()) if (r.owns(t)) return true;
    return false;
  }

  /**
   * An operand as the operators see it: a Variable's current value or stand-in, a watched
   * tensor's stand-in while its tape records, a value a paused tape recorded as its value,
   * anything else unchanged.
   */
  public static Object resolve(Object x) {
    if (x instanceof Variable v) return v.current();
    if (x instanceof Traced t && !PAUSED.get().isEmpty() && pausedOnly(t)) return Tape.value(t);
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
