package dln.runtime.train.fast;

import dln.runtime.nn.Layer;
import dln.runtime.nn.Weight;
import dln.runtime.nn.layers.BatchNormalization;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BatchNormalization over the last (channels) axis in one host pass each way. Training uses the
 * batch statistics (biased variance) and moves the moving statistics as Keras does, {@code moving =
 * moving·momentum + batch·(1 − momentum)}; inference, and a frozen layer ({@code trainable=False},
 * Keras's transfer-learning semantics), use the moving statistics. gamma / beta are optional
 * (scale / center). Statistics are summed in float over 64 values at a time, those sums in
 * double; the passes run on blocks of rows in parallel ({@link RowBlocks}).
 */
final class BatchNormStep extends LayerStep {
  /**
   * Values per tile, about: the passes run over a block's rows as one flat run of tiles of whole
   * rows, each copied into small arrays of its own and worked on there with the per-channel values
   * repeated over a tile ({@link #tiled}), every array read and written at the same index: the
   * JIT vectorises only such loops (one reading {@code x[t + j]} beside {@code mean[j]} stayed
   * scalar, ≈ 3.5× slower), and the vector loop (unrolled to 32 floats and more) also runs at 16
   * channels, where a loop over the channels of one row never reached it.
   */
  private static final int TILE_VALUES = 512;
  /** Tiles summed in float before the sums go into double ({@link #flush}). */
  private static final int PARTIAL_TILES = 64;
  /** Values per tile: whole rows. */
  private final int tile;
  private final BatchNormalization layer;
  private final Weight gamma;
  private final Weight beta;
  private final Weight movingMean;
  private final Weight movingVariance;
  private final float momentum;
  private final double epsilon;
  private final int channels;
  private final long[] sample;
  private final INDArray dGamma;
  private final INDArray dBeta;
  private final PerBatch<Buffers> buffers;
  private final float[] mean;
  private final float[] invStd;
  private final float[] gammaHost;
  /** beta per channel (0 without center), kept for the fused relu's mask in backward. */
  private final float[] betaHost;
  /** True when the relu right after this layer runs in this step's passes ({@link #absorbRelu}). */
  private boolean relu;
  private Buffers last;
  private boolean lastUsedBatchStats;
  /** The models this layer sits in (nested models): frozen, any of them puts the layer in inference mode. */
  private List<? extends Layer> enclosing = List.of();

  /** x then the normalised x̂ (host), the gradient (host), and the native output / input gradient. */
  private record Buffers(float[] xhat, float[] grad, INDArray out, INDArray dIn) {}

  BatchNormStep(BatchNormalization layer, long[] sample) {
    this.layer = layer;
    this.gamma = layer.config().scale() ? layer.weight("gamma") : null;
    this.beta = layer.config().center() ? layer.weight("beta") : null;
    this.movingMean = layer.weight("moving_mean");
    this.movingVariance = layer.weight("moving_variance");
    this.momentum = (float) layer.config().momentum();
    this.epsilon = layer.config().epsilon();
    this.sample = sample;
    this.channels = (int) sample[sample.length - 1];
    this.tile = Math.max(1, TILE_VALUES / channels) * channels;
    this.dGamma = Nd4j.create(DataType.FLOAT, channels);
    this.dBeta = Nd4j.create(DataType.FLOAT, channels);
    this.mean = new float[channels];
    this.invStd = new float[channels];
    this.gammaHost = new float[channels];
    this.betaHost = new float[channels];
    this.buffers = new PerBatch<>(b -> {
      INDArray out = Nd4j.create(DataType.FLOAT, withBatch(b, sample));
      int n = (int) out.length();
      return new Buffers(new float[n], new float[n], out, Nd4j.create(DataType.FLOAT, withBatch(b, sample)));
    });
  }

  /** Declares the (nested) models around this layer, whose freezing puts it in inference mode as in Keras. */
  void within(List<? extends Layer> models) {
    this.enclosing = List.copyOf(models);
  }

  /**
   * Applies the relu that reads this layer's output (its only reader) in the normalising pass,
   * and its derivative in the backward pass's first sweep: max(0, x̂·γ + β) forward, and backward
   * dy zeroed where x̂·γ + β ≤ 0 (recomputed from x̂, bit for bit the forward's value).
   */
  void absorbRelu() {
    relu = true;
  }

  @Override
  List<Weight> weights() {
    List<Weight> w = new ArrayList<>(2);
    if (gamma != null) w.add(gamma);
    if (beta != null) w.add(beta);
    return w;
  }

  @Override
  List<INDArray> gradients() {
    List<INDArray> g = new ArrayList<>(2);
    if (gamma != null) g.add(dGamma);
    if (beta != null) g.add(dBeta);
    return g;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    float[] x = b.xhat();
    INDArray src = Host.plain(in); // each pass's first sweep copies its own rows in (Host.readRange)
    int rows = x.length / channels;
    boolean batchStats = training && layer.isTrainable();
    for (Layer l : enclosing) batchStats &= l.isTrainable();
    if (batchStats) {
      // One pass for both moments: [0, channels) Σx, [channels, 2·channels) Σx² (float over 64 tiles, then double).
      double[] sums = RowBlocks.sumPerChannel(rows, 2 * channels, (from, to, acc) -> {
        Host.readRange(src, from * channels, x, (to - from) * channels);
        float[] s1 = new float[tile];
        float[] s2 = new float[tile];
        float[] xt = new float[tile];
        for (int t = from * channels, end = to * channels, k = 1; t < end; t += tile, k++) {
          int len = Math.min(tile, end - t);
          System.arraycopy(x, t, xt, 0, len);
          for (int j = 0; j < len; j++) {
            float v = xt[j];
            s1[j] += v;
            s2[j] += v * v;
          }
          if (k % PARTIAL_TILES == 0 || t + tile >= end) flush(s1, s2, acc);
        }
      });
      float[] batchMean = new float[channels];
      float[] batchVar = new float[channels];
      for (int c = 0; c < channels; c++) {
        double m = sums[c] / rows;
        batchMean[c] = (float) m;
        batchVar[c] = (float) Math.max(0, sums[channels + c] / rows - m * m);
        mean[c] = batchMean[c];
        invStd[c] = (float) (1 / Math.sqrt(batchVar[c] + epsilon));
      }
      moveTowards(movingMean, batchMean);
      moveTowards(movingVariance, batchVar);
    } else {
      float[] mm = Host.read(movingMean.value());
      float[] mv = Host.read(movingVariance.value());
      for (int c = 0; c < channels; c++) {
        mean[c] = mm[c];
        invStd[c] = (float) (1 / Math.sqrt(mv[c] + epsilon));
      }
    }
    float[] g = gamma != null ? Host.read(gamma.value()) : null;
    float[] be = beta != null ? Host.read(beta.value()) : null;
    for (int c = 0; c < channels; c++) {
      gammaHost[c] = g != null ? g[c] : 1f;
      betaHost[c] = be != null ? be[c] : 0f;
    }
    float[] y = b.grad(); // the output is staged in the gradient array, free until backward
    boolean withRelu = relu;
    float[] meanT = tiled(mean);
    float[] invStdT = tiled(invStd);
    float[] gammaT = tiled(gammaHost);
    float[] betaT = tiled(betaHost);
    boolean copyIn = !batchStats; // with batch statistics the statistics pass copied x in
    RowBlocks.run(rows, (from, to) -> {
      if (copyIn) Host.readRange(src, from * channels, x, (to - from) * channels);
      // Two copies of the loop, so that neither tests the relu flag per value (the relu as
      // Math.max: a vector max, where a compare-and-branch per value ran ≈ 5× slower).
      float[] xt = new float[tile];
      float[] yt = new float[tile];
      for (int t = from * channels, end = to * channels; t < end; t += tile) {
        int len = Math.min(tile, end - t);
        System.arraycopy(x, t, xt, 0, len);
        if (withRelu) {
          for (int j = 0; j < len; j++) {
            float h = (xt[j] - meanT[j]) * invStdT[j];
            xt[j] = h;
            yt[j] = Math.max(h * gammaT[j] + betaT[j], 0f);
          }
        } else {
          for (int j = 0; j < len; j++) {
            float h = (xt[j] - meanT[j]) * invStdT[j];
            xt[j] = h;
            yt[j] = h * gammaT[j] + betaT[j];
          }
        }
        System.arraycopy(xt, 0, x, t, len);
        System.arraycopy(yt, 0, y, t, len);
      }
      Host.writeRange(b.out(), from * channels, y, (to - from) * channels);
    });
    last = b;
    lastUsedBatchStats = batchStats;
    return b.out();
  }

  /** A per-channel value repeated over a tile ({@link #tile}): entry j is channel j mod channels. */
  private float[] tiled(float[] perChannel) {
    float[] t = new float[tile];
    for (int j = 0; j < tile; j++) t[j] = perChannel[j % channels];
    return t;
  }

  /**
   * Adds a tile's float partial sums (of at most {@link #PARTIAL_TILES} values each) into the
   * double totals per channel ([0, channels) and [channels, 2·channels)) and zeroes them: the
   * per-value loop stays in float, which the JIT vectorises (a double accumulator per value kept
   * it scalar), while no float sum runs long enough to lose precision.
   */
  private void flush(float[] s1, float[] s2, double[] acc) {
    for (int j = 0; j < tile; j++) {
      acc[j % channels] += s1[j];
      acc[channels + j % channels] += s2[j];
      s1[j] = 0;
      s2[j] = 0;
    }
  }

  /** moving = moving·momentum + batch·(1 − momentum), in float as the reference engine computes it. */
  private void moveTowards(Weight moving, float[] batch) {
    float[] m = Host.read(moving.value());
    for (int c = 0; c < channels; c++) m[c] = m[c] * momentum + batch[c] * (1 - momentum);
    moving.value().assign(Nd4j.createFromArray(m));
  }

  /**
   * 1 where {@code v > 0}, else 0 (NaN stays NaN), without a branch and in min / max only, which
   * the JIT vectorises (a compare-and-branch per value, taken at random, ran ≈ 4× slower than the
   * whole pass without the relu; a sign-bit mask through {@code floatToRawIntBits} stayed scalar):
   * any positive float, the smallest denormal included, times 2¹²⁷ twice is at least 1 (or +∞),
   * so the clamp to [0, 1] gives exactly 1; +0, −0 and negatives give 0. Multiplying the gradient
   * by it keeps a passed value bit for bit.
   */
  static float reluMask(float v) {
    return Math.min(Math.max(v * 0x1p127f * 0x1p127f, 0f), 1f);
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    float[] dy = last.grad();
    INDArray src = Host.plain(dOut); // copied in block by block by the sums pass
    float[] xhat = last.xhat();
    int rows = dy.length / channels;
    // One pass for both sums: [0, channels) Σdy, [channels, 2·channels) Σdy·x̂; with the fused
    // relu, dy is first zeroed (in place) where the relu's input was not positive.
    boolean withRelu = relu;
    float[] gammaT = tiled(gammaHost);
    float[] betaT = tiled(betaHost);
    double[] sums = RowBlocks.sumPerChannel(rows, 2 * channels, (from, to, acc) -> {
      Host.readRange(src, from * channels, dy, (to - from) * channels);
      float[] s1 = new float[tile];
      float[] s2 = new float[tile];
      float[] ht = new float[tile];
      float[] dt = new float[tile];
      for (int t = from * channels, end = to * channels, k = 1; t < end; t += tile, k++) {
        int len = Math.min(tile, end - t);
        System.arraycopy(xhat, t, ht, 0, len);
        System.arraycopy(dy, t, dt, 0, len);
        if (withRelu) {
          for (int j = 0; j < len; j++) {
            float h = ht[j];
            float d = dt[j] * reluMask(h * gammaT[j] + betaT[j]);
            dt[j] = d;
            s1[j] += d;
            s2[j] += d * h;
          }
          System.arraycopy(dt, 0, dy, t, len);
        } else {
          for (int j = 0; j < len; j++) {
            float d = dt[j];
            s1[j] += d;
            s2[j] += d * ht[j];
          }
        }
        if (k % PARTIAL_TILES == 0 || t + tile >= end) flush(s1, s2, acc);
      }
    });
    double[] sumDy = java.util.Arrays.copyOfRange(sums, 0, channels);
    double[] sumDyX = java.util.Arrays.copyOfRange(sums, channels, 2 * channels);
    if (weightGrads) {
      float[] dg = new float[channels];
      float[] db = new float[channels];
      for (int c = 0; c < channels; c++) {
        dg[c] = (float) sumDyX[c];
        db[c] = (float) sumDy[c];
      }
      Host.write(dGamma, dg);
      Host.write(dBeta, db);
    }
    if (!inputGrad) return null;
    float[] scale = new float[channels];
    float[] meanDy = new float[channels];
    float[] meanDyX = new float[channels];
    for (int c = 0; c < channels; c++) {
      scale[c] = gammaHost[c] * invStd[c];
      // With batch statistics the mean and variance depend on x too: dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)).
      meanDy[c] = lastUsedBatchStats ? (float) (sumDy[c] / rows) : 0f;
      meanDyX[c] = lastUsedBatchStats ? (float) (sumDyX[c] / rows) : 0f;
    }
    float[] scaleT = tiled(scale);
    float[] meanDyT = tiled(meanDy);
    float[] meanDyXT = tiled(meanDyX);
    RowBlocks.run(rows, (from, to) -> {
      float[] ht = new float[tile];
      float[] dt = new float[tile];
      for (int t = from * channels, end = to * channels; t < end; t += tile) {
        int len = Math.min(tile, end - t);
        System.arraycopy(xhat, t, ht, 0, len);
        System.arraycopy(dy, t, dt, 0, len);
        for (int j = 0; j < len; j++) dt[j] = scaleT[j] * (dt[j] - meanDyT[j] - ht[j] * meanDyXT[j]);
        System.arraycopy(dt, 0, dy, t, len);
      }
      Host.writeRange(last.dIn(), from * channels, dy, (to - from) * channels);
    });
    return last.dIn();
  }
}
