package dln.runtime.train.fast;

import dln.runtime.nn.InputLayer;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.nn.Node;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.Weight;
import dln.runtime.Shapes;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compiles a model into the fast engine's fixed schedule, or explains why it cannot. The schedule
 * is the model's graph in topological order, nested models (a {@code Model} used as a layer, at
 * any depth, applied any number of times) inlined: each {@link Op} runs a {@link LayerStep} (one
 * input) or a {@link MergeStep} (Add, Concatenate) on numbered value slots, so any graph the
 * functional API builds runs, with several inputs, several outputs (one {@link Output} and loss head
 * each; one tensor may be several outputs), a tensor read by several layers (its gradients summed)
 * and shared layers (one step per application, weight gradients summed by the engine). Layers are
 * those in {@link FastLayers}; each output has a {@link LossHead}: the cross-entropies fused with
 * the output's softmax / sigmoid where they can be, on the probabilities where not, from the
 * output itself with {@code from_logits}; L1/L2 regularisers are added by the engine
 * ({@link WeightPenalties}). Every other model runs on the reference engine.
 */
final class FastPlan {
  /**
   * One node of the schedule: exactly one of step / merge, the slots it reads and the slot it
   * writes; {@code maskFrom} the slot whose mask of padded steps its step reads (-1: none),
   * {@code makesMask} whether its step makes the mask its output carries, and {@code masksAnded}
   * (null for none) the mask slots a merge of differently masked inputs ANDs into its output's mask;
   * {@code inputMasks} (null for none) the mask slot of each input (-1: unmasked) of a merge that
   * reads them (attention).
   */
  record Op(LayerStep step, MergeStep merge, int[] in, int out, String label, int maskFrom, boolean makesMask, int[] masksAnded,
      int[] inputMasks) {
    List<Weight> weights() {
      return step != null ? step.weights() : merge.weights();
    }

    /** Gradient buffers of the last backward pass, aligned with {@link #weights()}. */
    List<INDArray> gradients() {
      return step != null ? step.gradients() : merge.gradients();
    }
  }

  /**
   * One model output: its slot, loss head (null without compile settings), the weight of its loss
   * in the total, Huber's threshold, the step whose pre-activation a fused head reads (null for
   * the element-wise heads), and the slot whose mask of padded steps the output carries (-1: none),
   * which weighs its loss as Keras does (the mean over kept steps).
   */
  record Output(int slot, LossHead head, double weight, double delta, LayerStep fusedStep, long[] sample, int maskFrom) {
    /** True when the last forward left this output for the fused loss head to write. */
    boolean headWritesOutput() {
      return fusedStep instanceof DenseStep d && d.activationDeferred();
    }

    /** The logits the fused loss head reads from the last forward. */
    INDArray logits() {
      if (fusedStep instanceof DenseStep d) return d.preActivation();
      return ((ActivationStep) fusedStep).preActivation();
    }
  }

  final List<Op> ops;
  /** Number of value slots: the model's inputs first (slots 0..inputs-1), then one per op. */
  final int slots;
  /** The model's outputs, in order. */
  final List<Output> outputs;

  private FastPlan(List<Op> ops, int slots, List<Output> outputs) {
    this.ops = ops;
    this.slots = slots;
    this.outputs = outputs;
  }

  /** True when every output has a loss head (the model was compiled). */
  boolean hasHeads() {
    for (Output o : outputs) if (o.head() == null) return false;
    return true;
  }

