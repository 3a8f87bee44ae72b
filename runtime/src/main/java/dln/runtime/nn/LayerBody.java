package dln.runtime.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * What a client of the runtime supplies for a {@link ScriptedLayer}: the code of a layer written
 * outside the runtime (in DLN, a {@code class MyDense(keras.layers.Layer)}). The runtime knows
 * nothing of the language; it asks the body to create the weights and to add the forward pass's
 * operations to a graph, and trains the result by SameDiff's autodiff like any other layer.
 */
public interface LayerBody {
  /** The layer's type name as the user wrote it (the class name), for summaries and messages. */
  String typeName();

  /**
   * Creates the layer's weights for these input shapes (the batch axis unknown), through
   * {@link ScriptedLayer#addVariable}. Called once, on the layer's first use.
   */
  void build(ScriptedLayer layer, List<long[]> inputShapes);

  /**
   * Adds the forward pass to the graph that {@code inputs} belong to and returns its output.
   * While it runs, the layer's variables stand for their graph variables.
   *
   * @param shapes the inputs' shapes (the batch axis unknown): the graph does not know them all
   * @param training true in a training graph (dropout-like behaviour on)
   */
  SDVariable forward(ScriptedLayer layer, List<SDVariable> inputs, List<long[]> shapes, boolean training);

  /** The client's own object for this layer (the interpreter's instance), opaque to the runtime. */
  Object owner();

  /**
   * The layers the client's object holds (Keras tracks the layers a subclass assigns to its
   * attributes), in the order assigned, for the summary of a subclassed model; none by default.
   */
  default List<Layer> trackedLayers() {
    return List.of();
  }
}
