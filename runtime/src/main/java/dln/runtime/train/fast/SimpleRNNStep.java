package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SimpleRNN over (batch, steps, features), organised as {@link LSTMStep}: one GEMM for the input
 * projection of every step, one {@code h·U} GEMM per step with the activation in Java, and full
 * backpropagation through time (one {@code dz·Uᵀ} GEMM per step), the weight gradients as three
 * whole-sequence reductions. Sequences are time-major inside (row {@code t·batch + b}).
 */
final class SimpleRNNStep extends LayerStep {
  private final Weight kernel;
  private final Weight recurrent;
  private final Weight bias;
  private final Act activation;
  private final boolean returnSequences;
  private final int features;
  private final int units;
  private final int steps;
  private final INDArray dKernel;
  private final INDArray dRecurrent;
  private final INDArray dBias;
  private final float[] biasHost;
  private final float[] dBiasHost;
  private final PerBatch<Buffers> buffers;
  private Buffers last;

  private record Buffers(int batch, INDArray xSeq, INDArray zx, INDArray h, INDArray hu, INDArray out, INDArray hPrev, INDArray dz,
      INDArray dzStep, INDArray dhRecurrent, INDArray dxSeq, INDArray dIn, float[] xBatchMajor, float[] xTimeMajor, float[] zxHost,
      float[] huHost, float[] hStep, float[] hidden, float[] outHost, float[] dOutHost, float[] dzHost, float[] dzStepHost,
      float[] dhHost, float[] hPrevHost, float[] dxHost) {}

  SimpleRNNStep(Weight kernel, Weight recurrent, Weight bias, Act activation, boolean returnSequences, long steps) {
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.bias = bias;
    this.activation = activation;
    this.returnSequences = returnSequences;
    this.features = (int) kernel.shape()[0];
    this.units = (int) recurrent.shape()[0];
    this.steps = (int) steps;
    this.dKernel = Nd4j.create(DataType.FLOAT, features, units);
    this.dRecurrent = Nd4j.create(DataType.FLOAT, units, units);
    this.dBias = bias == null ? null : Nd4j.create(DataType.FLOAT, units);
    this.biasHost = new float[units];
    this.dBiasHost = new float[units];
    this.buffers = new PerBatch<>(this::buffersFor);
  }

  private Buffers buffersFor(long bl) {
    int b = (int) bl;
    int n = b * steps;
    int u = units;
    INDArray out = returnSequences ? Nd4j.create(DataType.FLOAT, b, steps, u) : Nd4j.create(DataType.FLOAT, b, u);
    return new Buffers(b, Nd4j.create(DataType.FLOAT, n, features), Nd4j.create(DataType.FLOAT, n, u), Nd4j.create(DataType.FLOAT, b, u),
        Nd4j.create(DataType.FLOAT, b, u), out, Nd4j.create(DataType.FLOAT, n, u), Nd4j.create(DataType.FLOAT, n, u),
        Nd4j.create(DataType.FLOAT, b, u), Nd4j.create(DataType.FLOAT, b, u), Nd4j.create(DataType.FLOAT, n, features),
        Nd4j.create(DataType.FLOAT, b, steps, features), new float[n * features], new float[n * features], new float[n * u],
        new float[b * u], new float[b * u], new float[n * u], new float[(int) out.length()], new float[(int) out.length()],
        new float[n * u], new float[b * u], new float[b * u], new float[n * u], new float[n * features]);
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
    Host.read(in, b.xBatchMajor());
    RnnMath.transpose(b.xBatchMajor(), b.xTimeMajor(), batch, steps, features);
    Host.write(b.xSeq(), b.xTimeMajor());
    Nd4j.gemm(b.xSeq(), kernel.value(), b.zx(), false, false, 1.0, 0.0);
    Host.read(b.zx(), b.zxHost());
    // Re-read every forward: the optimiser changes the bias in native memory.
    if (bias != null) Host.read(bias.value(), biasHost);
    float[] zx = b.zxHost();
    float[] hu = b.huHost();
    float[] hidden = b.hidden();
    for (int t = 0; t < steps; t++) {
      if (t > 0) {
        Nd4j.gemm(b.h(), recurrent.value(), b.hu(), false, false, 1.0, 0.0);
        Host.read(b.hu(), hu);
      }
      for (int r = 0; r < batch; r++) {
        int s = (t * batch + r) * u;
        for (int j = 0; j < u; j++) {
          float z = zx[s + j] + biasHost[j] + (t > 0 ? hu[r * u + j] : 0f);
          hidden[s + j] = RnnMath.apply(activation, z);
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
    float[] dOutHost = b.dOutHost();
    Host.read(dOut, dOutHost);
    float[] hidden = b.hidden();
    float[] dz = b.dzHost();
    float[] dh = b.dhHost();
    for (int t = steps - 1; t >= 0; t--) {
      // dh of this step: the output's gradient plus the recurrent term dz(t+1)·Uᵀ.
      if (t < steps - 1) {
        Nd4j.gemm(b.dzStep(), recurrent.value(), b.dhRecurrent(), false, true, 1.0, 0.0);
        Host.read(b.dhRecurrent(), dh);
      } else {
        java.util.Arrays.fill(dh, 0f);
      }
      boolean hasOut = returnSequences || t == steps - 1;
      for (int r = 0; r < batch; r++) {
        int s = (t * batch + r) * u;
        int outBase = returnSequences ? (r * steps + t) * u : r * u;
        for (int j = 0; j < u; j++) {
          float dhv = dh[r * u + j] + (hasOut ? dOutHost[outBase + j] : 0f);
          dz[s + j] = dhv * RnnMath.derivative(activation, hidden[s + j]);
        }
      }
      if (t > 0) {
        System.arraycopy(dz, t * batch * u, b.dzStepHost(), 0, batch * u);
        Host.write(b.dzStep(), b.dzStepHost());
      }
    }
    Host.write(b.dz(), dz);
    if (weightGrads) {
      Nd4j.gemm(b.xSeq(), b.dz(), dKernel, true, false, 1.0, 0.0);
      float[] hPrev = b.hPrevHost();
      java.util.Arrays.fill(hPrev, 0, batch * u, 0f);
      System.arraycopy(hidden, 0, hPrev, batch * u, (steps - 1) * batch * u);
      Host.write(b.hPrev(), hPrev);
      Nd4j.gemm(b.hPrev(), b.dz(), dRecurrent, true, false, 1.0, 0.0);
      if (dBias != null) {
        java.util.Arrays.fill(dBiasHost, 0f);
        for (int p = 0; p < steps * batch; p++) for (int k = 0; k < u; k++) dBiasHost[k] += dz[p * u + k];
        Host.write(dBias, dBiasHost);
      }
    }
    if (!inputGrad) return null;
    Nd4j.gemm(b.dz(), kernel.value(), b.dxSeq(), false, true, 1.0, 0.0);
    Host.read(b.dxSeq(), b.xTimeMajor());
    RnnMath.transpose(b.xTimeMajor(), b.dxHost(), steps, batch, features);
    Host.write(b.dIn(), b.dxHost());
    return b.dIn();
  }
}
