package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * GRU with Keras's default {@code reset_after=True} (gates z, r, h in the columns; bias rows: input,
 * recurrent), organised as {@link LSTMStep}: one GEMM for the input projection of every step, one
 * fused {@code h·U} GEMM per step (all three gates) with the gate math in Java, and full
 * backpropagation through time: per step one {@code dr·Uᵀ} GEMM, where dr is the gradient of the
 * recurrent term {@code h₋₁·U + b'}; the weight gradients are whole-sequence reductions
 * afterwards ({@code dW = xᵀ·dzx}, {@code dU = h₋₁ᵀ·dr}, the bias rows Σ dzx and Σ dr).
 * Sequences are time-major inside (row {@code t·batch + b}).
 */
final class GRUStep extends LayerStep {
  private final Weight kernel;
  private final Weight recurrent;
  private final Weight bias;
  private final Act activation;
  private final Act gateActivation;
  private final boolean returnSequences;
  private final int features;
  private final int units;
  private final int steps;
  private final INDArray dKernel;
  private final INDArray dRecurrent;
  private final INDArray dBias;
  /** Input bias (3·units) then recurrent bias (3·units): the rows of Keras's (2, 3·units) bias. */
  private final float[] biasHost;
  private final float[] dBiasHost;
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  private record Buffers(int batch, INDArray xSeq, INDArray zx, INDArray h, INDArray hu, INDArray out, INDArray hPrev, INDArray dzx,
      INDArray dhu, INDArray dhuStep, INDArray dhRecurrent, INDArray dxSeq, INDArray dIn, float[] xBatchMajor, float[] xTimeMajor,
      float[] zxHost, float[] huHost, float[] hStep, float[] update, float[] reset, float[] candidate, float[] recH, float[] hidden,
      float[] outHost, float[] dOutHost, float[] dzxHost, float[] dhuHost, float[] dhuStepHost, float[] dhHost, float[] carry,
      float[] hPrevHost, float[] dxHost) {}

  GRUStep(Weight kernel, Weight recurrent, Weight bias, Act activation, Act gateActivation, boolean returnSequences, long steps) {
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.bias = bias;
    this.activation = activation;
    this.gateActivation = gateActivation;
    this.returnSequences = returnSequences;
    this.features = (int) kernel.shape()[0];
    this.units = (int) recurrent.shape()[0];
    this.steps = (int) steps;
    this.dKernel = Nd4j.create(DataType.FLOAT, features, 3L * units);
    this.dRecurrent = Nd4j.create(DataType.FLOAT, units, 3L * units);
    this.dBias = bias == null ? null : Nd4j.create(DataType.FLOAT, 2, 3L * units);
    this.biasHost = new float[6 * units];
    this.dBiasHost = new float[6 * units];
    this.buffers = new PerBatch<>(this::buffersFor);
  }

  private Buffers buffersFor(long bl) {
    int b = (int) bl;
    int n = b * steps;
    int u = units;
    int g = 3 * u;
    INDArray out = returnSequences ? Nd4j.create(DataType.FLOAT, b, steps, u) : Nd4j.create(DataType.FLOAT, b, u);
    return new Buffers(b, Nd4j.create(DataType.FLOAT, n, features), Nd4j.create(DataType.FLOAT, n, g), Nd4j.create(DataType.FLOAT, b, u),
        Nd4j.create(DataType.FLOAT, b, g), out, Nd4j.create(DataType.FLOAT, n, u), Nd4j.create(DataType.FLOAT, n, g),
        Nd4j.create(DataType.FLOAT, n, g), Nd4j.create(DataType.FLOAT, b, g), Nd4j.create(DataType.FLOAT, b, u),
        Nd4j.create(DataType.FLOAT, n, features), Nd4j.create(DataType.FLOAT, b, steps, features), new float[n * features],
        new float[n * features], new float[n * g], new float[b * g], new float[b * u], new float[n * u], new float[n * u],
        new float[n * u], new float[n * u], new float[n * u], new float[(int) out.length()], new float[(int) out.length()],
        new float[n * g], new float[n * g], new float[b * g], new float[b * u], new float[b * u], new float[n * u],
        new float[n * features]);
  }

  @Override
  List<Weight> weights() {
    return bias == null ? List.of(kernel, recurrent) : List.of(kernel, recurrent, bias);
  }

  @Override
  List<INDArray> gradients() {
    return bias == null ? List.of(dKernel, dRecurrent) : List.of(dKernel, dRecurrent, dBias);
  }

  @Override
  INDArray forward(INDArray in, boolean training) {
    Buffers b = buffers.get(in.size(0));
    int batch = b.batch();
    int u = units;
    int g = 3 * u;
    Host.read(in, b.xBatchMajor());
    RnnMath.transpose(b.xBatchMajor(), b.xTimeMajor(), batch, steps, features);
    Host.write(b.xSeq(), b.xTimeMajor());
    Nd4j.gemm(b.xSeq(), kernel.value(), b.zx(), false, false, 1.0, 0.0);
    Host.read(b.zx(), b.zxHost());
    // Re-read every forward: the optimiser changes the bias in native memory.
    if (bias != null) Host.read(bias.value(), biasHost);
    float[] zx = b.zxHost();
    float[] hu = b.huHost();
    float[] update = b.update();
    float[] reset = b.reset();
    float[] candidate = b.candidate();
    float[] recH = b.recH();
    float[] hidden = b.hidden();
    for (int t = 0; t < steps; t++) {
      // The initial state is zero: the first step's recurrent term is the recurrent bias alone.
      if (t > 0) {
        Nd4j.gemm(b.h(), recurrent.value(), b.hu(), false, false, 1.0, 0.0);
        Host.read(b.hu(), hu);
      }
      for (int r = 0; r < batch; r++) {
        int row = t * batch + r;
        int zb = row * g;
        int s = row * u;
        int hb = r * g;
        for (int j = 0; j < u; j++) {
          float rz = biasHost[g + j] + (t > 0 ? hu[hb + j] : 0f);
          float rr = biasHost[g + u + j] + (t > 0 ? hu[hb + u + j] : 0f);
          float rh = biasHost[g + 2 * u + j] + (t > 0 ? hu[hb + 2 * u + j] : 0f);
          float z = RnnMath.apply(gateActivation, zx[zb + j] + biasHost[j] + rz);
          float rg = RnnMath.apply(gateActivation, zx[zb + u + j] + biasHost[u + j] + rr);
          float hh = RnnMath.apply(activation, zx[zb + 2 * u + j] + biasHost[2 * u + j] + rg * rh);
          float hPrev = t > 0 ? hidden[s - batch * u + j] : 0f;
          update[s + j] = z;
          reset[s + j] = rg;
          candidate[s + j] = hh;
          recH[s + j] = rh;
          hidden[s + j] = z * hPrev + (1f - z) * hh;
        }
      }
      if (t + 1 < steps) {
        System.arraycopy(hidden, t * batch * u, b.hStep(), 0, batch * u);
        Host.write(b.h(), b.hStep());
      }
    }
    float[] out = b.outHost();
    if (returnSequences) RnnMath.transpose(hidden, out, steps, batch, u);
    else System.arraycopy(hidden, (steps - 1) * batch * u, out, 0, batch * u);
    Host.write(b.out(), out);
    last = b;
    return b.out();
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    Buffers b = last;
    int batch = b.batch();
    int u = units;
    int g = 3 * u;
    float[] dOutHost = b.dOutHost();
    Host.read(dOut, dOutHost);
    float[] update = b.update();
    float[] reset = b.reset();
    float[] candidate = b.candidate();
    float[] recH = b.recH();
    float[] hidden = b.hidden();
    float[] dzx = b.dzxHost();
    float[] dhu = b.dhuHost();
    float[] dh = b.dhHost();
    // The gradient reaching h(t) through the next step's z ⊙ h(t) term.
    float[] carry = b.carry();
    java.util.Arrays.fill(carry, 0f);
    for (int t = steps - 1; t >= 0; t--) {
      // ... and through the next step's recurrent term: dr(t+1)·Uᵀ.
      if (t < steps - 1) {
        Nd4j.gemm(b.dhuStep(), recurrent.value(), b.dhRecurrent(), false, true, 1.0, 0.0);
        Host.read(b.dhRecurrent(), dh);
      } else {
        java.util.Arrays.fill(dh, 0f);
      }
      boolean hasOut = returnSequences || t == steps - 1;
      for (int r = 0; r < batch; r++) {
        int row = t * batch + r;
        int zb = row * g;
        int s = row * u;
        int outBase = returnSequences ? (r * steps + t) * u : r * u;
        for (int j = 0; j < u; j++) {
          float dhv = dh[r * u + j] + carry[r * u + j] + (hasOut ? dOutHost[outBase + j] : 0f);
          float z = update[s + j];
          float rg = reset[s + j];
          float hh = candidate[s + j];
          float hPrev = t > 0 ? hidden[s - batch * u + j] : 0f;
          float dpz = dhv * (hPrev - hh) * RnnMath.derivative(gateActivation, z);
          float dph = dhv * (1f - z) * RnnMath.derivative(activation, hh);
          float dpr = dph * recH[s + j] * RnnMath.derivative(gateActivation, rg);
          dzx[zb + j] = dpz;
          dzx[zb + u + j] = dpr;
          dzx[zb + 2 * u + j] = dph;
          dhu[zb + j] = dpz;
          dhu[zb + u + j] = dpr;
          dhu[zb + 2 * u + j] = dph * rg;
          carry[r * u + j] = dhv * z;
        }
      }
      if (t > 0) {
        System.arraycopy(dhu, t * batch * g, b.dhuStepHost(), 0, batch * g);
        Host.write(b.dhuStep(), b.dhuStepHost());
      }
    }
    Host.write(b.dzx(), dzx);
    if (weightGrads) {
      Nd4j.gemm(b.xSeq(), b.dzx(), dKernel, true, false, 1.0, 0.0);
      Host.write(b.dhu(), dhu);
      float[] hPrev = b.hPrevHost();
      java.util.Arrays.fill(hPrev, 0, batch * u, 0f);
      System.arraycopy(hidden, 0, hPrev, batch * u, (steps - 1) * batch * u);
      Host.write(b.hPrev(), hPrev);
      Nd4j.gemm(b.hPrev(), b.dhu(), dRecurrent, true, false, 1.0, 0.0);
      if (dBias != null) {
        java.util.Arrays.fill(dBiasHost, 0f);
        for (int p = 0; p < steps * batch; p++) {
          for (int k = 0; k < g; k++) {
            dBiasHost[k] += dzx[p * g + k];
            dBiasHost[g + k] += dhu[p * g + k];
          }
        }
        Host.write(dBias, dBiasHost);
      }
    }
    if (!inputGrad) return null;
    Nd4j.gemm(b.dzx(), kernel.value(), b.dxSeq(), false, true, 1.0, 0.0);
    Host.read(b.dxSeq(), b.xTimeMajor());
    RnnMath.transpose(b.xTimeMajor(), b.dxHost(), steps, batch, features);
    Host.write(b.dIn(), b.dxHost());
    return b.dIn();
  }
}
