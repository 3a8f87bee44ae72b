package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Activations;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Initializers;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Keras's GRU over (batch, steps, features), gates in the order z (update), r (reset), h
 * (candidate) in the columns of kernel (features, 3·units) and recurrent_kernel (units, 3·units).
 * With {@code reset_after} (Keras's default, the cuDNN form) the bias is (2, 3·units), an input
 * and a recurrent row, and the reset gate scales the recurrent candidate term after the
 * multiplication: {@code h̃ = act(x·W_h + b_h + r ⊙ (h₋₁·U_h + b'_h))}; without it the bias is
 * (3·units) and {@code h̃ = act(x·W_h + (r ⊙ h₋₁)·U_h + b_h)}. Then {@code h = z ⊙ h₋₁ + (1 − z) ⊙ h̃}.
 */
public final class GRU extends RecurrentLayer<GRU.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(GRU.class, Config.class, GRU::new,
      "A gated recurrent unit layer over sequences (batch, steps, features); return_sequences=true keeps every step.\n"
          + "Example: GRU(32), GRU(64, return_sequences=true)");

  public record Config(int units, @Param(dflt = "tanh") String activation, @Param(dflt = "sigmoid") String recurrentActivation,
      @Param(dflt = "true") boolean useBias, @Param(dflt = "false") boolean returnSequences,
      @Param(dflt = "glorot_uniform") String kernelInitializer, @Param(dflt = "orthogonal") String recurrentInitializer,
      @Param(dflt = "true") boolean resetAfter) implements RecurrentLayer.Settings {
    public Config {
      if (units <= 0) throw DlnRuntimeException.value("GRU needs a positive number of units, got " + units, "e.g. GRU(32)");
      activation = Activations.check(activation == null ? "tanh" : activation);
      recurrentActivation = Activations.check(recurrentActivation == null ? "sigmoid" : recurrentActivation);
      kernelInitializer = Initializers.check(kernelInitializer == null ? "glorot_uniform" : kernelInitializer);
      recurrentInitializer = Initializers.check(recurrentInitializer == null ? "orthogonal" : recurrentInitializer);
    }

    public Config(int units, boolean returnSequences) {
      this(units, "tanh", "sigmoid", true, returnSequences, "glorot_uniform", "orthogonal", true);
    }
  }

  public GRU(Config config, String name) {
    super(config, name, 3);
  }

  public GRU(int units, boolean returnSequences) {
    this(new Config(units, returnSequences), null);
  }

  /** With reset_after an input row and a recurrent row. */
  @Override
  protected long[] biasShape(long columns) {
    return config.resetAfter() ? new long[] {2, columns} : new long[] {columns};
  }

  private SDVariable part(SDVariable v, int k) {
    long u = config.units();
    return v.get(SDIndex.all(), SDIndex.interval(k * u, (k + 1) * u));
  }

  private SDVariable biasPart(SDVariable v, int k) {
    long u = config.units();
    return v.get(SDIndex.interval(k * u, (k + 1) * u));
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    long steps = shapes.get(0)[1];
    long u = config.units();
    SDVariable kernel = ctx.weight(weight("kernel"));
    SDVariable recurrent = ctx.weight(weight("recurrent_kernel"));
    SDVariable bias = config.useBias() ? ctx.weight(weight("bias")) : null;
    boolean after = config.resetAfter();
    SDVariable[] rows = bias != null && after ? ctx.sd().unstack(bias, 0, 2) : null;
    SDVariable inputBias = bias == null ? null : after ? rows[0] : bias;
    SDVariable recurrentBias = rows != null ? rows[1] : null;
    String gateAct = config.recurrentActivation();
    SDVariable h = null;
    List<SDVariable> outputs = new ArrayList<>();
    // The steps by one unstack: SameDiff M2.1's strided_slice_bp rejects some step slices of a
    // stacked sequence (a SimpleRNN after one with return_sequences fails at the last step).
    SDVariable[] xs = ctx.sd().unstack(x, 1, (int) steps);
    for (int t = 0; t < steps; t++) {
      SDVariable zx = xs[t].mmul(kernel);
      if (inputBias != null) zx = zx.add(inputBias);
      SDVariable z;
      SDVariable r;
      SDVariable candidate;
      if (after) {
        // The recurrent term h₋₁·U + b' per gate (just b' at the zero initial state, or nothing).
        SDVariable[] rec = new SDVariable[3];
        SDVariable hu = h == null ? null : recurrentBias == null ? h.mmul(recurrent) : h.mmul(recurrent).add(recurrentBias);
        for (int k = 0; k < 3; k++) rec[k] = hu != null ? part(hu, k) : recurrentBias != null ? biasPart(recurrentBias, k) : null;
        z = Activations.apply(ctx, gateAct, rec[0] == null ? part(zx, 0) : part(zx, 0).add(rec[0]));
        r = Activations.apply(ctx, gateAct, rec[1] == null ? part(zx, 1) : part(zx, 1).add(rec[1]));
        candidate = rec[2] == null ? part(zx, 2) : part(zx, 2).add(r.mul(rec[2]));
      } else {
        SDVariable zr = part(zx, 0);
        SDVariable rr = part(zx, 1);
        if (h != null) {
          SDVariable rec = h.mmul(recurrent.get(SDIndex.all(), SDIndex.interval(0L, 2 * u)));
          zr = zr.add(part(rec, 0));
          rr = rr.add(part(rec, 1));
        }
        z = Activations.apply(ctx, gateAct, zr);
        r = Activations.apply(ctx, gateAct, rr);
        candidate = h == null ? part(zx, 2)
            : part(zx, 2).add(r.mul(h).mmul(recurrent.get(SDIndex.all(), SDIndex.interval(2 * u, 3 * u))));
      }
      SDVariable hh = Activations.apply(ctx, config.activation(), candidate);
      SDVariable keep = z.rsub(1.0).mul(hh);
      h = h == null ? keep : z.mul(h).add(keep);
      if (config.returnSequences()) outputs.add(h);
    }
    return config.returnSequences() ? ctx.sd().stack(1, outputs.toArray(new SDVariable[0])) : h;
  }
}
