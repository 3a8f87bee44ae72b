package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sequence driver LSTM, GRU and SimpleRNN share in the SameDiff graph, around each cell's
 * arithmetic: the steps of the input (in reverse for {@code go_backwards}), Keras's masking (at a
 * padded step a sequence keeps its previous state and output, zero before its first kept step)
 * and the output (the last state, or every step's).
 */
final class RecurrentSteps {
  private RecurrentSteps() {}

  /**
   * The input's steps, (batch, features) each, last step first for go_backwards. One unstack:
   * SameDiff M2.1's strided_slice_bp rejects some step slices of a stacked sequence (a recurrent
   * layer after one returning sequences failed at the last step).
   */
  static SDVariable[] inputs(GraphContext ctx, SDVariable x, long steps, boolean backwards) {
    return ordered(ctx.sd().unstack(x, 1, (int) steps), backwards);
  }

  /**
   * Each step's mask as (batch, 1), in the order of {@link #inputs}; null without a mask. Column t
   * is picked by a product with a one-hot column: with a second unstack (of the mask) next to the
   * input's, SameDiff M2.1 returned no weight gradients at all (measured).
   */
  static SDVariable[] masks(GraphContext ctx, SDVariable mask, long steps, boolean backwards) {
    if (mask == null) return null;
    SDVariable[] m = new SDVariable[(int) steps];
    for (int t = 0; t < steps; t++) {
      float[][] pick = new float[(int) steps][1];
      pick[t][0] = 1f;
      m[t] = mask.mmul(ctx.sd().constant(Nd4j.createFromArray(pick)));
    }
    return ordered(m, backwards);
  }

  /** The state after a step: the cell's {@code next} where kept, {@code previous} (zero when null) where padded. */
  static SDVariable carry(SDVariable[] keep, int t, SDVariable next, SDVariable previous) {
    if (keep == null) return next;
    return previous == null ? next.mul(keep[t]) : previous.add(next.sub(previous).mul(keep[t]));
  }

  /** The layer's output: every step's state stacked (in processing order, as Keras), or the last. */
  static SDVariable output(GraphContext ctx, List<SDVariable> states, boolean returnSequences) {
    return returnSequences ? ctx.sd().stack(1, states.toArray(new SDVariable[0])) : states.get(states.size() - 1);
  }

  private static SDVariable[] ordered(SDVariable[] steps, boolean backwards) {
    if (!backwards) return steps;
    SDVariable[] r = new SDVariable[steps.length];
    for (int t = 0; t < steps.length; t++) r[t] = steps[steps.length - 1 - t];
    return r;
  }
}
