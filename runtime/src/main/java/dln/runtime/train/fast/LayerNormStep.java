package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LayerNormalization over the last axis in one host pass per direction: per row the mean and
 * 1/√(σ² + ε), x̂ kept for the backward pass, whose input gradient is
 * {@code inv/N · (N·ĝ − Σĝ − x̂·Σ(ĝ·x̂))} with {@code ĝ = dy·γ}; dγ = Σ dy·x̂, dβ = Σ dy over rows.
 */
final class LayerNormStep extends LayerStep {
  private final Weight gamma;
  private final Weight beta;
  private final double epsilon;
  private final int features;
  private final float[] gammaHost;
  private final float[] dGammaHost;
  private final float[] dBetaHost;
  private final INDArray dGamma;
  private final INDArray dBeta;
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  /** x then dx on the host, x̂, 1/σ per row, and the native output and input gradient. */
  private record Buffers(float[] x, float[] xhat, float[] inv, INDArray out, INDArray dIn) {}

  LayerNormStep(Weight gamma, Weight beta, double epsilon, long[] sample) {
    this.gamma = gamma;
    this.beta = beta;
    this.epsilon = epsilon;
    this.features = (int) sample[sample.length - 1];
    this.gammaHost = new float[features];
    this.dGammaHost = new float[features];
    this.dBetaHost = new float[features];
    this.dGamma = Nd4j.create(DataType.FLOAT, features);
    this.dBeta = Nd4j.create(DataType.FLOAT, features);
    this.buffers = new PerBatch<>(b -> {
      INDArray out = Nd4j.create(DataType.FLOAT, withBatch(b, sample));
      int n = (int) out.length();
      return new Buffers(new float[n], new float[n], new float[n / features], out, Nd4j.create(DataType.FLOAT, withBatch(b, sample)));
    });
  }

  @Override
  List<Weight> weights() {
    List<Weight> w = new ArrayList<>();
    if (gamma != null) w.add(gamma);
    if (beta != null) w.add(beta);
    return w;
  }

  @Override
  List<INDArray> gradients() {
    List<INDArray> g = new ArrayList<>();
    if (gamma != null) g.add(dGamma);
    if (beta != null) g.add(dBeta);
    return g;
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    float[] x = b.x();
    float[] xhat = b.xhat();
    Host.read(in, x);
    // Re-read every forward: the optimiser changes γ and β in native memory.
    if (gamma != null) Host.read(gamma.value(), gammaHost);
    else java.util.Arrays.fill(gammaHost, 1f);
    float[] betaHost = beta != null ? Host.read(beta.value()) : null;
    int rows = b.inv().length;
    int c = features;
    for (int r = 0; r < rows; r++) {
      int o = r * c;
      double mean = 0;
      for (int j = 0; j < c; j++) mean += x[o + j];
      mean /= c;
      double var = 0;
      for (int j = 0; j < c; j++) {
        double d = x[o + j] - mean;
        var += d * d;
      }
      var /= c;
      float inv = (float) (1.0 / Math.sqrt(var + epsilon));
      b.inv()[r] = inv;
      for (int j = 0; j < c; j++) {
        float h = (float) ((x[o + j] - mean) * inv);
        xhat[o + j] = h;
        x[o + j] = h * gammaHost[j] + (betaHost != null ? betaHost[j] : 0f);
      }
    }
    Host.write(b.out(), x);
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    Buffers b = last;
    float[] dy = b.x();
    float[] xhat = b.xhat();
    Host.read(dOut, dy);
    int rows = b.inv().length;
    int c = features;
    if (weightGrads) {
      java.util.Arrays.fill(dGammaHost, 0f);
      java.util.Arrays.fill(dBetaHost, 0f);
      for (int r = 0; r < rows; r++) {
        int o = r * c;
        for (int j = 0; j < c; j++) {
          dGammaHost[j] += dy[o + j] * xhat[o + j];
          dBetaHost[j] += dy[o + j];
        }
      }
      if (gamma != null) Host.write(dGamma, dGammaHost);
      if (beta != null) Host.write(dBeta, dBetaHost);
    }
    if (!inputGrad) return null;
    for (int r = 0; r < rows; r++) {
      int o = r * c;
      double sum = 0;
      double dot = 0;
      for (int j = 0; j < c; j++) {
        float g = dy[o + j] * gammaHost[j];
        sum += g;
        dot += g * xhat[o + j];
      }
      float inv = b.inv()[r];
      for (int j = 0; j < c; j++) {
        float g = dy[o + j] * gammaHost[j];
        dy[o + j] = (float) (inv * (g - sum / c - xhat[o + j] * dot / c));
      }
    }
    Host.write(b.dIn(), dy);
    return b.dIn();
  }
}
