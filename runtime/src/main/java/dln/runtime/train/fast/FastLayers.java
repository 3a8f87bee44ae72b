package dln.runtime.train.fast;

import dln.runtime.nn.Layer;
import dln.runtime.Shapes;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.AveragePooling2D;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.GlobalMaxPooling2D;
import dln.runtime.nn.layers.Pooling2D;
import dln.runtime.nn.layers.Reshape;
import dln.runtime.nn.layers.ZeroPadding2D;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.LeakyReLU;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.nn.layers.RepeatVector;
import dln.runtime.nn.layers.Softmax;
import dln.runtime.nn.layers.Cropping2D;
import dln.runtime.nn.layers.GaussianNoise;
import dln.runtime.nn.layers.Masking;
import dln.runtime.nn.layers.Permute;
import dln.runtime.nn.layers.SpatialDropout2D;
import dln.runtime.nn.layers.UpSampling2D;
import dln.runtime.nn.layers.AveragePooling1D;
import dln.runtime.nn.layers.Conv1D;
import dln.runtime.nn.layers.GlobalAveragePooling1D;
import dln.runtime.nn.layers.GlobalMaxPooling1D;
import dln.runtime.nn.layers.MaxPooling1D;
import dln.runtime.nn.layers.Pooling1D;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.SimpleRNN;
import dln.runtime.nn.layers.LayerNormalization;
import dln.runtime.nn.layers.Conv2DTranspose;
import dln.runtime.nn.layers.DepthwiseConv2D;
import dln.runtime.nn.layers.SeparableConv2D;
import dln.runtime.nn.layers.Bidirectional;
import dln.runtime.nn.layers.TimeDistributed;
import dln.runtime.nn.layers.Lambda;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layer types the fast engine runs, one entry per layer class: the activation the layer
 * applies and how to make its {@link LayerStep}. A layer class without an entry sends its model
 * to the reference engine. Adding a fast layer is one step class and one line here.
 */
final class FastLayers {
  /** The activation a layer applies. */
  @FunctionalInterface
  interface ActivationOf<L extends Layer> {
    Act of(L layer) throws FastPlan.Unsupported;
  }

  /** The step running a layer; fuse: the loss head reads its pre-activation. */
  @FunctionalInterface
  interface StepMaker<L extends Layer> {
    LayerStep make(L layer, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported;
  }

  /** How the fast engine runs one layer class. */
  record Entry<L extends Layer>(Class<L> layerClass, ActivationOf<L> activation, StepMaker<L> step) {}

  private static final Map<Class<?>, Entry<?>> BY_CLASS = new LinkedHashMap<>();

