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

/**
 * Keras's SeparableConv2D on channels-last images: a depthwise convolution (depthwise_kernel
 * (kernel_h, kernel_w, in_channels, depth_multiplier), no bias) followed by a 1×1 convolution
 * (pointwise_kernel (1, 1, in_channels · depth_multiplier, filters), then bias and activation).
 */
public final class SeparableConv2D extends ConfiguredLayer<SeparableConv2D.Config> {
  /** The layer type: its name, description, arguments and constructor (see {@link LayerSpec}). */
  public static final LayerSpec<Config> SPEC = LayerSpec.of(SeparableConv2D.class, Config.class, SeparableConv2D::new,
      "A depthwise convolution of each channel followed by a 1×1 convolution mixing the channels (Xception, MobileNet).\n"
          + "Example: SeparableConv2D(64, 3, padding='same', activation='relu')");

  public record Config(int filters, int[] kernelSize, @Param(aliases = "stride") int[] strides, @Param(dflt = "valid") String padding,
      @Param(dflt = "1") int depthMultiplier, @Param String activation, @Param(dflt = "true") boolean useBias,
      @Param(dflt = "glorot_uniform") String depthwiseInitializer, @Param(dflt = "glorot_uniform") String pointwiseInitializer,
      @Param(dflt = "zeros") String biasInitializer) {
    public Config {
      if (filters <= 0) {
        throw DlnRuntimeException.value("SeparableConv2D needs a positive number of filters, got " + filters, "e.g. SeparableConv2D(32, 3)");
      }
      kernelSize = Geometry.pair(kernelSize, "kernel_size", null);
      strides = Geometry.pair(strides, "strides", new int[] {1, 1});
      padding = Geometry.padding(padding);
      if (depthMultiplier <= 0) throw DlnRuntimeException.value("depth_multiplier must be positive, got " + depthMultiplier);
      activation = Activations.check(activation);
      depthwiseInitializer = Initializers.check(depthwiseInitializer == null ? "glorot_uniform" : depthwiseInitializer);
      pointwiseInitializer = Initializers.check(pointwiseInitializer == null ? "glorot_uniform" : pointwiseInitializer);
      biasInitializer = Initializers.check(biasInitializer == null ? "zeros" : biasInitializer);
    }
  }

  public SeparableConv2D(Config config, String name) {
    super(config, name);
  }

  public SeparableConv2D(int filters, int kernelSize, String padding, String activation) {
    this(new Config(filters, new int[] {kernelSize}, null, padding, 1, activation, true, null, null, null), null);
  }

  @Override
  protected long[] outputShape(List<long[]> in) {
    return Geometry.slidingWindowOutput(this, in.get(0), config.kernelSize(), config.strides(), config.padding(), config.filters());
  }

  @Override
  protected void build(List<long[]> in) {
    long channels = in.get(0)[3];
    int[] k = config.kernelSize();
    int m = config.depthMultiplier();
    addWeight("depthwise_kernel", new long[] {k[0], k[1], channels, m}, config.depthwiseInitializer(), true, null);
    addWeight("pointwise_kernel", new long[] {1, 1, channels * m, config.filters()}, config.pointwiseInitializer(), true, null);
    if (config.useBias()) addWeight("bias", new long[] {config.filters()}, config.biasInitializer(), true, null);
  }

  @Override
  protected SDVariable forward(GraphContext ctx, List<SDVariable> inputs, List<long[]> shapes) {
    SDVariable depth = ctx.sd().cnn().depthWiseConv2d(inputs.get(0), ctx.weight(weight("depthwise_kernel")),
        DepthwiseConv2D.convConfig(config.kernelSize(), config.strides(), config.padding()));
    Conv2DConfig one = DepthwiseConv2D.convConfig(new int[] {1, 1}, new int[] {1, 1}, "valid");
    SDVariable pointwise = ctx.weight(weight("pointwise_kernel"));
    SDVariable z = config.useBias()
        ? ctx.sd().cnn().conv2d(depth, pointwise, ctx.weight(weight("bias")), one)
        : ctx.sd().cnn().conv2d(depth, pointwise, one);
    return Activations.apply(ctx, config.activation(), z);
  }
}
