package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Keeps the largest value of each window (channels-last). */
public final class MaxPooling2D extends Pooling2D {
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
