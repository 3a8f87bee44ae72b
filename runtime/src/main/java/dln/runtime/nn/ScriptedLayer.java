package dln.runtime.nn;

import dln.runtime.DlnRuntimeException;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import dln.runtime.Shapes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A layer whose weights and forward pass come from a {@link LayerBody} written outside the runtime
 * (Keras's subclassed {@code Layer}). Its weights are ordinary {@link Weight}s, so summaries,
 * get/set_weights, freezing and every optimiser treat it as any layer; the body's code sees each
 * weight as a {@link Variable} sharing the weight's array, which stands for the weight's graph
 * variable while the body adds its operations. The body runs only while a graph is built (as a
 * Keras layer's {@code call} runs while a {@code tf.function} is traced): training runs SameDiff's
 * graph, not the client's code.
 */
public final class ScriptedLayer extends Layer {
  /** The batch size of the small probe that finds the output shape. */
  private static final int PROBE_BATCH = 2;

  private final LayerBody body;
  private final Map<Weight, Variable> variables = new LinkedHashMap<>();
  private final Map<String, long[]> outputShapes = new HashMap<>();
  /** Layers the body called inside its forward pass (Keras tracks them as the layer's sublayers). */
  private final Set<Layer> sublayers = new LinkedHashSet<>();
  /** Each sublayer's output shape when it was last applied inside call() (the batch axis unknown). */
  private final java.util.Map<Layer, long[]> sublayerShapes = new java.util.IdentityHashMap<>();
  /** True for the body of a subclassed model, whose summary lists its layers. */
  private boolean modelBody;
  private boolean bodyBuilt;

  /** The graph being built and the custom layer whose body is running, innermost first. */
  private record Frame(GraphContext ctx, ScriptedLayer layer) {}

  private static final ThreadLocal<Deque<Frame>> TRACING = ThreadLocal.withInitial(ArrayDeque::new);

  /** @param name the layer's name, or null for one made from the type name ({@code my_dense}, {@code my_dense_1}, ...) */
  public ScriptedLayer(LayerBody body, String name) {
    super(name != null ? name : LayerNames.next(LayerNames.snake(body.typeName())));
    this.body = body;
  }

  public LayerBody body() {
    return body;
  }

  @Override
  public String typeName() {
    return body.typeName();
  }

  /** The layer's architecture is code in the client's language, which a model file cannot hold. */
  @Override
  public Object config() {
    throw DlnRuntimeException.value(describe() + " is defined by a class in your program: a model file cannot hold its code",
        "save the weights with model.save_weights(path); to load them, build the model from the class again and call model.load_weights(path)");
  }

  /**
   * Adds a weight (Keras's {@code add_weight}) and returns the variable the body uses for it.
   *
   * @param weightName the weight's name inside the layer, or null for {@code variable}, {@code variable_1}, ...
   * @param trainable false for a weight no optimiser changes
   * @param regularizer a penalty added to the loss, or null
   */
  public Variable addVariable(String weightName, long[] shape, String initializer, boolean trainable, Regularizer regularizer) {
    for (long d : shape) {
      if (d <= 0) {
        throw DlnRuntimeException.value(describe() + ": add_weight() shape " + Shapes.format(shape) + " has a dimension " + d
            + "; every dimension must be positive", "in build(self, input_shape), input_shape[-1] is the number of input features");
      }
    }
    Weight w = addWeight(uniqueWeightName(weightName == null ? "variable" : weightName), shape.clone(),
        Initializers.check(initializer), trainable, regularizer);
    Variable v = w.variable();
    variables.put(w, v);
    return v;
  }

  private String uniqueWeightName(String base) {
    String n = base;
    for (int i = 1; weight(n) != null; i++) n = base + "_" + i;
    return n;
  }

  /** Records that the client ran the body's build itself (Keras's explicit {@code layer.build(shape)}). */
  public void markBuilt() {
    bodyBuilt = true;
  }

  /** The variable the body was given for a weight, or null for another layer's weight. */
  public Variable variable(Weight w) {
    return variables.get(w);
  }

  /** Keras builds a layer on its first call, before the call itself; so does this one, before finding its output shape. */
  @Override
  public List<long[]> outputShapes(List<long[]> inputShapes) {
    checkInputCount(inputShapes.size());
    buildBody(inputShapes);
    String key = Shapes.format(inputShapes);
    long[] out = outputShapes.get(key);
    if (out == null) {
      out = probeOutputShape(inputShapes);
      outputShapes.put(key, out);
    }
    return List.of(out.clone());
  }

  @Override
  protected long[] outputShape(List<long[]> inputShapes) {
    return outputShapes(inputShapes).get(0);
  }

  @Override
  protected void build(List<long[]> inputShapes) {
    buildBody(inputShapes);
  }

  private void buildBody(List<long[]> inputShapes) {
    if (bodyBuilt) return;
    List<Weight> before = super.weightList();
    try {
      body.build(this, inputShapes);
    } catch (RuntimeException e) {
      // Nothing half-built: the weights the failed build added are dropped again.
      for (Weight w : super.weightList()) {
        if (!before.contains(w)) {
          variables.remove(w);
          removeWeight(w.name());
        }
      }
      throw e;
    }
    bodyBuilt = true;
  }

  /**
   * Runs the forward pass once on a batch of zeros in a scratch graph: the body's operations need
   * not declare their shapes, so the output shape is what they compute (the batch axis unknown).
   */
  private long[] probeOutputShape(List<long[]> inputShapes) {
    SameDiff sd = SameDiff.create();
    GraphContext ctx = new GraphContext(sd, false);
    List<SDVariable> ins = new ArrayList<>();
    Map<String, INDArray> feed = new LinkedHashMap<>();
    for (int i = 0; i < inputShapes.size(); i++) {
      SDVariable p = sd.placeHolder("input_" + i, DataType.FLOAT, inputShapes.get(i));
      ins.add(p);
      feed.put(p.name(), Nd4j.zeros(DataType.FLOAT, Shapes.withBatchSize(inputShapes.get(i), PROBE_BATCH)));
    }
    SDVariable out = forward(ctx, ins, inputShapes);
    if (ins.contains(out)) return inputShapes.get(0).clone();
    INDArray value;
    try {
      value = dln.runtime.Muted.call(() -> sd.output(feed, out.name()).get(out.name()));
    } catch (RuntimeException e) {
      throw DlnRuntimeException.shape(describe() + ": call() cannot run on an input of shape " + Shapes.format(inputShapes)
          + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())),
          "check the shapes of the weights made in build() against the input (input_shape[-1] is the number of features)");
    }
    long[] shape = value.shape().clone();
    if (shape.length > 0 && shape[0] == PROBE_BATCH) shape[0] = Shapes.UNKNOWN;
    return shape;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    // Shared arrays: the graph variable of each weight is the weight's own array (ctx.weight checks it).
    for (Map.Entry<Weight, Variable> e : variables.entrySet()) e.getValue().trace(new Traced(ctx.weight(e.getKey())));
    TRACING.get().push(new Frame(ctx, this));
    try {
      return body.forward(this, inputs, shapes, ctx.training(this));
    } finally {
      TRACING.get().pop();
      for (Variable v : variables.values()) v.trace(null);
    }
  }

  /** True while a custom layer's call() is being traced on this thread. */
  public static boolean tracing() {
    return !TRACING.get().isEmpty();
  }

  /**
   * Applies another layer (a builtin Dense, a custom layer, a model) to traced tensors inside a
   * body's forward pass, in the graph being built: Keras's {@code self.dense(x)} inside {@code call}.
   * The layer becomes a sublayer, whose weights are this layer's too.
   */
  public static Traced applyInside(Layer inner, List<Traced> inputs) {
    Frame frame = TRACING.get().peek();
    if (frame == null) {
      throw DlnRuntimeException.value(inner.describe() + " was called on a traced tensor outside a custom layer's call()",
          "call layers on tensors from Input(...) or on arrays");
    }
    List<long[]> shapes = new ArrayList<>();
    List<SDVariable> vars = new ArrayList<>();
    for (Traced t : inputs) {
      if (t.knownShape() == null) {
        throw DlnRuntimeException.shape(inner.describe() + " cannot be applied to a value of unknown shape inside "
            + frame.layer.describe() + "'s call()", "apply it to the call's inputs or to what layers made from them");
      }
      shapes.add(t.knownShape());
      vars.add(t.var());
    }
    inner.ensureBuilt(shapes);
    List<long[]> outShapes = inner.outputShapes(shapes);
    List<SDVariable> outs = inner.call(frame.ctx, vars, shapes);
    if (outs.size() != 1) throw DlnRuntimeException.value(inner.describe() + " has " + outs.size() + " outputs; inside call() only single-output layers are supported");
    if (inner != frame.layer) {
      frame.layer.sublayers.add(inner);
      frame.layer.sublayerShapes.put(inner, outShapes.get(0));
    }
    return new Traced(outs.get(0), outShapes.get(0));
  }

  /** Marks this layer as a subclassed model's body: the model's summary shows a row per layer it tracks. */
  public ScriptedLayer asModelBody() {
    modelBody = true;
    return this;
  }

  public boolean isModelBody() {
    return modelBody;
  }

  /**
   * Keras's summary rows of a subclassed model: each layer it tracks (its attributes, then any
   * other layer its call() used), with the output shape from the last call (null when it was not
   * called) and its parameters; the layer's own weights (add_weight on the model) count in no row.
   */
  public java.util.List<java.util.Map.Entry<Layer, long[]>> summaryRows() {
    Set<Layer> layers = new LinkedHashSet<>(body.trackedLayers());
    layers.addAll(sublayers);
    java.util.List<java.util.Map.Entry<Layer, long[]>> rows = new ArrayList<>();
    for (Layer l : layers) rows.add(new java.util.AbstractMap.SimpleEntry<>(l, sublayerShapes.get(l)));
    return rows;
  }

  /** The layers its call() used, in the order first used. */
  public List<Layer> sublayers() {
    return new ArrayList<>(sublayers);
  }

  /** Its own weights, then its sublayers' (each once). */
  @Override
  public List<Weight> weightList() {
    Set<Weight> out = new LinkedHashSet<>(super.weightList());
    for (Layer l : sublayers) out.addAll(l.weightList());
    return new ArrayList<>(out);
  }

  @Override
  public long countParams() {
    long n = 0;
    for (Weight w : weightList()) n += w.value().length();
    return n;
  }
}
