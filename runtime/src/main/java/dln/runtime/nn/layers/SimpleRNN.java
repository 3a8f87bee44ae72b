package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Activations;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Initializers;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import java.util.ArrayList;
import java.util.List;
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
      @Param(dflt = "orthogonal") String recurrentInitializer,
      @Param(dflt = "false") boolean goBackwards) implements RecurrentLayer.Settings {
    public Config {
      if (units <= 0) throw DlnRuntimeException.value("SimpleRNN needs a positive number of units, got " + units, "e.g. SimpleRNN(32)");
      activation = Activations.check(activation == null ? "tanh" : activation);
      kernelInitializer = Initializers.check(kernelInitializer == null ? "glorot_uniform" : kernelInitializer);
      recurrentInitializer = Initializers.check(recurrentInitializer == null ? "orthogonal" : recurrentInitializer);
    }

    public Config(int units, boolean returnSequences) {
      this(units, "tanh", true, returnSequences, "glorot_uniform", "orthogonal", false);
    }
  }

  public SimpleRNN(Config config, String name) {
    super(config, name, 1);
  }

  public SimpleRNN(int units, boolean returnSequences) {
    this(new Config(units, returnSequences), null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes, SDVariable mask) {
    long steps = shapes.get(0)[1];
    SDVariable kernel = ctx.weight(weight("kernel"));
    SDVariable recurrent = ctx.weight(weight("recurrent_kernel"));
    SDVariable bias = config.useBias() ? ctx.weight(weight("bias")) : null;
    SDVariable h = null;
    List<SDVariable> outputs = new ArrayList<>();
    SDVariable[] xs = RecurrentSteps.inputs(ctx, inputs.get(0), steps, config.goBackwards());
    SDVariable[] keep = RecurrentSteps.masks(ctx, mask, steps, config.goBackwards());
    for (int t = 0; t < steps; t++) {
      SDVariable z = xs[t].mmul(kernel);
      // The initial state is zero: the first step has no recurrent term.
      if (h != null) z = z.add(h.mmul(recurrent));
      if (bias != null) z = z.add(bias);
      h = RecurrentSteps.carry(keep, t, Activations.apply(ctx, config.activation(), z), h);
      outputs.add(h);
    }
    return RecurrentSteps.output(ctx, outputs, config.returnSequences());
  }
}
