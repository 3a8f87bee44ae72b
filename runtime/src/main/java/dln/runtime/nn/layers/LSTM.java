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
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Long short-term memory over (batch, steps, features), Keras's weight layout: kernel (features,
 * 4·units), recurrent_kernel (units, 4·units), bias (4·units), gates in the order i, f, c, o.
 * The loop is unrolled over the (known) number of steps.
 */
public final class LSTM extends RecurrentLayer<LSTM.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(LSTM.class, Config.class, LSTM::new,
      "A long short-term memory layer over sequences (batch, steps, features); return_sequences=true keeps every step.\n"
          + "Example: LSTM(32), LSTM(64, return_sequences=true)");

  public record Config(int units, @Param(dflt = "tanh") String activation, @Param(dflt = "sigmoid") String recurrentActivation,
      @Param(dflt = "true") boolean useBias, @Param(dflt = "false") boolean returnSequences,
      @Param(dflt = "glorot_uniform") String kernelInitializer, @Param(dflt = "orthogonal") String recurrentInitializer,
      @Param(dflt = "true") boolean unitForgetBias) implements RecurrentLayer.Settings {
    public Config {
      if (units <= 0) throw DlnRuntimeException.value("LSTM needs a positive number of units, got " + units, "e.g. LSTM(32)");
      activation = Activations.check(activation == null ? "tanh" : activation);
      recurrentActivation = Activations.check(recurrentActivation == null ? "sigmoid" : recurrentActivation);
      kernelInitializer = Initializers.check(kernelInitializer);
      recurrentInitializer = Initializers.check(recurrentInitializer == null ? "orthogonal" : recurrentInitializer);
    }

    public Config(int units, boolean returnSequences) {
      this(units, "tanh", "sigmoid", true, returnSequences, "glorot_uniform", "orthogonal", true);
    }
  }

  public LSTM(Config config, String name) {
    super(config, name, 4);
  }

  public LSTM(int units, boolean returnSequences) {
    this(new Config(units, returnSequences), null);
  }

  @Override
  protected void build(List<long[]> in) {
    super.build(in);
    // Keras's unit_forget_bias: start the forget gate open so early gradients flow through time.
    if (config.useBias() && config.unitForgetBias()) {
      long u = config.units();
      weight("bias").value().get(NDArrayIndex.interval(u, 2 * u)).assign(1.0);
    }
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    long steps = shapes.get(0)[1];
    int u = config.units();
    SDVariable kernel = ctx.weight(weight("kernel"));
    SDVariable recurrent = ctx.weight(weight("recurrent_kernel"));
    SDVariable bias = config.useBias() ? ctx.weight(weight("bias")) : null;
    SDVariable h = null;
    SDVariable c = null;
    List<SDVariable> outputs = new ArrayList<>();
    // The steps by one unstack: SameDiff M2.1's strided_slice_bp rejects some step slices (an LSTM
    // after a layer returning sequences, or with 4 input features, failed there).
    SDVariable[] xs = ctx.sd().unstack(x, 1, (int) steps);
    for (int t = 0; t < steps; t++) {
      SDVariable xt = xs[t];
      SDVariable z = xt.mmul(kernel);
      // The initial state is zero, so the first step has no recurrent term and no f·c term.
      if (h != null) z = z.add(h.mmul(recurrent));
      if (bias != null) z = z.add(bias);
      SDVariable i = gate(ctx, z, 0, config.recurrentActivation());
      SDVariable f = gate(ctx, z, 1, config.recurrentActivation());
      SDVariable g = gate(ctx, z, 2, config.activation());
      SDVariable o = gate(ctx, z, 3, config.recurrentActivation());
      c = c == null ? i.mul(g) : f.mul(c).add(i.mul(g));
      h = o.mul(Activations.apply(ctx, config.activation(), c));
      if (config.returnSequences()) outputs.add(h);
    }
    return config.returnSequences() ? ctx.sd().stack(1, outputs.toArray(new SDVariable[0])) : h;
  }

  private SDVariable gate(GraphContext ctx, SDVariable z, int k, String activation) {
    long u = config.units();
    SDVariable part = z.get(SDIndex.all(), SDIndex.interval(k * u, (k + 1) * u));
    return Activations.apply(ctx, activation, part);
  }
}
