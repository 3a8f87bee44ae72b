package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import org.nd4j.autodiff.samediff.SDVariable;

/** Multiplies two or more tensors of the same shape element by element (gating). */
public final class Multiply extends ElementwiseMerge<Multiply.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Multiply.class, Config.class, Multiply::new,
      "Multiplies two or more tensors of the same shape element by element (gating).\n"
          + "Example: Multiply()([x, gate])");

  /** Multiply has no settings. */
  public record Config() {}

  public Multiply(Config config, String name) {
    super(config, name);
  }

  public Multiply() {
    this(new Config(), null);
  }

  @Override
  protected SDVariable combine(GraphContext ctx, SDVariable merged, SDVariable next) {
    return merged.mul(next);
  }
}