  /** Thrown while compiling a model the fast engine does not cover. */
  static final class Unsupported extends Exception {
    Unsupported(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * A layer application of the flattened graph (nested models inlined), with which of its inputs
   * and whether its output carry a mask of padded steps in this application (a nested model's
   * layers carry the masks of the tensors it is applied to).
   */
  private record Application(Node node, int[] in, int out, List<Model> enclosing, boolean[] inMasked, boolean outMasked,
      List<long[]> inShapes, long[] outShape) {}

  /**
   * Flattens a model's graph onto slots; {@code inSlots} hold the model's inputs, {@code inMasked}
   * whether each carries a mask; returns its output slots.
   */
  private static int[] flatten(Model model, int[] inSlots, boolean[] inMasked, List<long[]> inShapes, List<Model> enclosing,
      List<Application> apps, int[] nextSlot) throws Unsupported {
    // The shapes of the data this plan runs on: a None axis (any length) has its length here.
    Map<SymbolicTensor, long[]> shapeOf = model.shapesFor(inShapes);
    Map<SymbolicTensor, Integer> slotOf = new IdentityHashMap<>();
    for (int i = 0; i < inSlots.length; i++) slotOf.put(model.inputs().get(i), inSlots[i]);
    Map<SymbolicTensor, Boolean> masked = model.maskFlow(inMasked);
    for (Node n : model.nodes()) {
      if (n.layer() instanceof InputLayer) {
        if (!slotOf.containsKey(n.outputs().get(0))) throw new Unsupported("an input layer that is not a model input");
        continue;
      }
      int[] in = new int[n.inputs().size()];
      boolean[] inputsMasked = new boolean[in.length];
      for (int k = 0; k < in.length; k++) {
        Integer s = slotOf.get(n.inputs().get(k));
        if (s == null) throw new Unsupported("nodes out of topological order");
        in[k] = s;
        inputsMasked[k] = masked.get(n.inputs().get(k));
      }
      if (n.layer() instanceof Model nested) {
        if (!nested.isGraphBuilt()) throw new Unsupported("a nested model without a graph");
        List<Model> inner = new ArrayList<>(enclosing);
        inner.add(nested);
        List<long[]> nestedIn = new ArrayList<>();
        for (SymbolicTensor t : n.inputs()) nestedIn.add(shapeOf.get(t));
        int[] outs = flatten(nested, in, inputsMasked, nestedIn, List.copyOf(inner), apps, nextSlot);
        for (int k = 0; k < outs.length; k++) slotOf.put(n.outputs().get(k), outs[k]);
        continue;
      }
      if (n.outputs().size() != 1) throw new Unsupported("a layer with several outputs");
      int out = nextSlot[0]++;
      slotOf.put(n.outputs().get(0), out);
      List<long[]> appIn = new ArrayList<>();
      for (SymbolicTensor t : n.inputs()) appIn.add(shapeOf.get(t));
      apps.add(new Application(n, in, out, enclosing, inputsMasked, masked.get(n.outputs().get(0)), appIn, shapeOf.get(n.outputs().get(0))));
    }
    int[] outs = new int[model.outputs().size()];
    for (int i = 0; i < outs.length; i++) outs[i] = slotOf.get(model.outputs().get(i));
    return outs;
  }

  /** Plans compiled so far in this process (tests check that predict reuses its plan). */
  private static final java.util.concurrent.atomic.AtomicLong BUILDS = new java.util.concurrent.atomic.AtomicLong();

  /** How many plans {@link #compile} has built (successfully or not) since the process started. */
  static long builds() {
    return BUILDS.get();
  }

  /** The plan for data of the model's own input shapes. */
  static FastPlan compile(Model model, CompileConfig config) throws Unsupported {
    List<long[]> shapes = new ArrayList<>();
    for (SymbolicTensor t : model.inputs()) shapes.add(t.shape());
    return compile(model, config, shapes);
  }

  /**
   * The plan for inputs of these shapes (batch axis first, unknown): the model's own, or, for a
   * model with None axes, the concrete ones of the data (one plan per such shape, see
   * {@link dln.runtime.train.PerShapeEngine}).
   */
  static FastPlan compile(Model model, CompileConfig config, List<long[]> inputShapes) throws Unsupported {
    BUILDS.incrementAndGet();
    for (long[] s : inputShapes) if (Shapes.hasUnknownSample(s)) throw new Unsupported("an input axis of unknown size (None)");
    int inputs = model.inputs().size();
    int[] inSlots = new int[inputs];
    for (int i = 0; i < inputs; i++) inSlots[i] = i;
    List<Application> apps = new ArrayList<>();
    int[] nextSlot = {inputs};
    int[] outSlots = flatten(model, inSlots, new boolean[inputs], inputShapes, List.of(), apps, nextSlot);
    Map<SymbolicTensor, long[]> topShapes = model.shapesFor(inputShapes);
    if (apps.isEmpty()) throw new Unsupported("the output is a model input");
    Map<Integer, Integer> readers = new HashMap<>();
    for (Application a : apps) for (int s : a.in()) readers.merge(s, 1, Integer::sum);
    // A tensor may be given as several outputs: each has its own loss head, their gradients add up.
    Map<Integer, List<Integer>> outputsOf = new HashMap<>();
    for (int k = 0; k < outSlots.length; k++) {
      if (outSlots[k] < inputs) throw new Unsupported("the output is a model input");
      outputsOf.computeIfAbsent(outSlots[k], s -> new ArrayList<>()).add(k);
    }

    int nOut = outSlots.length;
    LossHead[] heads = new LossHead[nOut];
    Act[] required = new Act[nOut];
    double[] deltas = new double[nOut];
    double[] weights = new double[nOut];
    LayerStep[] fused = new LayerStep[nOut];
    for (int k = 0; k < nOut; k++) {
      weights[k] = 1;
      if (config == null) continue;
      Loss loss = config.loss(k, nOut);
      weights[k] = config.lossWeight(k, nOut);
      // A cross-entropy from logits reads the output as the logits; otherwise it is fused with the
      // output's softmax / sigmoid where the op allows (below), else it reads the probabilities.
      switch (loss.name()) {
        case "categorical_crossentropy", "sparse_categorical_crossentropy" -> {
          heads[k] = LossHead.SOFTMAX_CROSSENTROPY;
          required[k] = loss.fromLogits() ? null : Act.SOFTMAX;
        }
        case "binary_crossentropy" -> {
          heads[k] = LossHead.SIGMOID_BINARY_CROSSENTROPY;
          required[k] = loss.fromLogits() ? null : Act.SIGMOID;
        }
        default -> {
          heads[k] = LossHead.onOutput(loss.name());
          if (heads[k] == null) throw new Unsupported("loss " + loss.name());
        }
      }
      deltas[k] = loss.delta();
      if (required[k] != null && !outputsOf.get(outSlots[k]).equals(List.of(k))) heads[k] = heads[k].onProbabilities();
    }

    // Slots computed from weights (not only reshaped / merged model inputs): an Embedding must not
    // read one, since indices carry no gradient to hand back.
    boolean[] fromWeights = new boolean[nextSlot[0]];
    for (Application app : apps) {
      boolean w = !app.node().layer().weightList().isEmpty();
      for (int s : app.in()) w |= fromWeights[s];
      fromWeights[app.out()] = w;
    }
    int[] maskSlot = new int[nextSlot[0]];
    java.util.Arrays.fill(maskSlot, -1);
    List<Op> ops = new ArrayList<>();
    for (int i = 0; i < apps.size(); i++) {
      Application app = apps.get(i);
      Node n = app.node();
      List<Integer> outputIndices = outputsOf.getOrDefault(app.out(), List.of());
      // The one output (if any) whose fused head may take this op's pre-activation.
      Integer outputIndex = outputIndices.size() == 1 ? outputIndices.get(0) : null;
      Act req = outputIndex == null ? null : required[outputIndex];
      long[] out = app.outShape();
      Layer layer = n.layer();
      int[] in = app.in();
      String label = (i + 1) + " " + layer.typeName() + " " + Shapes.format(Shapes.sample(out));
      MergeStep merge = FastMerges.stepFor(layer, app.inShapes(), app.inMasked(), out);
      if (merge != null) {
        if (req != null) heads[outputIndex] = heads[outputIndex].onProbabilities();
        // Masked inputs: the output keeps a step where every masked input does (Layer.MaskUse.COMBINED).
        int[] anded = null;
        int[] inputMasks = null;
        if (merge.readsInputMasks()) {
          for (int k = 0; k < in.length; k++) {
            if (!app.inMasked()[k]) continue;
            if (maskSlot[in[k]] < 0) throw new Unsupported("a mask made by the layer before " + layer.typeName());
            if (inputMasks == null) java.util.Arrays.fill(inputMasks = new int[in.length], -1);
            inputMasks[k] = maskSlot[in[k]];
          }
          // Attention's output has the query's steps and carries the query's mask.
          if (app.outMasked()) maskSlot[app.out()] = maskSlot[in[0]];
        } else if (app.outMasked()) {
          java.util.TreeSet<Integer> from = new java.util.TreeSet<>();
          for (int k = 0; k < in.length; k++) {
            if (!app.inMasked()[k]) continue;
            if (maskSlot[in[k]] < 0) throw new Unsupported("a mask made by the layer before " + layer.typeName());
            from.add(maskSlot[in[k]]);
          }
          if (from.size() == 1) {
            maskSlot[app.out()] = from.first();
          } else {
            maskSlot[app.out()] = app.out();
            anded = from.stream().mapToInt(Integer::intValue).toArray();
          }
        }
        ops.add(new Op(null, merge, in, app.out(), label, -1, false, anded, inputMasks));
        continue;
      }
      if (in.length != 1) throw new Unsupported(layer.typeName() + " on several inputs");
      long[] inShape = app.inShapes().get(0);
      Act act = FastLayers.activationOf(layer);
      LayerStep step = null;
      // Fused: the loss head reads the logits and writes the output, so the output must be the
      // head's activation over the last axis of a rank-2 tensor, read by nothing else.
      if (req != null && act == req && out.length == 2 && !readers.containsKey(app.out())) {
        step = fusedStep(layer, act, inShape, out);
      }
      boolean fuse = step != null;
      if (!fuse) {
        if (req != null) heads[outputIndex] = heads[outputIndex].onProbabilities();
        step = FastLayers.stepFor(layer, act, false, inShape, out);
      }
      // Indices have no gradient: an Embedding reads a model input, or one only reshaped / cropped /
      // merged on the way (no weights before it), so nothing upstream waits for a gradient.
      if (step instanceof EmbeddingStep && fromWeights[in[0]]) throw new Unsupported("an Embedding on values computed by weights");
      // Inside a frozen nested model, BatchNormalization runs in inference mode (Keras).
      if (step instanceof BatchNormStep bn && !app.enclosing().isEmpty()) bn.within(app.enclosing());
      if (fuse) fused[outputIndex] = step;
      // Masks: made by a MaskMaker step, handed on through the slots, read by MaskReader steps.
      int maskIn = app.inMasked()[0] ? maskSlot[in[0]] : -1;
      if (app.inMasked()[0] && maskIn < 0) throw new Unsupported("a mask made by " + layer.typeName());
      // A step making its own mask from the values (Masking) replaces the input's, as Keras does.
      boolean replaces = step instanceof MaskMaker && !(step instanceof MaskReader);
      boolean reads = maskIn >= 0 && layer.maskUse() == Layer.MaskUse.CONSUMED && !replaces;
      if (reads && !(step instanceof MaskReader)) throw new Unsupported("a mask on " + layer.typeName());
      boolean makes = app.outMasked() && replaces;
      if (app.outMasked()) maskSlot[app.out()] = makes ? app.out() : maskIn;
      ops.add(new Op(step, null, in, app.out(), label, reads ? maskIn : -1, makes, null, null));
    }
    // A Dropout right after a Dense layer (its only reader, next in the schedule so the random
    // draws keep their order) is applied in the Dense layer's epilogue pass.
    for (int i = 0; i + 1 < ops.size(); i++) {
      Op a = ops.get(i);
      Op b = ops.get(i + 1);
      if (a.step() instanceof DenseStep d && b.step() instanceof DropoutStep drop && b.in()[0] == a.out()
          && readers.get(a.out()) == 1 && !outputsOf.containsKey(a.out())) {
        d.absorbDropout(drop);
      }
    }
    // A relu whose only input is a BatchNormalization or a two-input Add that nothing else reads
    // (conv → BN → relu, and the residual join, the ResNet pattern) runs in that step's own passes:
    // one pass and one buffer less each way.
    Map<Integer, Op> producer = new HashMap<>();
    for (Op op : ops) producer.put(op.out(), op);
    for (Op op : ops) {
      if (!(op.step() instanceof ActivationStep act) || !act.isRelu()) continue;
      Op from = producer.get(op.in()[0]);
      boolean onlyReader = from != null && readers.get(from.out()) == 1 && !outputsOf.containsKey(from.out());
      if (onlyReader && from.step() instanceof BatchNormStep bn) {
        bn.absorbRelu();
        act.absorbedByPrevious();
      } else if (onlyReader && from.merge() instanceof AddStep add && add.canAbsorbRelu()) {
        // The residual join (Add → relu): the sum and the relu in one host pass each way.
        add.absorbRelu();
        act.absorbedByPrevious();
      }
    }
    // Without a loss an output softmax runs as a plain (forward-only) activation.
    List<Output> outputs = new ArrayList<>();
    for (int k = 0; k < nOut; k++) {
      long[] shape = topShapes.get(model.outputs().get(k));
      int mask = shape.length == 3 && model.outputs().get(k).masked() ? maskSlot[outSlots[k]] : -1;
      outputs.add(new Output(outSlots[k], heads[k], weights[k], deltas[k], fused[k], Shapes.sample(shape), mask));
    }
    return new FastPlan(ops, nextSlot[0], List.copyOf(outputs));
  }

  /** The layer's step with its activation left to a fused loss head, or null where its step cannot fuse one. */
  private static LayerStep fusedStep(Layer layer, Act act, long[] inShape, long[] out) {
    try {
      return FastLayers.stepFor(layer, act, true, inShape, out);
    } catch (Unsupported e) {
      return null;
    }
  }
}
