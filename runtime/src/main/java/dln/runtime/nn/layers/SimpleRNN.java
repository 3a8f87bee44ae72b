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
 * Keras's SimpleRNN over (batch, steps, features): {@code h = activation(x·kernel + h₋₁·recurrent_kernel + bias)},
 * kernel (features, units), recurrent_kernel (units, units), bias (units). Unrolled over the steps.
 */
public final class SimpleRNN extends RecurrentLayer<SimpleRNN.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(SimpleRNN.class, Config.class, SimpleRNN::new,
      "A fully connected recurrent layer over sequences (batch, steps, features); return_sequences=true keeps every step.\n"
          + "Example: SimpleRNN(32), SimpleRNN(16, return_sequences=true)");

  public record Config(int units, @Param(dflt = "tanh") String activation, @Param(dflt = "true") boolean useBias,
      @Param(dflt = "false") boolean returnSequences, @Param(dflt = "glorot_uniform") String kernelInitializer,
      @Param(dflt = "orthogonal") String recurrentInitializer) implements RecurrentLayer.Settings {
    public Config {
      if (units <= 0) throw DlnRuntimeException.value("SimpleRNN needs a positive number of units, got " + units, "e.g. SimpleRNN(32)");
      activation = Activations.check(activation == null ? "tanh" : activation);
      kernelInitializer = Initializers.check(kernelInitializer == null ? "glorot_uniform" : kernelInitializer);
      recurrentInitializer = Initializers.check(recurrentInitializer == null ? "orthogonal" : recurrentInitializer);
    }

    public Config(int units, boolean returnSequences) {
      this(units, "tanh", true, returnSequences, "glorot_uniform", "orthogonal");
    }
  }

  public SimpleRNN(Config config, String name) {
    super(config, name, 1);
  }

  public SimpleRNN(int units, boolean returnSequences) {
    this(new Config(units, returnSequences), null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    long steps = shapes.get(0)[1];
    SDVariable kernel = ctx.weight(weight("kernel"));
    SDVariable recurrent = ctx.weight(weight("recurrent_kernel"));
    SDVariable bias = config.useBias() ? ctx.weight(weight("bias")) : null;
    SDVariable h = null;
    List<SDVariable> outputs = new ArrayList<>();
    // The steps by one unstack: SameDiff M2.1's strided_slice_bp rejects some step slices of a
    // stacked sequence (a SimpleRNN after one with return_sequences fails at the last step).
    SDVariable[] xs = ctx.sd().unstack(x, 1, (int) steps);
    for (int t = 0; t < steps; t++) {
      SDVariable z = xs[t].mmul(kernel);
      // The initial state is zero: the first step has no recurrent term.
      if (h != null) z = z.add(h.mmul(recurrent));
      if (bias != null) z = z.add(bias);
      h = Activations.apply(ctx, config.activation(), z);
      if (config.returnSequences()) outputs.add(h);
    }
    return config.returnSequences() ? ctx.sd().stack(1, outputs.toArray(new SDVariable[0])) : h;
  }
}
