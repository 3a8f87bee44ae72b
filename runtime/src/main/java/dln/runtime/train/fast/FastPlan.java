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
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compiles a model into the fast engine's fixed schedule of {@link LayerStep}s, or explains why it
 * cannot: the fast engine runs single-input, single-output chains of the layers in
 * {@link FastLayers} (Dense (2-D), Activation, ReLU, Softmax, Dropout, Flatten, Conv2D, MaxPooling2D, Embedding, LSTM),
 * trained with cross-entropy from softmax, binary cross-entropy from sigmoid, or mean squared error,
 * without regularisers. Every other model runs on the reference engine.
 */
final class FastPlan {
  final List<LayerStep> steps;
  /** The loss head, or null for a model without compile settings (prediction only). */
  final LossHead head;
  /** The step whose pre-activation the fused head reads (null for mean squared error). */
  final LayerStep fusedStep;
  final long[] outputSample;
  /** A label per step for {@link StepProfile}: position, layer type and name. */
  final List<String> labels;

  private FastPlan(List<LayerStep> steps, List<String> labels, LossHead head, LayerStep fusedStep, long[] outputSample) {
    this.steps = steps;
    this.labels = labels;
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
    if (model.inputs().size() != 1 || model.outputs().size() != 1) throw new Unsupported("several inputs or outputs");
    List<Node> nodes = model.nodes();
    if (nodes.isEmpty() || !(nodes.get(0).layer() instanceof InputLayer)) throw new Unsupported("no input layer first");
    Set<Layer> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Node> chain = new ArrayList<>();
    SymbolicTensor previous = nodes.get(0).outputs().get(0);
    for (int i = 1; i < nodes.size(); i++) {
      Node n = nodes.get(i);
      if (n.inputs().size() != 1 || n.inputs().get(0) != previous || n.outputs().size() != 1) {
        throw new Unsupported("not a chain of single-input layers");
      }
      if (!seen.add(n.layer())) throw new Unsupported("a shared layer");
      for (Weight w : n.layer().weightList()) if (w.regularizer() != null) throw new Unsupported("a regulariser");
      chain.add(n);
      previous = n.outputs().get(0);
    }
    if (chain.isEmpty() || previous != model.outputs().get(0)) throw new Unsupported("the output is not the end of the chain");
    long[] outShape = previous.shape();

    LossHead head = null;
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
        default -> throw new Unsupported("loss " + loss.name());
      }
      if (outShape.length != 2) throw new Unsupported("an output of rank " + outShape.length);
    }

    List<LayerStep> steps = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    LayerStep fused = null;
    for (int i = 0; i < chain.size(); i++) {
      Node n = chain.get(i);
      boolean isLast = i == chain.size() - 1;
      long[] in = n.inputs().get(0).shape();
      long[] out = n.outputs().get(0).shape();
      Layer layer = n.layer();
      Act act = FastLayers.activationOf(layer);
      if (act == Act.SOFTMAX && (!isLast || out.length != 2)) throw new Unsupported("softmax inside the network");
      boolean fuse = isLast && required != null;
      if (fuse && act != required) throw new Unsupported(head + " without " + required + " on the output");
      if (isLast && head == LossHead.MEAN_SQUARED_ERROR && act == Act.SOFTMAX) throw new Unsupported("mse on softmax");
      LayerStep step = FastLayers.stepFor(layer, act, fuse, in, out);
      // Indices have no gradient: an Embedding reads the model's input directly.
      if (step instanceof EmbeddingStep && i > 0) throw new Unsupported("an Embedding inside the network");
      if (fuse) fused = step;
      steps.add(step);
      labels.add((i + 1) + " " + layer.typeName() + " " + Shapes.format(Shapes.sample(out)));
    }
    // A Dropout right after a Dense layer is applied in the Dense layer's epilogue pass.
    for (int i = 0; i + 1 < steps.size(); i++) {
      if (steps.get(i) instanceof DenseStep d && steps.get(i + 1) instanceof DropoutStep drop) d.absorbDropout(drop);
    }
    // Without a loss the output softmax runs as a plain (forward-only) activation.
    return new FastPlan(steps, labels, head, fused, Shapes.sample(outShape));
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
