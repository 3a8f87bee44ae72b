package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Keeps the largest value of each window (channels-last). */
public final class MaxPooling2D extends Pooling2D {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Pooling2D.Config> SPEC = LayerSpec.of(MaxPooling2D.class, Pooling2D.Config.class, MaxPooling2D::new,
      "Keeps the largest value of each pool_size window (default (2, 2), strides default to pool_size).\n"
          + "Example: MaxPooling2D(pool_size=(2, 2))");

  public MaxPooling2D(Config config, String name) {
    super(config, name);
  }

  public MaxPooling2D(int poolSize) {
    this(new Config(poolSize), null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return ctx.sd().cnn().maxPooling2d(inputs.get(0), poolingConfig());
  }
}
