package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import org.nd4j.autodiff.samediff.SDVariable;

/** Subtracts the second of two tensors of the same shape from the first. */
public final class Subtract extends ElementwiseMerge<Subtract.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Subtract.class, Config.class, Subtract::new,
      "Subtracts the second of two tensors of the same shape from the first.\n"
          + "Example: Subtract()([x, y])");

  /** Subtract has no settings. */
  public record Config() {}

  public Subtract(Config config, String name) {
    super(config, name);
  }

  public Subtract() {
    this(new Config(), null);
  }

  @Override
  protected int maxInputs() {
    return 2;
  }

  @Override
  protected SDVariable combine(GraphContext ctx, SDVariable merged, SDVariable next) {
    return merged.sub(next);
  }
}
