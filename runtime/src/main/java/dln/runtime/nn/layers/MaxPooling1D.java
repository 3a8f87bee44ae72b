package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import org.nd4j.autodiff.samediff.SDVariable;

/** Keeps the largest value of each window of steps. */
public final class MaxPooling1D extends Pooling1D {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Pooling1D.Config> SPEC = LayerSpec.of(MaxPooling1D.class, Pooling1D.Config.class, MaxPooling1D::new,
      "Keeps the largest value of each pool_size window of steps (default 2, strides default to pool_size).\n"
          + "Example: MaxPooling1D(2)");

  public MaxPooling1D(Config config, String name) {
    super(config, name);
  }

  public MaxPooling1D(int poolSize) {
    this(new Config(poolSize), null);
  }

  @Override
  protected SDVariable pool2d(GraphContext ctx, SDVariable x4) {
    return ctx.sd().cnn().maxPooling2d(x4, poolingConfig());
  }
}
