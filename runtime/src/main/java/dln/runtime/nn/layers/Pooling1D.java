package dln.runtime.nn.layers;

import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Param;
import dln.runtime.Shapes;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D.Divisor;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** Shared code of MaxPooling1D and AveragePooling1D over sequences (batch, steps, channels). */
public abstract class Pooling1D extends ConfiguredLayer<Pooling1D.Config> {
  /**
   * @param poolSize window length, default 2
   * @param strides default: the pool size
   * @param padding "valid" or "same"
   */
  public record Config(@Param int[] poolSize, @Param(aliases = "stride") int[] strides, @Param(dflt = "valid") String padding) {
    public Config {
      poolSize = new int[] {Geometry.single(poolSize, "pool_size", 2)};
      strides = new int[] {Geometry.single(strides, "strides", poolSize[0])};
      padding = Geometry.padding(padding);
    }

    public Config(int poolSize) {
      this(new int[] {poolSize}, null, "valid");
    }
  }

  protected Pooling1D(Config config, String name) {
    super(config, name);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireSequence(this, in.get(0));
    long steps = Geometry.outSize(this, s[1], config.poolSize()[0], config.strides()[0], config.padding(), "steps");
    return new long[] {Shapes.UNKNOWN, steps, s[2]};
  }

  /** The 2-D pooling of height 1 that computes this layer on (batch, 1, steps, channels). */
  protected Pooling2DConfig poolingConfig() {
    return Pooling2DConfig.builder().kH(1).kW(config.poolSize()[0]).sH(1).sW(config.strides()[0]).dH(1).dW(1)
        .paddingMode(config.padding().equals("same") ? PaddingMode.SAME : PaddingMode.VALID)
        .divisor(Divisor.EXCLUDE_PADDING).isNHWC(true).build();
  }

  /** The 2-D pooling of the input seen as (batch, 1, steps, channels). */
  protected abstract SDVariable pool2d(GraphContext ctx, SDVariable x4);

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    long[] s = shapes.get(0);
    long[] out = outputShape(shapes);
    return pool2d(ctx, inputs.get(0).reshape(-1, 1, s[1], s[2])).reshape(-1, out[1], out[2]);
  }
}
