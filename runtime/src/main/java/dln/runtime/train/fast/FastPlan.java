package dln.runtime.train.fast;

import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.nn.Node;
import dln.runtime.tensor.Shapes;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.Weight;
import dln.runtime.nn.InputLayer;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compiles a model into the fast engine's fixed schedule, or explains why it cannot. The schedule
 * is the model's graph in topological order: each {@link Op} runs a {@link LayerStep} (one input)
 * or a {@link MergeStep} (Add, Concatenate) on numbered value slots, so any graph the functional
 * API builds runs, with several inputs, a tensor read by several layers (its gradients summed) and
 * shared layers (one step per application, weight gradients summed by the engine). Layers are
 * those in {@link FastLayers}; the model has one output, trained with cross-entropy from softmax,
 * binary cross-entropy from sigmoid, mean squared / absolute error or Huber; L1/L2 regularisers are
 * added by the engine ({@link WeightPenalties}). Every other model runs on the reference engine.
 */
final class FastPlan {
  /** One node of the schedule: exactly one of step / merge, the slots it reads and the slot it writes. */
  record Op(LayerStep step, MergeStep merge, int[] in, int out, String label) {
    List<Weight> weights() {
      return step != null ? step.weights() : List.of();
    }
  }

  final List<Op> ops;
  /** Number of value slots: the model's inputs first (slots 0..inputs-1), then one per op. */
  final int slots;
  /** The slot holding the model's output. */
  final int outputSlot;
  /** The loss head, or null for a model without compile settings (prediction only). */
  final LossHead head;
  /** Huber's threshold. */
  final double delta;
  /** The step whose pre-activation the fused head reads (null for mean squared error). */
  final LayerStep fusedStep;
  final long[] outputSample;

  private FastPlan(List<Op> ops, int slots, int outputSlot, LossHead head, double delta, LayerStep fusedStep, long[] outputSample) {
    this.ops = ops;
    this.delta = delta;
    this.slots = slots;
    this.outputSlot = outputSlot;
    this.head = head;
    this.fusedStep = fusedStep;
    this.outputSample = outputSample;
  }

  /** Thrown while compiling a model the fast engine does not cover. */
  static final class Unsupported extends Exception {
    Unsupported(String why) {
      super(why, null, false, false);
    }
  }