  static {
    add(new Entry<>(Dense.class, d -> named(d.config().activation()), FastLayers::dense));
    add(new Entry<>(Conv2D.class, c -> named(c.config().activation()), FastLayers::conv2d));
    add(new Entry<>(MaxPooling2D.class, p -> Act.LINEAR, (p, act, fuse, in, out) -> pooling("maxpool2d", p, in, out)));
    add(new Entry<>(AveragePooling2D.class, p -> Act.LINEAR, (p, act, fuse, in, out) -> pooling("avgpool2d", p, in, out)));
    add(new Entry<>(GlobalAveragePooling2D.class, p -> Act.LINEAR, (p, act, fuse, in, out) -> new GlobalPool2DStep(false, Shapes.sample(in))));
    add(new Entry<>(GlobalMaxPooling2D.class, p -> Act.LINEAR, (p, act, fuse, in, out) -> new GlobalPool2DStep(true, Shapes.sample(in))));
    add(new Entry<>(ZeroPadding2D.class, z -> Act.LINEAR,
        (z, act, fuse, in, out) -> new ZeroPadding2DStep(z.config().padding(), z.config().value(), Shapes.sample(in), Shapes.sample(out))));
    add(new Entry<>(Flatten.class, f -> Act.LINEAR, (f, act, fuse, in, out) -> new ReshapeStep(Shapes.sample(out))));
    add(new Entry<>(Reshape.class, r -> Act.LINEAR, (r, act, fuse, in, out) -> new ReshapeStep(Shapes.sample(out))));
    add(new Entry<>(BatchNormalization.class, b -> Act.LINEAR, (b, act, fuse, in, out) -> new BatchNormStep(b, Shapes.sample(in))));
    add(new Entry<>(Dropout.class, d -> Act.LINEAR, (d, act, fuse, in, out) -> new DropoutStep(d, d.config().rate(), Shapes.sample(in))));
    add(new Entry<>(ReLU.class, r -> Act.RELU, FastLayers::relu));
    add(new Entry<>(LeakyReLU.class, r -> Act.RELU,
        (LeakyReLU r, Act act, boolean fuse, long[] in, long[] out) -> new KerasReluStep(Double.POSITIVE_INFINITY, r.config().negativeSlope(), 0, Shapes.sample(in))));
    add(new Entry<>(Softmax.class, s -> Act.SOFTMAX, FastLayers::softmax));
    add(new Entry<>(Activation.class, a -> named(a.config().activation()),
        (a, act, fuse, in, out) -> new ActivationStep(act, fuse, Shapes.sample(in))));
    add(new Entry<>(Embedding.class, e -> Act.LINEAR, FastLayers::embedding));
    add(new Entry<>(LSTM.class, l -> Act.LINEAR, FastLayers::lstm));
    add(new Entry<>(RepeatVector.class, r -> Act.LINEAR, (r, act, fuse, in, out) -> new RepeatVectorStep(r.config().n(), in[1])));
    add(new Entry<>(Permute.class, p -> Act.LINEAR,
        (p, act, fuse, in, out) -> new PermuteStep(p.fullPermutation(), Shapes.sample(in), Shapes.sample(out))));
    add(new Entry<>(Cropping2D.class, c -> Act.LINEAR,
        (c, act, fuse, in, out) -> new Cropping2DStep(c.config().cropping(), Shapes.sample(in), Shapes.sample(out))));
    add(new Entry<>(UpSampling2D.class, u -> Act.LINEAR,
        (u, act, fuse, in, out) -> new UpSampling2DStep(u.config().size(), Shapes.sample(in), Shapes.sample(out))));
    add(new Entry<>(Masking.class, m -> Act.LINEAR, (m, act, fuse, in, out) -> new MaskingStep(m.config().maskValue(), Shapes.sample(in))));
    add(new Entry<>(GaussianNoise.class, g -> Act.LINEAR,
        (g, act, fuse, in, out) -> new GaussianNoiseStep(g, g.config().stddev(), Shapes.sample(in))));
    add(new Entry<>(SpatialDropout2D.class, d -> Act.LINEAR,
        (d, act, fuse, in, out) -> new SpatialDropout2DStep(d, d.config().rate(), Shapes.sample(in))));
    add(new Entry<>(Conv1D.class, c -> named(c.config().activation()), FastLayers::conv1d));
    add(new Entry<>(MaxPooling1D.class, p -> Act.LINEAR, (p, act, fuse, in, out) -> pooling1d("maxpool2d", p, in, out)));
    add(new Entry<>(AveragePooling1D.class, p -> Act.LINEAR, (p, act, fuse, in, out) -> pooling1d("avgpool2d", p, in, out)));
    add(new Entry<>(GlobalAveragePooling1D.class, p -> Act.LINEAR, (p, act, fuse, in, out) -> new GlobalPool2DStep(false, Shapes.sample(in))));
    add(new Entry<>(GlobalMaxPooling1D.class, p -> Act.LINEAR, (p, act, fuse, in, out) -> new GlobalPool2DStep(true, Shapes.sample(in))));
    add(new Entry<>(SimpleRNN.class, l -> Act.LINEAR, FastLayers::simpleRnn));
    add(new Entry<>(GRU.class, l -> Act.LINEAR, FastLayers::gru));
    add(new Entry<>(LayerNormalization.class, l -> Act.LINEAR,
        (l, act, fuse, in, out) -> new LayerNormStep(l.weight("gamma"), l.weight("beta"), l.config().epsilon(), Shapes.sample(in))));
    add(new Entry<>(DepthwiseConv2D.class, c -> named(c.config().activation()), FastLayers::depthwise));
    add(new Entry<>(SeparableConv2D.class, c -> named(c.config().activation()), FastLayers::separable));
    add(new Entry<>(Conv2DTranspose.class, c -> named(c.config().activation()), FastLayers::transpose));
    add(new Entry<>(Bidirectional.class, b -> Act.LINEAR, FastLayers::bidirectional));
    add(new Entry<>(TimeDistributed.class, t -> Act.LINEAR, FastLayers::timeDistributed));
    add(new Entry<>(Lambda.class, l -> Act.LINEAR, (l, act, fuse, in, out) -> new LambdaStep(l.config().function(), Shapes.sample(in), Shapes.sample(out))));
  }

