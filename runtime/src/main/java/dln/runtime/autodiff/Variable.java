package dln.runtime.autodiff;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trainable tensor for hand-written models: used like a tensor in expressions, differentiated
 * by {@code grad}, and updated in place by an optimiser's {@code step}.
 */
public final class Variable {
  private INDArray value;
  private Traced traced;

  public Variable(INDArray value) {
    this.value = value.dup();
  }

  private Variable() {}

  /**
   * A variable that is a view of an array owned elsewhere (a layer's weight): assigning to it, and
   * training the layer, change the same numbers.
   */
  public static Variable sharing(INDArray value) {
    Variable v = new Variable();
    v.value = value;
    return v;
  }

  /**
   * The current value; while a gradient is being traced, the traced stand-in instead, and while a
   * gradient tape that watches it records, the variable's stand-in in the tape's graph.
   */
  public Object current() {
    if (traced != null) return traced;
    Recording.Recorder tape = Recording.active();
    Traced standIn = tape != null ? tape.watch(this) : null;
    return standIn != null ? standIn : value;
  }

  public INDArray value() {
    return value;
  }

  public void assign(INDArray v) {
    if (!java.util.Arrays.equals(v.shape(), value.shape())) {
      throw dln.runtime.DlnRuntimeException.shape("cannot assign a tensor of shape "
          + java.util.Arrays.toString(v.shape()) + " to a variable of shape " + java.util.Arrays.toString(value.shape()), null);
    }
    value.assign(v.castTo(value.dataType()));
  }

  /** Adds {@code delta} in place (TensorFlow's {@code assign_add}). */
  public void assignAdd(INDArray delta) {
    assign(value.add(delta.castTo(value.dataType())));
  }

  /** Subtracts {@code delta} in place (TensorFlow's {@code assign_sub}). */
  public void assignSub(INDArray delta) {
    assign(value.sub(delta.castTo(value.dataType())));
  }

  /** Makes the variable stand for {@code t} in expressions until traced with null again. */
  public void trace(Traced t) {
    this.traced = t;
  }
}
