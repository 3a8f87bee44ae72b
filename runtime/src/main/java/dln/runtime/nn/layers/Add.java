package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import org.nd4j.autodiff.samediff.SDVariable;

/** Element-wise sum of two or more tensors of the same shape (residual connections). */
public final class Add extends ElementwiseMerge<Add.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(Add.class, Config.class, Add::new,
      "Adds two or more tensors of the same shape (residual connections).\n"
          + "Example: Add()([x, y])");

  /** Add has no settings. */
  public record Config() {}

  public Add(Config config, String name) {
    super(config, name);
  }

  public Add() {
    this(new Config(), null);
  }

  @Override
  protected SDVariable combine(GraphContext ctx, SDVariable merged, SDVariable next) {
    return merged.add(next);
  }
}
