package dln.runtime.nn;

import dln.runtime.Shapes;

/**
 * A placeholder for data flowing through a model being defined: its shape (batch unknown) and the
 * layer application that produces it. Created by {@link Input#of(long...)} and by applying layers.
 */
public final class SymbolicTensor {
  private final long[] shape;
  private final Node node;
  private final int index;
  private final boolean masked;

  SymbolicTensor(long[] shape, Node node, int index, boolean masked) {
    this.shape = shape.clone();
    this.node = node;
    this.index = index;
    this.masked = masked;
  }

  /** True when the tensor carries a mask of padded steps (Keras's {@code _keras_mask}). */
  public boolean masked() {
    return masked;
  }

  /** The full shape with the batch dimension first ({@code -1} = unknown). */
  public long[] shape() {
    return shape.clone();
  }

  /** The shape of one sample (without the batch dimension). */
  public long[] sampleShape() {
    return Shapes.sample(shape);
  }

  public int rank() {
    return shape.length;
  }

  /** The layer application that produced this tensor. */
  public Node node() {
    return node;
  }

  /** The layer that produced this tensor. */
  public Layer layer() {
    return node.layer();
  }

  /** Which output of the producing node this is (0 for single-output layers). */
  public int index() {
    return index;
  }

  /** Keras's name of the tensor: {@code dense[0][0]} (layer, node index, output index). */
  public String reference() {
    return node.layer().name() + "[" + node.indexInLayer() + "][" + index + "]";
  }

  @Override
  public String toString() {
    return "<SymbolicTensor shape=" + Shapes.format(shape) + " from " + node.layer().name() + ">";
  }
}
