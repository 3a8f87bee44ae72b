package dln.runtime.nn;

import dln.runtime.nn.InputLayer;
import java.util.List;

/** Keras's {@code Input(shape)}: creates an input layer and returns its symbolic tensor. */
public final class Input {
  private Input() {}

  /** A symbolic input of the given per-sample shape, e.g. {@code Input.of(28, 28, 1)}. */
  public static SymbolicTensor of(long... sampleShape) {
    return named(null, sampleShape);
  }

  /** The same with an explicit layer name. */
  public static SymbolicTensor named(String name, long... sampleShape) {
    return typed(name, null, sampleShape);
  }

  /**
   * The same with Keras's {@code dtype} (null: float32; see {@link InputLayer.Config}) and axes of
   * any size given as {@link dln.runtime.Shapes#UNKNOWN}: {@code typed(null, "int32", -1)} is
   * {@code Input(shape=(None,), dtype="int32")}.
   */
  public static SymbolicTensor typed(String name, String dtype, long... sampleShape) {
    InputLayer layer = new InputLayer(new InputLayer.Config(sampleShape.clone(), dtype), name);
    return layer.apply(List.of()).get(0);
  }
}
