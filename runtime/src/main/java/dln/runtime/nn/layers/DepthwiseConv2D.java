package dln.runtime.nn.layers;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Activations;
import dln.runtime.nn.ConfiguredLayer;
import dln.runtime.nn.GraphContext;
import dln.runtime.nn.Initializers;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * Keras's DepthwiseConv2D on channels-last images: each input channel is convolved with its own
 * depth_multiplier filters; kernel (kernel_h, kernel_w, in_channels, depth_multiplier), bias
 * (in_channels · depth_multiplier), output channel {@code c · depth_multiplier + m}.
 */
public final class DepthwiseConv2D extends ConfiguredLayer<DepthwiseConv2D.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(DepthwiseConv2D.class, Config.class, DepthwiseConv2D::new,
      "A 2-D convolution of each channel on its own (depth_multiplier filters per channel), as in MobileNet.\n"
          + "Example: DepthwiseConv2D(3, padding='same', activation='relu')");

  public record Config(int[] kernelSize, @Param(aliases = "stride") int[] strides, @Param(dflt = "valid") String padding,
      @Param(dflt = "1") int depthMultiplier, @Param String activation, @Param(dflt = "true") boolean useBias,
      @Param(dflt = "glorot_uniform") String depthwiseInitializer, @Param(dflt = "zeros") String biasInitializer) {
    public Config {
      kernelSize = Geometry.pair(kernelSize, "kernel_size", null);
      strides = Geometry.pair(strides, "strides", new int[] {1, 1});
      padding = Geometry.padding(padding);
      if (depthMultiplier <= 0) throw DlnRuntimeException.value("depth_multiplier must be positive, got " + depthMultiplier);
      activation = Activations.check(activation);
      depthwiseInitializer = Initializers.check(depthwiseInitializer == null ? "glorot_uniform" : depthwiseInitializer);
      biasInitializer = Initializers.check(biasInitializer == null ? "zeros" : biasInitializer);
    }
  }

  public DepthwiseConv2D(Config config, String name) {
    super(config, name);
  }

  public DepthwiseConv2D(int kernelSize, String padding, String activation) {
    this(new Config(new int[] {kernelSize}, null, padding, 1, activation, true, null, null), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    long[] s = Geometry.requireImage(this, in.get(0));
    return Geometry.slidingWindowOutput(this, s, config.kernelSize(), config.strides(), config.padding(), s[3] * config.depthMultiplier());
  }

  @Override
  protected void build(List<long[]> in) {
    long channels = in.get(0)[3];
    int[] k = config.kernelSize();
    addWeight("depthwise_kernel", new long[] {k[0], k[1], channels, config.depthMultiplier()}, config.depthwiseInitializer(), true, null);
    if (config.useBias()) addWeight("bias", new long[] {channels * config.depthMultiplier()}, config.biasInitializer(), true, null);
  }

  /** The libnd4j convolution settings (channels-last, weights [kH, kW, iC, mC]). */
  static Conv2DConfig convConfig(int[] k, int[] st, String padding) {
    return Conv2DConfig.builder().kH(k[0]).kW(k[1]).sH(st[0]).sW(st[1]).dH(1).dW(1)
        .paddingMode(padding.equals("same") ? PaddingMode.SAME : PaddingMode.VALID).dataFormat("NHWC").build();
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    Conv2DConfig c = convConfig(config.kernelSize(), config.strides(), config.padding());
    SDVariable kernel = ctx.weight(weight("depthwise_kernel"));
    SDVariable z = config.useBias()
        ? ctx.sd().cnn().depthWiseConv2d(inputs.get(0), kernel, ctx.weight(weight("bias")), c)
        : ctx.sd().cnn().depthWiseConv2d(inputs.get(0), kernel, c);
    return Activations.apply(ctx, config.activation(), z);
  }
}
