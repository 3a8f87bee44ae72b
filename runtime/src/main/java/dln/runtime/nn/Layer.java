package dln.runtime.nn;

import dln.runtime.Shapes;
import dln.runtime.DlnRuntimeException;
import dln.runtime.NativeMemory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer: a validated configuration (a Jackson-serialisable record returned by {@link #config()}),
 * pure output-shape inference, parameter creation, and the SameDiff forward pass.
 *
 * <p>Applying a layer to symbolic tensors ({@link #apply(SymbolicTensor)}) infers the output shape
 * at once and records a {@link Node}; the first application creates the weights, later ones share
 * them. Calling it on an eager array ({@link #call(INDArray)}) runs it in inference mode.
 */
public abstract class Layer {
  private String name;
  private boolean trainable = true;
  private long[] inputShape;
  private final Map<String, Weight> weights = new LinkedHashMap<>();
  private List<long[]> builtInputShapes;
  private final List<Node> inboundNodes = new ArrayList<>();
  private EagerRunner eager;
  /** The input shapes of the build in progress (for the error of a weight sized by a None axis), else null. */
  private List<long[]> buildingFor;

  /** @param name the layer's name, or null for the next default name ({@code dense}, {@code dense_1}, ...) */
  protected Layer(String name) {
    this.name = name != null ? name : LayerNames.next(LayerNames.snake(typeName()));
  }

  /** The registry type name, e.g. "Dense" (the class's simple name unless overridden). */
  public String typeName() {
    return getClass().getSimpleName();
  }

  /** The validated configuration record (what model files store). */
  public abstract Object config();

  /** Output shape for single-output layers; shapes include the unknown batch dimension. */
  protected abstract long[] outputShape(List<long[]> inputShapes);

  /** Forward pass in a graph; {@code shapes} are the symbolic input shapes. */
  protected abstract SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes);

  /** Creates the weights for these input shapes (called once, on first application). */
  protected void build(List<long[]> inputShapes) {}

  /** Fewest inputs accepted (merging layers need two). */
  protected int minInputs() {
    return 1;
  }

  /** Most inputs accepted. */
  protected int maxInputs() {
    return 1;
  }

  /** Output shapes for these input shapes (validates them; throws a shape error with a hint). */
  public List<long[]> outputShapes(List<long[]> inputShapes) {
    checkInputCount(inputShapes.size());
    return List.of(outputShape(inputShapes));
  }

  /**
   * Runs the forward pass in a graph and returns the outputs. A mask rides on its tensor, as
   * Keras's {@code _keras_mask} does: the input's mask ({@link GraphContext#maskOf}) goes to
   * {@link #forward(GraphContext, List, List, SDVariable)} and {@link #outputMask} is recorded on
   * the output.
   */
  public List<SDVariable> call(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable mask = inputs.size() == 1 ? ctx.maskOf(inputs.get(0)) : maskUse() == MaskUse.COMBINED ? allKept(ctx, inputs) : null;
    SDVariable out = mask == null ? forward(ctx, inputs, shapes) : forward(ctx, inputs, shapes, mask);
    ctx.setMask(out, outputMask(ctx, inputs, mask));
    return List.of(out);
  }

  // ---------------------------------------------------------------- masking

  /** The AND of the masks on several inputs (their product, masks being 0/1), those without one ignored; null when none has one. */
  private static SDVariable allKept(GraphContext ctx, List<SDVariable> inputs) {
    SDVariable all = null;
    for (SDVariable in : inputs) {
      SDVariable m = ctx.maskOf(in);
      if (m != null) all = all == null ? m : all.mul(m);
    }
    return all;
  }

  /** What a layer does with a mask on its input (Keras's {@code supports_masking} and {@code compute_mask}). */
  public enum MaskUse {
    /** The layer cannot honour a mask: applying it to a masked tensor is an error (Keras 2's TypeError). */
    REFUSED,
    /** The layer works per step and hands the mask on unchanged (Dense on sequences, Dropout, TimeDistributed). */
    PASSED_ON,
    /** The layer reads the mask (a recurrent layer, GlobalAveragePooling1D); {@link #masksOutput} says what it hands on. */
    CONSUMED,
    /**
     * A merge of several inputs (Add, Multiply, Concatenate on the last axis, ...): a step is kept
     * where every masked input keeps it, inputs without a mask keeping every step (Keras's
     * {@code Merge.compute_mask} / {@code Concatenate.compute_mask}); the values merge as without masks.
     */
    COMBINED
  }

  /**
   * Marks a layer that works on each step alone and hands a mask of padded steps on unchanged
   * (Keras's supports_masking): Dense on sequences, Dropout, Activation, TimeDistributed, ...
   */
  public interface PassesMask {}

  /** What this layer does with a mask on its input: passes it on when {@link PassesMask}, else cannot honour one. */
  public MaskUse maskUse() {
    return this instanceof PassesMask ? MaskUse.PASSED_ON : MaskUse.REFUSED;
  }

  /**
   * Whether this layer's output carries a mask, given whether its input does: decided when the
   * graph is built, so both engines know where masks flow. A layer making a mask (Embedding with
   * mask_zero, Masking) or consuming one (a recurrent layer returning sequences) overrides it.
   */
  public boolean masksOutput(boolean inputMasked) {
    return inputMasked && maskUse() != MaskUse.REFUSED;
  }

  /**
   * The forward pass of a masked input: {@code mask} is (batch, steps), 1 for a step kept and 0
   * for a padded one. Layers that read the mask override it; the others ignore it.
   */
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes, SDVariable mask) {
    return forward(ctx, inputs, shapes);
  }

  /**
   * Whether the output carries a mask, given which inputs carry one (refusing masks the layer
   * cannot honour): {@link #masksOutput(boolean)} of whether any input is masked, unless a layer of
   * several inputs decides otherwise (MultiHeadAttention: the query's; a nested model: its graph's).
   * Asked when the layer is applied, and again for the layers inside a nested model applied to
   * masked tensors ({@link Model#maskFlow}).
   */
  protected boolean masksOutput(boolean[] inputsMasked) {
    return masksOutput(checkMasks(inputsMasked));
  }

  static boolean[] maskedFlags(List<SymbolicTensor> tensors) {
    boolean[] flags = new boolean[tensors.size()];
    for (int i = 0; i < flags.length; i++) flags[i] = tensors.get(i).masked();
    return flags;
  }

  /** The mask of the output (null for none): the input's, when {@link #masksOutput} hands it on. */
  protected SDVariable outputMask(GraphContext ctx, List<SDVariable> inputs, SDVariable mask) {
    return masksOutput(mask != null) ? mask : null;
  }

  private boolean checkMasks(boolean[] inputsMasked) {
    boolean masked = false;
    for (boolean m : inputsMasked) masked |= m;
    if (!masked) return false;
    if (maskUse() == MaskUse.REFUSED || (inputsMasked.length > 1 && maskUse() == MaskUse.PASSED_ON)) {
      throw DlnRuntimeException.value(describe() + " does not support masking, but its input carries a mask (from "
              + "Embedding(mask_zero=true) or Masking)",
          "read the padded sequence with an LSTM, GRU, SimpleRNN, Bidirectional or GlobalAveragePooling1D first, "
              + "or drop the mask (mask_zero=false)");
    }
    return true;
  }

  // ---------------------------------------------------------------- symbolic application

  /** Applies the layer to one symbolic tensor; returns its (single) output. */
  public SymbolicTensor apply(SymbolicTensor input) {
    List<SymbolicTensor> out = apply(List.of(input));
    if (out.size() != 1) {
      throw DlnRuntimeException.value(describe() + " has " + out.size() + " outputs; use the list form");
    }
    return out.get(0);
  }

  /** Applies the layer to several symbolic tensors (Add, Concatenate, multi-input models). */
  public List<SymbolicTensor> apply(List<SymbolicTensor> inputs) {
    List<long[]> shapes = new ArrayList<>();
    for (SymbolicTensor t : inputs) shapes.add(t.shape());
    List<long[]> outs = outputShapes(shapes);
    boolean masked = masksOutput(maskedFlags(inputs));
    ensureBuilt(shapes);
    Node node = new Node(this, inputs, outs, inboundNodes.size(), masked);
    inboundNodes.add(node);
    return node.outputs();
  }

  /**
   * Creates the weights on first use; on later uses checks the shapes match, because a shared
   * layer has one set of weights sized for its first input.
   */
  public void ensureBuilt(List<long[]> shapes) {
    if (builtInputShapes == null) {
      outputShapes(shapes);
      buildingFor = shapes;
      try {
        build(shapes);
      } catch (RuntimeException e) {
        // Nothing half-built: a refused weight (too large for memory) leaves no earlier ones behind.
        weights.clear();
        throw e;
      } finally {
        buildingFor = null;
      }
      builtInputShapes = new ArrayList<>();
      for (long[] s : shapes) builtInputShapes.add(s.clone());
      return;
    }
    boolean same = builtInputShapes.size() == shapes.size();
    for (int i = 0; same && i < shapes.size(); i++) same = Shapes.compatibleSample(builtInputShapes.get(i), shapes.get(i));
    if (!same && !weights.isEmpty()) {
      throw DlnRuntimeException.shape(
          describe() + " was built for input " + Shapes.format(builtInputShapes) + " and cannot be applied to "
              + Shapes.format(shapes),
          "a shared layer keeps one set of weights: apply it only to inputs of the same shape, or create a new layer");
    }
  }

  /** True once the weights exist. */
  public boolean isBuilt() {
    return builtInputShapes != null;
  }

  /** The input shapes the weights were built for, or null. */
  public List<long[]> builtInputShapes() {
    return builtInputShapes == null ? null : Collections.unmodifiableList(builtInputShapes);
  }

  protected void checkInputCount(int n) {
    if (n < minInputs()) {
      throw DlnRuntimeException.value(
          describe() + " needs " + (minInputs() == 1 ? "an input" : "at least " + minInputs() + " inputs") + ", got " + n,
          minInputs() > 1 ? "call it on a list: " + typeName() + "()([x, y])" : null);
    }
    if (n > maxInputs()) {
      throw DlnRuntimeException.value(
          describe() + " takes " + (maxInputs() == 1 ? "one input" : maxInputs() + " inputs") + ", got " + n,
          maxInputs() == 1 ? "merge tensors first with Add() or Concatenate()" : null);
    }
  }

  /** The nodes created by applying this layer, in order. */
  public List<Node> inboundNodes() {
    return Collections.unmodifiableList(inboundNodes);
  }

  /** The layer's input tensor (Keras's {@code layer.input}); defined when applied exactly once. */
  public Object input() {
    Node n = onlyNode("input");
    return n.inputs().size() == 1 ? n.inputs().get(0) : n.inputs();
  }

  /** The layer's output tensor (Keras's {@code layer.output}); defined when applied exactly once. */
  public Object output() {
    Node n = onlyNode("output");
    return n.outputs().size() == 1 ? n.outputs().get(0) : n.outputs();
  }

  private Node onlyNode(String what) {
    if (inboundNodes.isEmpty()) {
      throw DlnRuntimeException.value(describe() + " has no " + what + " yet: it has not been applied to a tensor",
          "apply it first, e.g. y = layer(x) with x = Input(...)");
    }
    // Keras refuses when a shared layer has several nodes; the first node is the useful answer for
    // transfer learning (the layer's place in the model it was built in).
    return inboundNodes.get(0);
  }

  // ---------------------------------------------------------------- eager use

  /** Eager inputs are batches: a number (rank 0) has no batch axis to drop (found by the fuzzer). */
  public final void checkBatched(List<INDArray> xs) {
    for (INDArray x : xs) {
      if (x.rank() == 0) {
        throw DlnRuntimeException.shape(describe() + " is applied to a batch (samples along the first axis), got a number",
            "wrap a single sample in a batch of one, e.g. model(tensor([[1.0, 2.0]]))");
      }
    }
  }

  /** Runs the layer on an eager batch in inference mode (dropout off, moving statistics). */
  public INDArray call(INDArray x) {
    List<INDArray> out = call(List.of(x));
    if (out.size() != 1) throw DlnRuntimeException.value(describe() + " has " + out.size() + " outputs");
    return out.get(0);
  }

  /** Runs the layer on eager batches in inference mode. */
  public List<INDArray> call(List<INDArray> xs) {
    checkBatched(xs);
    if (eager == null) eager = new EagerRunner(this);
    return eager.run(xs);
  }

  // ---------------------------------------------------------------- weights

  /** Adds a weight while building; trainable unless it is a statistic. */
  protected Weight addWeight(String weightName, long[] shape, String initializer, boolean trainableWeight,
      Regularizer regularizer) {
    // Refused before allocating: a kernel too large for memory (a Dense on a huge flat input)
    // would otherwise swap for minutes or die in a native allocation half-way through the model.
    for (long d : shape) if (d == Shapes.UNKNOWN) throw unknownAxisError(weightName);
    NativeMemory.checkFits(describe() + "'s " + weightName, shape, Float.BYTES);
    Weight w = new Weight(this, weightName, Initializers.create(initializer, shape), trainableWeight, regularizer);
    weights.put(weightName, w);
    return w;
  }

  /**
   * A weight sized by an axis of unknown size (Dense on a None feature axis, a convolution on None
   * channels): Keras refuses it when the layer is built, naming the layer, and so does DLN.
   */
  private DlnRuntimeException unknownAxisError(String weightName) {
    String input = buildingFor == null ? "" : " for an input of shape " + Shapes.format(buildingFor);
    return DlnRuntimeException.shape(describe() + " cannot create its weight '" + weightName + "'" + input
            + ": the axis it is sized by (the features / channels) is None",
        "give that axis a size in Input(shape=...); only the steps of a sequence and the height and width of an image may be None");
  }

  /** Drops a weight again (a layer whose build failed half-way keeps none of it). */
  protected void removeWeight(String weightName) {
    weights.remove(weightName);
  }

  /** The layer's own weights in Keras order (kernel, bias, ...). */
  public List<Weight> weightList() {
    return new ArrayList<>(weights.values());
  }

  /** A weight by short name ("kernel"), or null. */
  public Weight weight(String weightName) {
    return weights.get(weightName);
  }

  /** Weight arrays in Keras order (live arrays; copy before changing them). */
  public List<INDArray> getWeights() {
    List<INDArray> out = new ArrayList<>();
    for (Weight w : weightList()) out.add(w.value());
    return out;
  }

  /** Sets all weights (Keras's {@code set_weights}): same count and shapes as {@link #getWeights()}. */
  public void setWeights(List<INDArray> values) {
    if (!isBuilt() && inputShape != null) ensureBuilt(List.of(Shapes.withBatch(inputShape)));
    List<Weight> ws = weightList();
    if (!isBuilt() && ws.isEmpty()) {
      throw DlnRuntimeException.value(describe() + " has no weights yet: they are created when it first sees an input",
          "give it input_shape=..., or call it once on an input, before set_weights");
    }
    if (values.size() != ws.size()) {
      throw DlnRuntimeException.value(describe() + " has " + ws.size() + " weight arrays, got " + values.size(),
          ws.isEmpty() ? "this layer has no weights" : "expected shapes " + shapesOf(ws));
    }
    // Check every shape before changing anything, so a bad call leaves the layer untouched.
    for (int i = 0; i < ws.size(); i++) {
      if (!Arrays.equals(ws.get(i).shape(), values.get(i).shape())) {
        throw DlnRuntimeException.shape(
            describe() + ": weight " + i + " ('" + ws.get(i).name() + "') has shape " + Shapes.format(ws.get(i).shape())
                + ", got " + Shapes.format(values.get(i).shape()),
            "expected shapes " + shapesOf(ws));
      }
    }
    for (int i = 0; i < ws.size(); i++) ws.get(i).set(values.get(i));
  }

  private static String shapesOf(List<Weight> ws) {
    List<String> s = new ArrayList<>();
    for (Weight w : ws) s.add(Shapes.format(w.shape()));
    return String.join(", ", s);
  }

  /** Number of scalar parameters (trainable or not). */
  public long countParams() {
    long n = 0;
    for (Weight w : weights.values()) n += w.value().length();
    return n;
  }

  // ---------------------------------------------------------------- properties

  public String name() {
    return name;
  }

  /** Renames the layer (only sensible before it is used in a model). */
  public void setName(String name) {
    this.name = name;
  }

  /** False when frozen: training leaves its weights bit-identical. */
  public boolean isTrainable() {
    return trainable;
  }

  public void setTrainable(boolean trainable) {
    this.trainable = trainable;
  }

  /** Per-sample input shape given at construction (Keras's {@code input_shape}), or null. */
  public long[] declaredInputShape() {
    return inputShape == null ? null : inputShape.clone();
  }

  /** Declares the per-sample input shape, so a Sequential starting with this layer is built at once. */
  public Layer withInputShape(long... sampleShape) {
    this.inputShape = Shapes.checkSampleOrUnknown(sampleShape.clone(), "input");
    return this;
  }

  /** Why this layer cannot be written to a model file (a Lambda holds code), or null when it can. */
  public String unsaveableReason() {
    return null;
  }

  /** "layer 'dense_1' (Dense)" for messages. */
  public String describe() {
    return "layer '" + name + "' (" + typeName() + ")";
  }

  /** A shape error that names this layer, what it expected, what it got, and a hint. */
  protected DlnRuntimeException shapeError(String expected, long[] got, String hint) {
    return DlnRuntimeException.shape(
        describe() + " expects " + expected + ", but got an input of shape " + Shapes.format(got), hint);
  }

  @Override
  public String toString() {
    return "<" + typeName() + " '" + name + "'>";
  }
}
