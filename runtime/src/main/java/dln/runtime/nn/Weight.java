package dln.runtime.nn;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One parameter array of a layer (a kernel, a bias, BatchNormalization's moving mean...). The
 * array object never changes for the life of the layer: training updates it in place and
 * {@link #set(INDArray)} copies into it, so every compiled graph bound to it stays valid.
 */
public final class Weight {
  private final Layer owner;
  private final String name;
  private final INDArray value;
  private final boolean trainable;
  private final Regularizer regularizer;
  private dln.runtime.autodiff.Variable variable;

  Weight(Layer owner, String name, INDArray value, boolean trainable, Regularizer regularizer) {
    this.owner = owner;
    this.name = name;
    // SameDiff copies a view when it becomes a variable, which would cut the binding to the layer:
    // keep a plain array of our own.
    this.value = value.isView() ? value.dup('c') : value;
    this.trainable = trainable;
    this.regularizer = regularizer;
  }

  public Layer owner() {
    return owner;
  }

  /** Short name inside the layer: "kernel", "bias", "gamma", "moving_mean", ... */
  public String name() {
    return name;
  }

  /** Keras-style full name, e.g. {@code dense/kernel}. */
  public String fullName() {
    return owner.name() + "/" + name;
  }

  /** The live array (updated in place by training). */
  public INDArray value() {
    return value;
  }

  /**
   * The weight as a variable (Keras's {@code layer.kernel}, {@code model.trainable_variables}):
   * one per weight, sharing its array, so assigning to it or applying gradients changes the layer.
   */
  public synchronized dln.runtime.autodiff.Variable variable() {
    if (variable == null) variable = dln.runtime.autodiff.Variable.sharing(value);
    return variable;
  }

  public long[] shape() {
    return value.shape();
  }

  /** False for statistics such as moving means, which no optimiser updates. */
  public boolean isTrainable() {
    return trainable;
  }

  /** The penalty added to the loss, or null. */
  public Regularizer regularizer() {
    return regularizer;
  }

  /** Copies new values in (shape must match exactly). */
  public void set(INDArray newValue) {
    if (!java.util.Arrays.equals(newValue.shape(), value.shape())) {
      throw DlnRuntimeException.shape(
          "cannot set weight '" + fullName() + "' of shape " + Shapes.format(value.shape())
              + " to an array of shape " + Shapes.format(newValue.shape()),
          "the new array must have exactly the weight's shape");
    }
    value.assign(newValue.castTo(value.dataType()));
  }
}
