package dln.runtime.train.fast;

import dln.runtime.nn.Weight;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * LSTM over (batch, steps, features) with Keras's layout (gates i, f, c, o in the columns of
 * kernel, recurrent_kernel and bias). The input projection of all steps is one GEMM,
 * {@code x·W} over (steps·batch, features); each step adds one GEMM {@code h·U} and runs the gate
 * math in a Java loop. Backpropagation through time is one GEMM per step ({@code dz·Uᵀ}) plus the
 * gate derivatives in Java, and the weight gradients are three whole-sequence reductions
 * afterwards: {@code dW = xᵀ·dz}, {@code dU = h₋₁ᵀ·dz}, {@code db = Σ dz}. Sequences are kept
 * time-major inside the step so that each step's rows are contiguous.
 */
final class LSTMStep extends LayerStep {
  private final Weight kernel;
  private final Weight recurrent;
  private final Weight bias;
  private final Act activation;
  private final Act recurrentActivation;
  private final boolean returnSequences;
  /** Default activations: the gates' sigmoid runs natively ({@link #gatesNatively}). */
  private final boolean nativeGates;
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

  /**
   * Native arrays (time-major sequences: row {@code t·batch + b}) and their host copies: the input,
   * the input projection, each step's state and recurrent product, the gate activations, cell
   * states and act(cell) kept for the backward pass, and the backward buffers.
   */
  private record Buffers(int batch, INDArray gateStep, float[] preStep, INDArray xSeq, INDArray zx, INDArray h, INDArray hu, INDArray out,
      INDArray hPrev, INDArray dz, INDArray dzStep, INDArray dhRecurrent, INDArray dxSeq, INDArray dIn,
      float[] xBatchMajor, float[] xTimeMajor, float[] zxHost, float[] huHost, float[] hStep, float[] gates,
      float[] cells, float[] actCells, float[] hidden, float[] outHost, float[] dOutHost, float[] dzHost,
      float[] dzStepHost, float[] dhHost, float[] dcHost, float[] hPrevHost, float[] dxHost) {}

  LSTMStep(Weight kernel, Weight recurrent, Weight bias, Act activation, Act recurrentActivation, boolean returnSequences,
      long steps) {
    this.kernel = kernel;
    this.recurrent = recurrent;
    this.bias = bias;
    this.activation = activation;
    this.recurrentActivation = recurrentActivation;
    this.returnSequences = returnSequences;
    this.nativeGates = activation == Act.TANH && recurrentActivation == Act.SIGMOID;
    this.features = (int) kernel.shape()[0];
    this.units = (int) recurrent.shape()[0];
    this.steps = (int) steps;
    this.dKernel = Nd4j.create(DataType.FLOAT, features, 4L * units);
    this.dRecurrent = Nd4j.create(DataType.FLOAT, units, 4L * units);
    this.dBias = bias == null ? null : Nd4j.create(DataType.FLOAT, 4L * units);
    this.biasHost = new float[4 * units];
    this.dBiasHost = new float[4 * units];
    this.buffers = new PerBatch<>(this::buffersFor);
  }

