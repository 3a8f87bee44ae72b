package dln.runtime.nn;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.InputLayer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A functional model: a graph of layer applications from input tensors to output tensors. A model
 * is itself a layer (it can be applied to new tensors, reusing its weights). A model is only the
 * graph and its weights: compiling, training, evaluating and predicting on the training engine
 * live in {@code dln.runtime.train.session.TrainingSession}, which a package above this one keeps
 * on the model through {@link #attachment}.
 */
public class Model extends Layer {
  /** One weight with whether training may change it (its layer and every enclosing model unfrozen). */
  public record WeightRef(Weight weight, boolean trainable) {}

  private List<SymbolicTensor> inputs = List.of();
  private List<SymbolicTensor> outputs = List.of();
  /** The names the inputs/outputs were given by (Keras's dict of tensors), aligned with them; null when given in order. */
  private List<String> inputKeys;
  private List<String> outputKeys;
  private List<Node> nodes = List.of();
  private List<Layer> layers = List.of();
  private int version;
  private final Map<Class<?>, Object> attachments = new IdentityHashMap<>();

  /** A model from its input tensors (made by {@link Input#of}) to its output tensors. */
  public Model(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs, String name) {
    super(name != null ? name : LayerNames.next("model"));
    setGraph(inputs, outputs);
  }

  public Model(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs) {
    this(inputs, outputs, null);
  }

  /**
   * A model whose inputs and/or outputs are named by keys (a front end's {@code Model(inputs={...},
   * outputs={...})}): {@code inputKeys}/{@code outputKeys} are aligned with the tensors, or null
   * for tensors given in order. The keys name the outputs in training logs, label and loss
   * mappings, and a front end hands results back keyed by them.
   */
  public Model(List<SymbolicTensor> inputs, List<SymbolicTensor> outputs, String name, List<String> inputKeys, List<String> outputKeys) {
    this(inputs, outputs, name);
    this.inputKeys = checkedKeys(inputKeys, this.inputs, "input");
    this.outputKeys = checkedKeys(outputKeys, this.outputs, "output");
  }

  public Model(SymbolicTensor input, SymbolicTensor output) {
    this(List.of(input), List.of(output), null);
  }

  /** For subclasses that build their graph later (Sequential). */
  protected Model(String name, boolean deferred) {
    super(name);
  }

  @Override
  public String typeName() {
    return "Functional";
  }

  /** Sets the graph and derives the layer order; checks every output depends only on the inputs. */
  protected final void setGraph(List<SymbolicTensor> newInputs, List<SymbolicTensor> newOutputs) {
    if (newInputs.isEmpty()) throw DlnRuntimeException.value("a model needs at least one input", "use inputs=Input(shape)");
    if (newOutputs.isEmpty()) throw DlnRuntimeException.value("a model needs at least one output", null);
    for (SymbolicTensor in : newInputs) {
      if (!(in.layer() instanceof InputLayer)) {
        throw DlnRuntimeException.value(
            "model inputs must come from Input(...), but one comes from " + in.layer().describe(),
            "pass the tensor returned by Input(shape) as inputs=");
      }
    }
    Set<SymbolicTensor> inputSet = Collections.newSetFromMap(new IdentityHashMap<>());
    inputSet.addAll(newInputs);
    List<Node> order = new ArrayList<>();
    Set<Node> visited = Collections.newSetFromMap(new IdentityHashMap<>());
    for (SymbolicTensor in : newInputs) {
      if (visited.add(in.node())) order.add(in.node());
    }
    for (SymbolicTensor out : newOutputs) visit(out.node(), inputSet, visited, order);
    Set<Layer> seen = new LinkedHashSet<>();
    for (Node n : order) seen.add(n.layer());
    this.inputs = List.copyOf(newInputs);
    this.outputs = List.copyOf(newOutputs);
    this.nodes = List.copyOf(order);
    this.layers = List.copyOf(seen);
    this.version++;
  }

  private static void visit(Node node, Set<SymbolicTensor> inputSet, Set<Node> visited, List<Node> order) {
    if (visited.contains(node)) return;
    if (node.layer() instanceof InputLayer) {
      SymbolicTensor t = node.outputs().get(0);
      if (!inputSet.contains(t)) {
        throw DlnRuntimeException.value(
            "the model's outputs depend on input '" + node.layer().name() + "' " + Shapes.format(t.shape())
                + ", which is not among the model's inputs",
            "add it to inputs=[...]");
      }
    }
    visited.add(node);
    for (SymbolicTensor in : node.inputs()) visit(in.node(), inputSet, visited, order);
    order.add(node);
  }

  private static List<String> checkedKeys(List<String> keys, List<SymbolicTensor> tensors, String what) {
    if (keys == null) return null;
    if (keys.size() != tensors.size()) {
      throw DlnRuntimeException.value("the model has " + tensors.size() + " " + what + "s but " + keys.size() + " " + what + " names", null);
    }
    if (new LinkedHashSet<>(keys).size() != keys.size()) {
      throw DlnRuntimeException.value("two of the model's " + what + "s have the same name: " + keys, "give each " + what + " its own key");
    }
    return List.copyOf(keys);
  }

  // ---------------------------------------------------------------- structure

  public List<SymbolicTensor> inputs() {
    return inputs;
  }

  public List<SymbolicTensor> outputs() {
    return outputs;
  }

  /** True when the inputs were given by name (a dict), so results and data are keyed by {@link #inputNames()}. */
  public boolean inputsKeyed() {
    return inputKeys != null;
  }

  /** True when the outputs were given by name (a dict), so a front end returns them keyed by {@link #outputNames()}. */
  public boolean outputsKeyed() {
    return outputKeys != null;
  }

  /** The name of each input: its key when the inputs were given by name, else its Input layer's name. */
  public List<String> inputNames() {
    if (inputKeys != null) return inputKeys;
    List<String> names = new ArrayList<>();
    for (SymbolicTensor t : inputs) names.add(t.layer().name());
    return names;
  }

  /**
   * The name of each output in training logs ({@code <name>_loss}, {@code <name>_accuracy}) and in
   * label, loss and metric mappings: its key when the outputs were given by name, else its layer's
   * name (with the output's position appended where one layer gives several of them).
   */
  public List<String> outputNames() {
    if (outputKeys != null) return outputKeys;
    List<String> names = new ArrayList<>();
    for (SymbolicTensor t : outputs) names.add(t.layer().name());
    for (int i = 0; i < names.size(); i++) {
      if (names.indexOf(names.get(i)) != names.lastIndexOf(names.get(i))) names.set(i, names.get(i) + "_" + i);
    }
    return names;
  }

  /** Layer applications in execution order (input nodes first). */
  public List<Node> nodes() {
    return nodes;
  }

  /** The model's layers in order (Keras's {@code model.layers}). */
  public List<Layer> layers() {
    return layers;
  }

  /** Increases whenever the graph changes (compiled graphs are then rebuilt). */
  public int version() {
    return version;
  }

  /** A layer by name; a helpful error lists the names when it is missing. */
  public Layer getLayer(String layerName) {
    for (Layer l : layers()) if (l.name().equals(layerName)) return l;
    List<String> names = new ArrayList<>();
    for (Layer l : layers()) names.add(l.name());
    throw DlnRuntimeException.value("no layer named '" + layerName + "' in model '" + name() + "'",
        Names.hint(layerName, names));
  }

  /** A layer by position in {@link #layers()} (negative counts from the end). */
  public Layer getLayer(int index) {
    List<Layer> ls = layers();
    int i = index < 0 ? ls.size() + index : index;
    if (i < 0 || i >= ls.size()) {
      throw DlnRuntimeException.value("layer index " + index + " is out of range: the model has " + ls.size() + " layers");
    }
    return ls.get(i);
  }

  /** True when the graph exists (a Sequential without a known input shape is not built yet). */
  public boolean isGraphBuilt() {
    return !outputs.isEmpty();
  }

  /** Throws a helpful error when the model's graph does not exist yet. */
  public void requireGraph(String action) {
    if (!isGraphBuilt()) {
      throw DlnRuntimeException.value(
          "model '" + name() + "' has no input shape yet, so it cannot " + action,
          "give the first layer an input shape (Input(784) or input_shape=...), or call fit/predict first");
    }
  }

  // ---------------------------------------------------------------- as a layer

  @Override
  public Object config() {
    return ModelSpec.of(this);
  }

  @Override
  protected int minInputs() {
    return inputs.size();
  }

  @Override
  protected int maxInputs() {
    return inputs.size();
  }

  @Override
  public List<long[]> outputShapes(List<long[]> inputShapes) {
    requireGraph("be applied to a tensor");
    checkInputCount(inputShapes.size());
    for (int i = 0; i < inputShapes.size(); i++) {
      long[] expected = inputs.get(i).shape();
      if (!Shapes.compatibleSample(expected, inputShapes.get(i))) {
        throw DlnRuntimeException.shape(
            "model '" + name() + "' expects input " + (inputs.size() > 1 ? (i + 1) + " " : "") + "of shape "
                + Shapes.format(expected) + ", but got " + Shapes.format(inputShapes.get(i)),
            hintForInput(expected, inputShapes.get(i)));
      }
    }
    Map<SymbolicTensor, long[]> shapes = shapesFor(inputShapes);
    List<long[]> out = new ArrayList<>();
    for (SymbolicTensor t : outputs) out.add(shapes.get(t));
    return out;
  }

  /** True when an input has an axis of unknown size besides the batch (Keras's {@code Input(shape=(None,))}). */
  public boolean hasUnknownInputAxes() {
    for (SymbolicTensor t : inputs) if (Shapes.hasUnknownSample(t.shape())) return true;
    return false;
  }

  /**
   * The shape of every tensor of this model's graph (its own, not those inside nested models) when
   * its inputs have the given shapes (batch axis first): the symbolic shapes where those are the
   * inputs' own, else each layer's {@code outputShapes} again, so a model built for sequences of
   * any length ({@code None}) gets the concrete lengths of the data it runs on, and the engines
   * build a graph or plan for them. The shapes must be {@link Shapes#compatibleSample} with the inputs'.
   */
  public Map<SymbolicTensor, long[]> shapesFor(List<long[]> inputShapes) {
    Map<SymbolicTensor, long[]> shapes = new IdentityHashMap<>();
    boolean same = inputShapes.size() == inputs.size();
    for (int i = 0; same && i < inputs.size(); i++) same = Shapes.sameSample(inputs.get(i).shape(), inputShapes.get(i));
    for (int i = 0; i < inputs.size(); i++) shapes.put(inputs.get(i), same ? inputs.get(i).shape() : Shapes.withBatchSize(inputShapes.get(i), Shapes.UNKNOWN));
    for (Node node : nodes) {
      if (node.layer() instanceof InputLayer) continue;
      if (same) {
        for (SymbolicTensor t : node.outputs()) shapes.put(t, t.shape());
        continue;
      }
      List<long[]> in = new ArrayList<>();
      for (SymbolicTensor t : node.inputs()) in.add(shapes.get(t));
      List<long[]> outs = node.layer().outputShapes(in);
      for (int k = 0; k < outs.size(); k++) shapes.put(node.outputs().get(k), outs.get(k));
    }
    return shapes;
  }

  /** The shape of each model output when the inputs have these per-sample shapes (see {@link #shapesFor}). */
  public List<long[]> outputShapesForSamples(List<long[]> sampleShapes) {
    List<long[]> withBatch = new ArrayList<>();
    for (long[] s : sampleShapes) withBatch.add(Shapes.withBatch(s));
    Map<SymbolicTensor, long[]> shapes = shapesFor(withBatch);
    List<long[]> out = new ArrayList<>();
    for (SymbolicTensor t : outputs) out.add(shapes.get(t));
    return out;
  }

  static String hintForInput(long[] expected, long[] got) {
    if (Shapes.sampleSize(expected) == Shapes.sampleSize(got)) {
      return "same number of values per sample (" + Shapes.sampleSize(got) + "): reshape the data to "
          + Shapes.format(Shapes.sample(expected));
    }
    return null;
  }

  @Override
  protected long[] outputShape(List<long[]> inputShapes) {
    return outputShapes(inputShapes).get(0);
  }

  /**
   * A model used as a layer hands on the mask its own output carries: one made inside it (an
   * Embedding with mask_zero) or, applied to masked tensors, the one its layers hand on from them,
   * as a Keras functional model passes its inputs' masks through its graph.
   */
  @Override
  protected boolean masksOutput(boolean[] inputsMasked) {
    checkInputCount(inputsMasked.length);
    Map<SymbolicTensor, Boolean> flow = maskFlow(inputsMasked);
    return outputs.size() == 1 && flow.get(outputs.get(0));
  }

  /**
   * Which tensors of the graph carry a mask of padded steps when the model's inputs do as given:
   * with no masked input, the flags recorded when the graph was defined; otherwise each layer is
   * asked again (and refuses a mask it cannot honour, naming itself).
   */
  public Map<SymbolicTensor, Boolean> maskFlow(boolean[] inputsMasked) {
    requireGraph("carry masks");
    boolean any = false;
    for (boolean m : inputsMasked) any |= m;
    Map<SymbolicTensor, Boolean> flow = new IdentityHashMap<>();
    for (int i = 0; i < inputs.size(); i++) flow.put(inputs.get(i), inputsMasked[i]);
    for (Node node : nodes) {
      if (node.layer() instanceof InputLayer) continue;
      boolean[] in = new boolean[node.inputs().size()];
      for (int k = 0; k < in.length; k++) in[k] = flow.get(node.inputs().get(k));
      boolean out = any ? node.layer().masksOutput(in) : node.outputs().get(0).masked();
      for (SymbolicTensor t : node.outputs()) flow.put(t, out);
    }
    return flow;
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> in, List<long[]> shapes) {
    return call(ctx, in, shapes).get(0);
  }

  /** Runs the model's graph on graph variables (used for the top level and for nested models). */
  @Override
  public List<SDVariable> call(GraphContext ctx, List<SDVariable> in, List<long[]> shapes) {
    Map<SymbolicTensor, SDVariable> values = new IdentityHashMap<>();
    for (int i = 0; i < inputs.size(); i++) values.put(inputs.get(i), in.get(i));
    // The layers see the shapes of the data this graph is built for (None axes filled in).
    Map<SymbolicTensor, long[]> known = shapesFor(shapes);
    ctx.enterModel(this);
    try {
      for (Node node : nodes) {
        if (node.layer() instanceof InputLayer) continue;
        List<SDVariable> args = new ArrayList<>();
        List<long[]> argShapes = new ArrayList<>();
        for (SymbolicTensor t : node.inputs()) {
          args.add(values.get(t));
          argShapes.add(known.get(t));
        }
        List<SDVariable> outs = node.layer().call(ctx, args, argShapes);
        for (int i = 0; i < outs.size(); i++) values.put(node.outputs().get(i), outs.get(i));
      }
    } finally {
      ctx.exitModel();
    }
    List<SDVariable> result = new ArrayList<>();
    for (SymbolicTensor t : outputs) result.add(values.get(t));
    return result;
  }

  // ---------------------------------------------------------------- weights

  /** Every distinct weight of the model (shared layers once), with its effective trainability. */
  public List<WeightRef> weightRefs() {
    List<WeightRef> out = new ArrayList<>();
    collect(this, true, out, Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  private static void collect(Layer layer, boolean parentTrainable, List<WeightRef> out, Set<Layer> seen) {
    if (!seen.add(layer)) return;
    boolean trainable = parentTrainable && layer.isTrainable();
    if (layer instanceof Model m) {
      for (Layer l : m.layers()) collect(l, trainable, out, seen);
    } else {
      for (Weight w : layer.weightList()) out.add(new WeightRef(w, trainable && w.isTrainable()));
    }
  }

  @Override
  public List<Weight> weightList() {
    List<Weight> out = new ArrayList<>();
    for (WeightRef r : weightRefs()) out.add(r.weight());
    return out;
  }

  @Override
  public Weight weight(String fullName) {
    for (Weight w : weightList()) if (w.fullName().equals(fullName)) return w;
    return null;
  }

  @Override
  public long countParams() {
    long n = 0;
    for (WeightRef r : weightRefs()) n += r.weight().value().length();
    return n;
  }

  /** Parameters training may change. */
  public long countTrainableParams() {
    long n = 0;
    for (WeightRef r : weightRefs()) if (r.trainable()) n += r.weight().value().length();
    return n;
  }

  // ---------------------------------------------------------------- summary

  /** Keras's summary table as text. */
  public String summary() {
    return summary(false);
  }

  /**
   * The summary with, when {@code showTrainable}, Keras's "Trainable" column: Y or N per layer with
   * weights ({@code layer.trainable}), "-" for one without ({@code summary(show_trainable=True)}).
   */
  public String summary(boolean showTrainable) {
    requireGraph("show a summary");
    return Summary.render(this, Summary.table(this, showTrainable));
  }

  /**
   * The cells of {@link #summary()}: header ("Layer (type)", "Output Shape", "Param #" and, for
   * functional graphs, "Connected to"), one row per layer, and the parameter counts.
   */
  public record SummaryTable(String name, List<String> header, List<List<String>> rows, long totalParams, long trainableParams) {}

  /** The summary as cells, for front ends that draw their own table (a notebook's HTML). */
  public SummaryTable summaryTable() {
    requireGraph("show a summary");
    return Summary.table(this);
  }

  /** True for models whose summary has a "Connected to" column (functional graphs). */
  protected boolean showsConnections() {
    return true;
  }

  // ---------------------------------------------------------------- attachments

  /**
   * The state of type {@code type} that a package above this one keeps per model (training keeps
   * its session here), created by {@code create} on first use. It lives and dies with the model:
   * a map from models to such state elsewhere would keep every model alive, because the state
   * refers back to its model. The model never looks inside.
   */
  public synchronized <T> T attachment(Class<T> type, Function<? super Model, ? extends T> create) {
    Object a = attachments.get(type);
    if (a == null) {
      a = create.apply(this);
      attachments.put(type, a);
    }
    return type.cast(a);
  }

  // ---------------------------------------------------------------- eager inference

  /** Builds the graph from the data's sample shapes if needed (Sequential); a no-op here. */
  public void buildFor(List<long[]> sampleShapes) {}

  /**
   * Runs the graph on eager batches in inference mode, as any layer does (a SameDiff graph bound
   * to the live weights). The language's {@code model(x)} and {@code predict} run on the training
   * engine instead, batch by batch: {@code TrainingSession.predict}.
   */
  @Override
  public List<INDArray> call(List<INDArray> xs) {
    checkBatched(xs);
    buildFor(sampleShapes(xs));
    return super.call(xs);
  }

  /** The sample shapes (batch axis dropped) of eager batches. */
  public static List<long[]> sampleShapes(List<INDArray> xs) {
    List<long[]> shapes = new ArrayList<>();
    for (INDArray x : xs) shapes.add(Shapes.sample(x.shape()));
    return shapes;
  }
}