  static FastPlan compile(Model model, CompileConfig config) throws Unsupported {
    if (model.outputs().size() != 1) throw new Unsupported("several outputs");
    Map<SymbolicTensor, Integer> slotOf = new IdentityHashMap<>();
    for (SymbolicTensor in : model.inputs()) slotOf.put(in, slotOf.size());
    Map<SymbolicTensor, Integer> readers = new IdentityHashMap<>();
    List<Node> schedule = new ArrayList<>();
    for (Node n : model.nodes()) {
      if (n.layer() instanceof InputLayer) {
        if (!slotOf.containsKey(n.outputs().get(0))) throw new Unsupported("an input layer that is not a model input");
        continue;
      }
      if (n.layer() instanceof Model) throw new Unsupported("a nested model");
      if (n.outputs().size() != 1) throw new Unsupported("a layer with several outputs");
      for (SymbolicTensor t : n.inputs()) {
        if (!slotOf.containsKey(t)) throw new Unsupported("nodes out of topological order");
        readers.merge(t, 1, Integer::sum);
      }
      slotOf.put(n.outputs().get(0), slotOf.size());
      schedule.add(n);
    }
    SymbolicTensor output = model.outputs().get(0);
    if (schedule.isEmpty() || !slotOf.containsKey(output) || slotOf.get(output) < model.inputs().size()) {
      throw new Unsupported("the output is a model input");
    }
    long[] outShape = output.shape();

    LossHead head = null;
    double delta = 0;
    Act required = null;
    if (config != null) {
      Loss loss = config.loss(0, 1);
      switch (loss.name()) {
        case "categorical_crossentropy", "sparse_categorical_crossentropy" -> {
          head = LossHead.SOFTMAX_CROSSENTROPY;
          required = Act.SOFTMAX;
        }
        case "binary_crossentropy" -> {
          head = LossHead.SIGMOID_BINARY_CROSSENTROPY;
          required = Act.SIGMOID;
        }
        case "mean_squared_error" -> head = LossHead.MEAN_SQUARED_ERROR;
        case "mean_absolute_error" -> head = LossHead.MEAN_ABSOLUTE_ERROR;
        case "huber" -> head = LossHead.HUBER;
        default -> throw new Unsupported("loss " + loss.name());
      }
      delta = loss.delta();
      if (!head.elementwise() && outShape.length != 2) throw new Unsupported(loss.name() + " on an output of rank " + outShape.length);
    }

    List<Op> ops = new ArrayList<>();
    LayerStep fused = null;
    for (int i = 0; i < schedule.size(); i++) {
      Node n = schedule.get(i);
      SymbolicTensor result = n.outputs().get(0);
      boolean isOutput = result == output;
      long[] out = result.shape();
      Layer layer = n.layer();
      int[] in = new int[n.inputs().size()];
      for (int k = 0; k < in.length; k++) in[k] = slotOf.get(n.inputs().get(k));
      String label = (i + 1) + " " + layer.typeName() + " " + Shapes.format(Shapes.sample(out));
      MergeStep merge = FastMerges.stepFor(layer, n.inputs(), out);
      if (merge != null) {
        if (isOutput && required != null) throw new Unsupported(head + " on a " + layer.typeName() + " output");
        ops.add(new Op(null, merge, in, slotOf.get(result), label));
        continue;
      }
      if (in.length != 1) throw new Unsupported(layer.typeName() + " on several inputs");
      long[] inShape = n.inputs().get(0).shape();
      Act act = FastLayers.activationOf(layer);
      boolean fuse = isOutput && required != null;
      if (fuse && act != required) throw new Unsupported(head + " without " + required + " on the output");
      if (fuse && readers.containsKey(result)) throw new Unsupported("the output also feeds another layer");
      if (isOutput && head == LossHead.MEAN_SQUARED_ERROR && act == Act.SOFTMAX) throw new Unsupported("mse on softmax");
      LayerStep step = FastLayers.stepFor(layer, act, fuse, inShape, out);
      // Indices have no gradient: an Embedding reads one of the model's inputs directly.
      if (step instanceof EmbeddingStep && in[0] >= model.inputs().size()) throw new Unsupported("an Embedding inside the network");
      if (fuse) fused = step;
      ops.add(new Op(step, null, in, slotOf.get(result), label));
    }
    // A Dropout right after a Dense layer (its only reader, next in the schedule so the random
    // draws keep their order) is applied in the Dense layer's epilogue pass.
    for (int i = 0; i + 1 < ops.size(); i++) {
      Op a = ops.get(i);
      Op b = ops.get(i + 1);
      if (a.step() instanceof DenseStep d && b.step() instanceof DropoutStep drop && b.in()[0] == a.out()
          && readers.get(schedule.get(i).outputs().get(0)) == 1 && a.out() != slotOf.get(output)) {
        d.absorbDropout(drop);
      }
    }
    // Without a loss the output softmax runs as a plain (forward-only) activation.
    return new FastPlan(ops, slotOf.size(), slotOf.get(output), head, delta, fused, Shapes.sample(outShape));
  }

  /** True when the last forward left the model's output for the fused loss head to write. */
  boolean headWritesOutput() {
    return fusedStep instanceof DenseStep d && d.activationDeferred();
  }

  /** The logits the fused loss head reads from the last forward. */
  INDArray logits() {
    if (fusedStep instanceof DenseStep d) return d.preActivation();
    return ((ActivationStep) fusedStep).preActivation();
  }
}