  private FastLayers() {}

  private static void add(Entry<?> e) {
    BY_CLASS.put(e.layerClass(), e);
  }

  /** The activation a layer applies (LINEAR for layers without one, and for layers the engine does not run). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Act activationOf(Layer layer) throws FastPlan.Unsupported {
    Entry e = BY_CLASS.get(layer.getClass());
    return e == null ? Act.LINEAR : e.activation().of(layer);
  }

  /** The step running a layer, or Unsupported for a layer type or setting the engine does not cover. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static LayerStep stepFor(Layer layer, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    Entry e = BY_CLASS.get(layer.getClass());
    if (layer instanceof dln.runtime.nn.ScriptedLayer) {
      // Its forward pass is whatever graph operations the user's call() made: only SameDiff runs those.
      throw new FastPlan.Unsupported("the custom layer " + layer.typeName() + ", whose call() the SameDiff engine runs as a graph");
    }
    if (e == null) throw new FastPlan.Unsupported("layer type " + layer.typeName());
    return e.step().make(layer, act, fuse, in, out);
  }

  private static Act named(String name) throws FastPlan.Unsupported {
    Act act = Act.of(name);
    if (act == null) throw new FastPlan.Unsupported("activation " + name);
    return act;
  }

  private static LayerStep dense(Dense d, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    // On sequences (batch, steps, features) every step is a row: the Dense step over batch · steps rows.
    if (in.length == 3 && !fuse) return new TimeDistributedStep(new DenseStep(d.weight("kernel"), d.weight("bias"), act, false), in[1]);
    if (in.length != 2) throw new FastPlan.Unsupported("Dense on a rank-" + in.length + " input" + (fuse ? " under a loss" : ""));
    return new DenseStep(d.weight("kernel"), d.weight("bias"), act, fuse);
  }

  private static LayerStep conv2d(Conv2D c, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on a convolution's output");
    Conv2D.Config cc = c.config();
    return new Conv2DStep(c.weight("kernel"), c.weight("bias"), act, cc.kernelSize(), cc.strides(),
        cc.padding().equals("same"), Shapes.sample(in), Shapes.sample(out));
  }

  /** (batch, steps, channels) as the image (batch, 1, steps, channels). */
  private static long[] asImage(long[] s) {
    return new long[] {1, s[1], s[2]};
  }

  private static LayerStep conv1d(Conv1D c, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on a convolution's output");
    List<LayerStep> steps = new ArrayList<>();
    long[] convIn = asImage(in);
    int pad = c.causalPadding();
    if (pad > 0) {
      long[] padded = {1, in[1] + pad, in[2]};
      steps.add(new ZeroPadding2DStep(new int[] {0, 0, pad, 0}, 0, convIn, padded));
      convIn = padded;
    }
    steps.add(new Conv2DStep(c.weight("kernel"), c.weight("bias"), act, new int[] {1, c.kernel()}, new int[] {1, c.stride()},
        c.config().padding().equals("same"), convIn, asImage(out)));
    return new Seq1DStep(steps);
  }

  private static LayerStep pooling1d(String op, Pooling1D p, long[] in, long[] out) {
    var pc = p.config();
    return new Seq1DStep(List.of(new Pool2DStep(op, new int[] {1, pc.poolSize()[0]}, new int[] {1, pc.strides()[0]},
        pc.padding().equals("same"), asImage(in), asImage(out))));
  }

  private static LayerStep pooling(String op, Pooling2D p, long[] in, long[] out) {
    var pc = p.config();
    return new Pool2DStep(op, pc.poolSize(), pc.strides(), pc.padding().equals("same"), Shapes.sample(in), Shapes.sample(out));
  }

  private static LayerStep relu(ReLU r, Act act, boolean fuse, long[] in, long[] out) {
    ReLU.Config c = r.config();
    if (c.maxValue() == null && c.negativeSlope() == 0 && c.threshold() == 0) return new ActivationStep(act, fuse, Shapes.sample(in));
    // The cap as the reference's float constant.
    double cap = c.maxValue() == null ? Double.POSITIVE_INFINITY : c.maxValue().floatValue();
    return new KerasReluStep(cap, c.negativeSlope(), c.threshold(), Shapes.sample(in));
  }

