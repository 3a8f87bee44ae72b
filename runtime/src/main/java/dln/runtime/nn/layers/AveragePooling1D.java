package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import org.nd4j.autodiff.samediff.SDVariable;

/** Averages each window of steps. */
public final class AveragePooling1D extends Pooling1D {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Pooling1D.Config> SPEC = LayerSpec.of(AveragePooling1D.class, Pooling1D.Config.class, AveragePooling1D::new,
      "Averages each pool_size window of steps (default 2, strides default to pool_size; 'same' borders average the values inside).\n"
          + "Example: AveragePooling1D(pool_size=3, strides=1, padding='same')");

  public AveragePooling1D(Config config, String name) {
    super(config, name);
  }

  public AveragePooling1D(int poolSize) {
    this(new Config(poolSize), null);
  }

  @Override
  protected SDVariable pool2d(GraphContext ctx, SDVariable x4) {
    return ctx.sd().cnn().avgPooling2d(x4, poolingConfig());
  }
}
