package dln.runtime.nn;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.InputLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keras's Sequential: a stack of single-input layers. The graph is built as soon as the input shape
 * is known (an {@code Input} first, or a first layer with an input shape), otherwise at the first
 * fit/predict/call from the data's shape. Once built, {@link #add} applies the new layer at once,
 * so a shape mismatch is reported at that call.
 */
public class Sequential extends Model {
  private final List<Layer> stack = new ArrayList<>();
  private SymbolicTensor input;

  public Sequential() {
    this(List.of(), null);
  }

  public Sequential(List<?> layers) {
    this(layers, null);
  }

  /** @param layers layers, or an input tensor from {@code Input} first */
  public Sequential(List<?> layers, String name) {
    super(name != null ? name : LayerNames.next("sequential"), true);
    for (Object o : layers) {
      if (o instanceof Layer l) add(l);
      else if (o instanceof SymbolicTensor t) add(t);
      else throw DlnRuntimeException.value("Sequential takes layers, got " + o);
    }
  }

  @Override
  public String typeName() {
    return "Sequential";
  }

  /** Adds a layer on top; applies it at once when the input shape is known. */
  public Sequential add(Layer layer) {
    if (layer instanceof InputLayer il) {
      List<Node> ns = il.inboundNodes();
      return add(ns.isEmpty() ? il.apply(List.of()).get(0) : ns.get(0).outputs().get(0));
    }
    if (layer == this) throw DlnRuntimeException.value("a model cannot contain itself");
    if (isGraphBuilt()) {
      SymbolicTensor out = outputs().get(0);
      SymbolicTensor next = layer.apply(out);
      stack.add(layer);
      setGraph(List.of(input), List.of(next));
      return this;
    }
    stack.add(layer);
    if (stack.size() == 1 && input == null && layer.declaredInputShape() != null) {
      try {
        build(layer.declaredInputShape());
      } catch (RuntimeException e) {
        stack.remove(stack.size() - 1);
        throw e;
      }
    } else if (stack.size() == 1 && input == null && layer instanceof Model m && m.isGraphBuilt() && m.inputs().size() == 1) {
      build(m.inputs().get(0).sampleShape());
    }
    return this;
  }

  /** Starts the stack with an input tensor from {@code Input(shape)}. */
  public Sequential add(SymbolicTensor t) {
    if (!(t.layer() instanceof InputLayer)) {
      throw DlnRuntimeException.value("Sequential takes layers; this tensor comes from " + t.layer().describe(),
          "use Model(inputs=..., outputs=...) for tensors");
    }
    if (input != null || !stack.isEmpty()) {
      throw DlnRuntimeException.value("an Input can only be the first element of a Sequential model", null);
    }
    input = t;
    setGraph(List.of(t), List.of(t));
    return this;
  }

  /** The stacked layers (without the input, as Keras shows them). */
  @Override
  public List<Layer> layers() {
    return Collections.unmodifiableList(stack);
  }

  @Override
  protected boolean showsConnections() {
    return false;
  }

  @Override
  public void buildFor(List<long[]> sampleShapes) {
    if (isGraphBuilt()) return;
    if (sampleShapes.size() != 1) {
      throw DlnRuntimeException.value("a Sequential model takes one input, got " + sampleShapes.size(), null);
    }
    build(sampleShapes.get(0));
  }

  /**
   * Builds the graph for a per-sample input shape. Shapes are checked through the whole stack
   * first, so data of the wrong shape leaves every layer unbuilt rather than half-built.
   */
  private void build(long[] sampleShape) {
    if (stack.isEmpty()) {
      throw DlnRuntimeException.value("model '" + name() + "' has no layers", "add layers with model.add(Dense(10))");
    }
    long[] shape = Shapes.withBatch(sampleShape);
    for (Layer l : stack) shape = l.outputShapes(List.of(shape)).get(0);
    SymbolicTensor in = Input.of(sampleShape);
    SymbolicTensor x = in;
    for (Layer l : stack) x = l.apply(x);
    input = in;
    setGraph(List.of(in), List.of(x));
  }
}