  private static LayerStep softmax(Softmax s, Act act, boolean fuse, long[] in, long[] out) {
    int axis = s.config().axis() < 0 ? in.length + s.config().axis() : s.config().axis();
    if (axis != in.length - 1) return new SoftmaxAxisStep(axis - 1, Shapes.sample(in));
    return new ActivationStep(act, fuse, Shapes.sample(in));
  }

  private static LayerStep embedding(Embedding e, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on an Embedding's output");
    return new EmbeddingStep(e.weight("embeddings"), in[1], e.config().maskZero());
  }

  private static LayerStep lstm(LSTM l, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on an LSTM's output");
    LSTM.Config c = l.config();
    Act activation = named(c.activation());
    Act recurrentActivation = named(c.recurrentActivation());
    return new LSTMStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), activation, recurrentActivation,
        c.returnSequences(), c.goBackwards(), in[1]);
  }

  private static LayerStep simpleRnn(SimpleRNN l, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on a SimpleRNN's output");
    SimpleRNN.Config c = l.config();
    return new SimpleRNNStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), named(c.activation()),
        c.returnSequences(), c.goBackwards(), in[1]);
  }

  private static LayerStep gru(GRU l, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on a GRU's output");
    GRU.Config c = l.config();
    return new GRUStep(l.weight("kernel"), l.weight("recurrent_kernel"), l.weight("bias"), named(c.activation()),
        named(c.recurrentActivation()), c.resetAfter(), c.returnSequences(), c.goBackwards(), in[1]);
  }

  private static LayerStep depthwise(DepthwiseConv2D c, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on a convolution's output");
    DepthwiseConv2D.Config cc = c.config();
    return new Conv2DStep("depthwise_conv2d", c.weight("depthwise_kernel"), c.weight("bias"), act, cc.kernelSize(), cc.strides(),
        cc.padding().equals("same"), Shapes.sample(in), Shapes.sample(out));
  }

  private static LayerStep separable(SeparableConv2D c, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on a convolution's output");
    SeparableConv2D.Config cc = c.config();
    long[] mid = {out[1], out[2], in[3] * cc.depthMultiplier()};
    return new ChainStep(List.of(
        new Conv2DStep("depthwise_conv2d", c.weight("depthwise_kernel"), null, Act.LINEAR, cc.kernelSize(), cc.strides(),
            cc.padding().equals("same"), Shapes.sample(in), mid),
        new Conv2DStep(c.weight("pointwise_kernel"), c.weight("bias"), act, new int[] {1, 1}, new int[] {1, 1}, false, mid,
            Shapes.sample(out))));
  }

  private static LayerStep transpose(Conv2DTranspose c, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on a convolution's output");
    Conv2DTranspose.Config cc = c.config();
    return new Conv2DStep("deconv2d", c.weight("kernel"), c.weight("bias"), act, cc.kernelSize(), cc.strides(),
        cc.padding().equals("same"), Shapes.sample(in), Shapes.sample(out));
  }

  private static LayerStep bidirectional(Bidirectional b, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on a Bidirectional's output");
    long[] one = b.forwardLayer().outputShapes(List.of(in)).get(0);
    LayerStep f = stepFor(b.forwardLayer(), activationOf(b.forwardLayer()), false, in, one);
    LayerStep r = stepFor(b.backwardLayer(), activationOf(b.backwardLayer()), false, in, one);
    return new BidirectionalStep(f, r, b.config().mergeMode(), b.returnSequences(), Shapes.sample(in), Shapes.sample(one),
        Shapes.sample(out));
  }

  private static LayerStep timeDistributed(TimeDistributed t, Act act, boolean fuse, long[] in, long[] out) throws FastPlan.Unsupported {
    if (fuse) throw new FastPlan.Unsupported("a loss on a TimeDistributed's output");
    long[] step = TimeDistributed.stepShape(in);
    long[] innerOut = t.layer().outputShapes(List.of(step)).get(0);
    return new TimeDistributedStep(stepFor(t.layer(), activationOf(t.layer()), false, step, innerOut), in[1]);
  }
}
