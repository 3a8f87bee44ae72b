package dln.runtime.train.fast;

import dln.runtime.nn.Layer;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.Average;
import dln.runtime.nn.layers.Concatenate;
import dln.runtime.nn.layers.Maximum;
import dln.runtime.nn.layers.MultiHeadAttention;
import dln.runtime.nn.layers.Multiply;
import dln.runtime.nn.layers.Subtract;
import dln.runtime.Shapes;
import java.util.List;

/**
 * The merge layers the fast engine runs (several inputs, one output), the multi-input counterpart
 * of {@link FastLayers}: one case per merge layer class, and MultiHeadAttention (query, value, key).
 */
final class FastMerges {
  private FastMerges() {}

  /** The merge step for a layer, or null when the layer is not a merge; {@code masked}: which inputs carry a mask. */
  static MergeStep stepFor(Layer layer, List<long[]> inputs, boolean[] masked, long[] out) {
    if (layer instanceof Add) return new AddStep(inputs.size(), Shapes.sample(out));
    ElementwiseMergeStep.Kind kind = layer instanceof Multiply ? ElementwiseMergeStep.Kind.MULTIPLY
        : layer instanceof Subtract ? ElementwiseMergeStep.Kind.SUBTRACT
        : layer instanceof Average ? ElementwiseMergeStep.Kind.AVERAGE
        : layer instanceof Maximum ? ElementwiseMergeStep.Kind.MAXIMUM : null;
    if (kind != null) return new ElementwiseMergeStep(kind, inputs.size(), Shapes.sample(out));
    if (layer instanceof Concatenate c) {
      int axis = c.config().axis() < 0 ? out.length + c.config().axis() : c.config().axis();
      long[][] samples = new long[inputs.size()][];
      for (int i = 0; i < samples.length; i++) samples[i] = Shapes.sample(inputs.get(i));
      return new ConcatenateStep(axis, samples, Shapes.sample(out));
    }
    if (layer instanceof MultiHeadAttention mha) {
      return new MultiHeadAttentionStep(mha, inputs, out, masked[0] || masked[1] || masked[2]);
    }
    return null;
  }
}
