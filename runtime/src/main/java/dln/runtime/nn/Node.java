package dln.runtime.nn;

import java.util.List;

/**
 * One application of a layer to symbolic inputs. A layer applied twice (a shared layer) has two
 * nodes but one set of weights.
 */
public final class Node {
  private final Layer layer;
  private final List<SymbolicTensor> inputs;
  private final List<SymbolicTensor> outputs;
  private final int indexInLayer;

  Node(Layer layer, List<SymbolicTensor> inputs, List<long[]> outputShapes, int indexInLayer, boolean masked) {
    this.layer = layer;
    this.inputs = List.copyOf(inputs);
    this.indexInLayer = indexInLayer;
    SymbolicTensor[] outs = new SymbolicTensor[outputShapes.size()];
    for (int i = 0; i < outs.length; i++) outs[i] = new SymbolicTensor(outputShapes.get(i), this, i, masked);
    this.outputs = List.of(outs);
  }

  public Layer layer() {
    return layer;
  }

  public List<SymbolicTensor> inputs() {
    return inputs;
  }

  public List<SymbolicTensor> outputs() {
    return outputs;
  }

  /** Position of this node among the layer's applications (Keras's node index). */
  public int indexInLayer() {
    return indexInLayer;
  }
}
