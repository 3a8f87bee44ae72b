package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

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

  /** Each step's mask as (batch, 1), in the order of {@link #inputs}; null without a mask. */
  static SDVariable[] masks(GraphContext ctx, SDVariable mask, long steps, boolean backwards) {
    if (mask == null) return null;
    SDVariable[] m = ordered(ctx.sd().unstack(mask, 1, (int) steps), backwards);
    for (int t = 0; t < m.length; t++) m[t] = m[t].reshape(-1, 1);
    return m;
  }

  /** The state after a step: the cell's {@code next} where kept, {@code previous} (zero when null) where padded. */
  static SDVariable carry(SDVariable[] keep, int t, SDVariable next, SDVariable previous) {
    if (keep == null) return next;
    SDVariable kept = next.mul(keep[t]);
    return previous == null ? kept : kept.add(previous.mul(keep[t].rsub(1.0)));
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