  private Buffers buffersFor(long b) {
    int n = (int) b * steps;
    int g = 4 * units;
    INDArray out = returnSequences ? Nd4j.create(DataType.FLOAT, b, steps, units) : Nd4j.create(DataType.FLOAT, b, units);
    return new Buffers((int) b, Nd4j.create(DataType.FLOAT, b, g), new float[(int) b * g], Nd4j.create(DataType.FLOAT, n, features), Nd4j.create(DataType.FLOAT, n, g),
        Nd4j.create(DataType.FLOAT, b, units), Nd4j.create(DataType.FLOAT, b, g), out, Nd4j.create(DataType.FLOAT, n, units),
        Nd4j.create(DataType.FLOAT, n, g), Nd4j.create(DataType.FLOAT, b, g), Nd4j.create(DataType.FLOAT, b, units),
        Nd4j.create(DataType.FLOAT, n, features), Nd4j.create(DataType.FLOAT, b, steps, features),
        new float[n * features], new float[n * features], new float[n * g], new float[(int) b * g],
        new float[(int) b * units], new float[n * g], new float[n * units], new float[n * units], new float[n * units],
        new float[(int) out.length()], new float[(int) out.length()], new float[n * g], new float[(int) b * g],
        new float[(int) b * units], new float[(int) b * units], new float[n * units], new float[n * features]);
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
    Host.read(in, b.xBatchMajor());
    transpose(b.xBatchMajor(), b.xTimeMajor(), batch, steps, features);
    Host.write(b.xSeq(), b.xTimeMajor());
    Nd4j.gemm(b.xSeq(), kernel.value(), b.zx(), false, false, 1.0, 0.0);
    Host.read(b.zx(), b.zxHost());
    // Re-read every step: the optimiser (or the user) changes the bias in native memory.
    if (bias != null) Host.read(bias.value(), biasHost);
    int u = units;
    int g4 = 4 * u;
    float[] zx = b.zxHost();
    float[] hu = b.huHost();
    float[] gates = b.gates();
    float[] cells = b.cells();
    float[] actCells = b.actCells();
    float[] hidden = b.hidden();
    for (int t = 0; t < steps; t++) {
      // The initial state is zero: the first step has no recurrent term.
      if (t > 0) {
        Nd4j.gemm(b.h(), recurrent.value(), b.hu(), false, false, 1.0, 0.0);
        Host.read(b.hu(), hu);
      }
      if (nativeGates) {
        gatesNatively(b, t, zx, hu);
        continue;
      }
      for (int r = 0; r < batch; r++) {
        int row = t * batch + r;
        int z = row * g4;
        int s = row * u;
        int prev = s - batch * u;
        for (int j = 0; j < u; j++) {
          float zi = zx[z + j] + biasHost[j];
          float zf = zx[z + u + j] + biasHost[u + j];
          float zg = zx[z + 2 * u + j] + biasHost[2 * u + j];
          float zo = zx[z + 3 * u + j] + biasHost[3 * u + j];
          if (t > 0) {
            int h = r * g4 + j;
            zi += hu[h];
            zf += hu[h + u];
            zg += hu[h + 2 * u];
            zo += hu[h + 3 * u];
          }
          float i = apply(recurrentActivation, zi);
          float f = apply(recurrentActivation, zf);
          float gc = apply(activation, zg);
          float o = apply(recurrentActivation, zo);
          float c = i * gc + (t > 0 ? f * cells[prev + j] : 0f);
          float ac = apply(activation, c);
          gates[z + j] = i;
          gates[z + u + j] = f;
          gates[z + 2 * u + j] = gc;
          gates[z + 3 * u + j] = o;
          cells[s + j] = c;
          actCells[s + j] = ac;
          hidden[s + j] = o * ac;
        }
      }
      nextState(b, t);
    }
    float[] out = b.outHost();
    if (returnSequences) {
      transpose(hidden, out, steps, batch, u);
    } else {
      System.arraycopy(hidden, (steps - 1) * batch * u, out, 0, batch * u);
    }
    Host.write(b.out(), out);
    last = b;
    return b.out();
  }

  /** Hands step t's hidden state to the next step's recurrent GEMM. */
  private void nextState(Buffers b, int t) {
    if (t + 1 < steps) {
      System.arraycopy(b.hidden(), t * b.batch() * units, b.hStep(), 0, b.batch() * units);
      Host.write(b.h(), b.hStep());
    }
  }

  /**
   * One step's gates for the default activations (tanh, sigmoid gates): the four gates' sigmoid runs
   * as one native op over (batch, 4·units), the c gate's tanh as 2·σ(2z) − 1; an exp per value in
   * Java costs several times the op's dispatch at these sizes.
   */
  private void gatesNatively(Buffers b, int t, float[] zx, float[] hu) {
    int batch = b.batch();
    int u = units;
    int g4 = 4 * u;
    float[] pre = b.preStep();
    int base = t * batch * g4;
    for (int r = 0; r < batch; r++) {
      for (int k = 0; k < g4; k++) {
        float v = zx[base + r * g4 + k] + biasHost[k] + (t > 0 ? hu[r * g4 + k] : 0f);
        pre[r * g4 + k] = k >= 2 * u && k < 3 * u ? 2f * v : v;
      }
    }
    Host.write(b.gateStep(), pre);
    Nd4j.exec(new org.nd4j.linalg.api.ops.impl.transforms.strict.Sigmoid(b.gateStep(), b.gateStep()));
    Host.read(b.gateStep(), pre);
    float[] gates = b.gates();
    float[] cells = b.cells();
    float[] actCells = b.actCells();
    float[] hidden = b.hidden();
    for (int r = 0; r < batch; r++) {
      int z = base + r * g4;
      int p = r * g4;
      int s = (t * batch + r) * u;
      int prev = s - batch * u;
      for (int j = 0; j < u; j++) {
        float i = pre[p + j];
        float f = pre[p + u + j];
        float gc = 2f * pre[p + 2 * u + j] - 1f;
        float o = pre[p + 3 * u + j];
        float c = i * gc + (t > 0 ? f * cells[prev + j] : 0f);
        float ac = apply(Act.TANH, c);
        gates[z + j] = i;
        gates[z + u + j] = f;
        gates[z + 2 * u + j] = gc;
        gates[z + 3 * u + j] = o;
        cells[s + j] = c;
        actCells[s + j] = ac;
        hidden[s + j] = o * ac;
      }
    }
    nextState(b, t);
  }

