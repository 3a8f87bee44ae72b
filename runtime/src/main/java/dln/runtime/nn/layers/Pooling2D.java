package dln.runtime.nn.layers;

import dln.runtime.nn.GraphContext;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.Param;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Divisor;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** Shared code of MaxPooling2D and AveragePooling2D (channels-last). */
public abstract class Pooling2D extends ConfiguredLayer<Pooling2D.Config> {
  /**
   * @param poolSize window (height, width), default (2, 2)
   * @param strides default: the pool size
   * @param padding "valid" or "same"
   */
  public record Config(@Param int[] poolSize, @Param(aliases = "stride") int[] strides, @Param(dflt = "valid") String padding) {
    public Config {
      poolSize = Geometry.pair(poolSize, "pool_size", new int[] {2, 2});
      strides = Geometry.pair(strides, "strides", poolSize);
      padding = Geometry.padding(padding);
    }

    public Config(int poolSize) {
      this(new int[] {poolSize, poolSize}, null, "valid");
    }
  }

  protected Pooling2D(Config config, String name) {
    super(config, name);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireImage(this, in.get(0));
    return Geometry.slidingWindowOutput(this, s, config.poolSize(), config.strides(), config.padding(), s[3]);
  }

  protected Pooling2DConfig poolingConfig() {
    return Pooling2DConfig.builder()
        .kH(config.poolSize()[0]).kW(config.poolSize()[1]).sH(config.strides()[0]).sW(config.strides()[1])
        .dH(1).dW(1)
        .paddingMode(config.padding().equals("same") ? PaddingMode.SAME : PaddingMode.VALID)
        // Keras averages only the values inside the image at borders with 'same' padding.
        .divisor(Divisor.EXCLUDE_PADDING)
        .isNHWC(true).build();
  }

  @Override
  protected abstract SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes);
}
