package dln.runtime.nn.layers;

import dln.runtime.nn.Activations;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerSpec;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Applies an activation function by name (e.g. {@code Activation('relu')}). */
public final class Activation extends ConfiguredLayer<Activation.Config> implements Layer.PassesMask {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Activation.class, Config.class, Activation::new,
      "Applies an activation function by name.\n"
          + "Example: Activation('relu'), Activation(tanh)");

  public record Config(String activation) {
    public Config {
      activation = Activations.check(activation);
    }
  }

  public Activation(Config config, String name) {
    super(config, name);
  }

  public Activation(String activation) {
    this(new Config(activation), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    return in.get(0);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    SDVariable y = Activations.apply(ctx, config.activation(), x);
    // "linear" returns its input; give the layer its own output variable all the same.
    return y == x ? x.add(0.0) : y;
  }
}