  @Override
  INDArray backward(INDArray dOut, boolean weightGrads, boolean inputGrad) {
    Buffers b = last;
    int batch = b.batch();
    int u = units;
    int g4 = 4 * u;
    float[] dOutHost = b.dOutHost();
    Host.read(dOut, dOutHost);
    float[] gates = b.gates();
    float[] cells = b.cells();
    float[] actCells = b.actCells();
    float[] dz = b.dzHost();
    float[] dh = b.dhHost();
    float[] dc = b.dcHost();
    java.util.Arrays.fill(dc, 0f);
    for (int t = steps - 1; t >= 0; t--) {
      // dh of this step: the output's gradient plus the recurrent term dz(t+1)·Uᵀ.
      if (t < steps - 1) {
        Nd4j.gemm(b.dzStep(), recurrent.value(), b.dhRecurrent(), false, true, 1.0, 0.0);
        Host.read(b.dhRecurrent(), dh);
      } else {
        java.util.Arrays.fill(dh, 0f);
      }
      for (int r = 0; r < batch; r++) {
        int row = t * batch + r;
        int z = row * g4;
        int s = row * u;
        int prev = s - batch * u;
        int outBase = returnSequences ? (r * steps + t) * u : r * u;
        boolean hasOut = returnSequences || t == steps - 1;
        for (int j = 0; j < u; j++) {
          float dhv = dh[r * u + j] + (hasOut ? dOutHost[outBase + j] : 0f);
          float i = gates[z + j];
          float f = gates[z + u + j];
          float gc = gates[z + 2 * u + j];
          float o = gates[z + 3 * u + j];
          float ac = actCells[s + j];
          float dcv = dhv * o * derivative(activation, ac) + dc[r * u + j];
          float cPrev = t > 0 ? cells[prev + j] : 0f;
          dz[z + j] = dcv * gc * derivative(recurrentActivation, i);
          dz[z + u + j] = dcv * cPrev * derivative(recurrentActivation, f);
          dz[z + 2 * u + j] = dcv * i * derivative(activation, gc);
          dz[z + 3 * u + j] = dhv * ac * derivative(recurrentActivation, o);
          dc[r * u + j] = dcv * f;
        }
      }
      if (t > 0) {
        System.arraycopy(dz, t * batch * g4, b.dzStepHost(), 0, batch * g4);
        Host.write(b.dzStep(), b.dzStepHost());
      }
    }
    Host.write(b.dz(), dz);
    if (weightGrads) {
      Nd4j.gemm(b.xSeq(), b.dz(), dKernel, true, false, 1.0, 0.0);
      // h(t-1) per row, zero for the first step.
      float[] hPrev = b.hPrevHost();
      java.util.Arrays.fill(hPrev, 0, batch * u, 0f);
      System.arraycopy(b.hidden(), 0, hPrev, batch * u, (steps - 1) * batch * u);
      Host.write(b.hPrev(), hPrev);
      Nd4j.gemm(b.hPrev(), b.dz(), dRecurrent, true, false, 1.0, 0.0);
      if (dBias != null) {
        java.util.Arrays.fill(dBiasHost, 0f);
        for (int p = 0; p < steps * batch; p++) {
          int z = p * g4;
          for (int k = 0; k < g4; k++) dBiasHost[k] += dz[z + k];
        }
        Host.write(dBias, dBiasHost);
      }
    }
    if (!inputGrad) return null;
    Nd4j.gemm(b.dz(), kernel.value(), b.dxSeq(), false, true, 1.0, 0.0);
    Host.read(b.dxSeq(), b.xTimeMajor());
    transpose(b.xTimeMajor(), b.dxHost(), steps, batch, features);
    Host.write(b.dIn(), b.dxHost());
    return b.dIn();
  }

  /** Swaps the first two axes of an (a, b, inner) row-major array into (b, a, inner). */
  private static void transpose(float[] from, float[] to, int a, int b, int inner) {
    for (int i = 0; i < a; i++) {
      for (int k = 0; k < b; k++) System.arraycopy(from, (i * b + k) * inner, to, (k * a + i) * inner, inner);
    }
  }

  private static float apply(Act act, float z) {
    return switch (act) {
      case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-z)));
      // 1 - 2 / (e^{2z} + 1): one exp (Math.tanh is not an intrinsic), exact at both saturations.
      case TANH -> (float) (1.0 - 2.0 / (Math.exp(2.0 * z) + 1.0));
      case RELU -> Math.max(z, 0f);
      case LINEAR -> z;
      case SOFTMAX -> throw new IllegalStateException("softmax is not a gate activation");
    };
  }

  /** The activation's derivative, written in terms of its output. */
  private static float derivative(Act act, float out) {
    return switch (act) {
      case SIGMOID -> out * (1f - out);
      case TANH -> 1f - out * out;
      case RELU -> out > 0f ? 1f : 0f;
      case LINEAR -> 1f;
      case SOFTMAX -> throw new IllegalStateException("softmax is not a gate activation");
    };
  }
}
