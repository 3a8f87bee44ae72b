package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.LayerSpec;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Averages each window (channels-last). */
public final class AveragePooling2D extends Pooling2D {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Pooling2D.Config> SPEC = LayerSpec.of(AveragePooling2D.class, Pooling2D.Config.class, AveragePooling2D::new,
      "Averages each pool_size window (default (2, 2), strides default to pool_size).\n"
          + "Example: AveragePooling2D(2)");

  public AveragePooling2D(Config config, String name) {
    super(config, name);
  }

  public AveragePooling2D(int poolSize) {
    this(new Config(poolSize), null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    return ctx.sd().cnn().avgPooling2d(inputs.get(0), poolingConfig());
  }
}
