package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Activations;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Initializers;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerArgs;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.nn.Regularizer;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Fully connected layer: {@code activation(x @ kernel + bias)} on the last axis. Accepts (batch,
 * features) and sequences (batch, steps, features); images must be flattened first.
 */
public final class Dense extends ConfiguredLayer<Dense.Config> implements Layer.PassesMask {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Dense.class, Config.class, Dense::new,
      "A fully connected layer: activation(x @ kernel + bias). activation is a name or function (default linear).\n"
          + "Example: Dense(64, activation='relu'), Dense(10, softmax)")
      .extraArg("input_dim")
      .afterCreate(Dense::inputDim);

  public record Config(int units, @Param String activation, @Param(dflt = "true") boolean useBias,
      @Param(dflt = "glorot_uniform") String kernelInitializer, @Param(dflt = "zeros") String biasInitializer,
      @Param Regularizer kernelRegularizer, @Param Regularizer biasRegularizer) {
    public Config {
      if (units <= 0) throw DlnRuntimeException.value("Dense needs a positive number of units, got " + units, "e.g. Dense(64)");
      activation = Activations.check(activation);
      kernelInitializer = Initializers.check(kernelInitializer);
      biasInitializer = Initializers.check(biasInitializer == null ? "zeros" : biasInitializer);
    }

    public Config(int units, String activation) {
      this(units, activation, true, "glorot_uniform", "zeros", null, null);
    }
  }

  public Dense(Config config, String name) {
    super(config, name);
  }

  public Dense(int units) {
    this(new Config(units, null), null);
  }

  public Dense(int units, String activation) {
    this(new Config(units, activation), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = in.get(0);
    if (s.length > 3) {
      throw shapeError("a 2-D input (batch, features)", s,
          "insert Flatten() before this layer to turn " + Shapes.format(s) + " into (None, "
              + Shapes.product(Shapes.sample(s)) + ")");
    }
    if (s.length < 2) throw shapeError("a 2-D input (batch, features)", s, null);
    if (s[s.length - 1] == Shapes.UNKNOWN) {
      throw shapeError("an input whose last axis (the features) has a size", s,
          "the last axis sizes the kernel: give it in Input(shape=...), or pool a None axis away first (GlobalAveragePooling1D/2D)");
    }
    long[] out = s.clone();
    out[out.length - 1] = config.units();
    return out;
  }

  @Override
  protected void build(List<long[]> in) {
    long[] s = in.get(0);
    long inputDim = s[s.length - 1];
    addWeight("kernel", new long[] {inputDim, config.units()}, config.kernelInitializer(), true, config.kernelRegularizer());
    if (config.useBias()) addWeight("bias", new long[] {config.units()}, config.biasInitializer(), true, config.biasRegularizer());
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable x = inputs.get(0);
    long[] s = shapes.get(0);
    long inputDim = s[s.length - 1];
    SDVariable kernel = ctx.weight(weight("kernel"));
    // mmul + add rather than sd.nn.linear, which can diverge in SameDiff M2.1 after output().
    SDVariable z = s.length == 2 ? x.mmul(kernel) : x.reshape(-1, inputDim).mmul(kernel);
    if (config.useBias()) z = z.add(ctx.weight(weight("bias")));
    if (s.length == 3) z = z.reshape(-1, s[1], config.units());
    return Activations.apply(ctx, config.activation(), z);
  }

  /** Keras's input_dim: the number of input features, shorthand for input_shape=(input_dim,). */
  private static void inputDim(LayerArgs a, Layer layer) {
    if (a.has("input_dim")) layer.withInputShape(a.intValue("input_dim"));
  }
}
