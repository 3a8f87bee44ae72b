package dln.runtime.train.fast;

import dln.runtime.Rng;
import dln.runtime.nn.Weight;
import dln.runtime.nn.layers.MultiHeadAttention;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MultiHeadAttention: the four projections as GEMMs over all (batch · steps) rows at once, the
 * per-head attention core ({@code softmax(q·kᵀ/√d + mask) · v}, dropout on the weights) in host
 * loops, which for the short sequences of a transformer block cost less than dispatching one ND4J
 * op per head; the backward pass is written out: softmax's {@code p·(dp − Σ p·dp)}, then the
 * transposed GEMMs of each projection. Inputs are [query, value, key] and the optional mask, as in
 * the layer's node.
 */
final class MultiHeadAttentionStep extends MergeStep {
  private static final String[] ROLES = {"query", "value", "key"};

  private final MultiHeadAttention layer;
  private final int heads;
  private final int keyDim;
  private final int valueDim;
  private final int tq;
  private final int tv;
  private final int outFeatures;
  private final long[] features;
  private final float scale;
  private final double dropout;
  private final boolean hasMask;
  /** True when the query, value or key carries a mask of padded steps (Keras's automatic attention mask). */
  private final boolean autoMasked;
  /** The next forward's input masks (see {@link #inputMasks}). */
  private float[][] nextMasks;
  /** Per role (query, value, key): kernel and bias; then the output kernel and bias. */
  private final Weight[] kernels = new Weight[4];
  private final Weight[] biases = new Weight[4];
  private final INDArray[] dKernels = new INDArray[4];
  private final INDArray[] dBiases = new INDArray[4];
  private final LayerStep.PerBatch<Buffers> buffers;
  private Buffers last;
  private INDArray[] lastIns;
  private boolean dropped;

  /**
   * Native projections (query, value, key, then the context) and their gradients, the host
   * copies of the projections and of the attention weights before (p) and after dropout (pd),
   * the dropout mask, the output and the input gradients; dHost: the host gradients of the
   * projections (query, value, key, context) and of the mask.
   */
  private record Buffers(INDArray[] proj, INDArray[] dProj, float[][] host, float[][] dHost, float[] p, float[] pd,
      float[] drop, float[] mask, float[] auto, INDArray out, INDArray[] dIn) {}

  MultiHeadAttentionStep(MultiHeadAttention layer, List<long[]> inShapes, long[] out, boolean autoMasked) {
    this.autoMasked = autoMasked;
    MultiHeadAttention.Config c = layer.config();
    this.layer = layer;
    this.heads = c.numHeads();
    this.keyDim = c.keyDim();
    this.valueDim = c.headValueDim();
    this.tq = (int) inShapes.get(0)[1];
    this.tv = (int) inShapes.get(1)[1];
    this.outFeatures = (int) out[2];
    this.features = new long[] {inShapes.get(0)[2], inShapes.get(1)[2], inShapes.get(2)[2]};
    this.scale = (float) (1.0 / Math.sqrt(keyDim));
    this.dropout = c.dropout();
    this.hasMask = inShapes.size() > 3;
    for (int r = 0; r < 3; r++) {
      kernels[r] = layer.kernel(ROLES[r]);
      biases[r] = layer.bias(ROLES[r]);
    }
    kernels[3] = layer.weight("attention_output_kernel");
    biases[3] = layer.weight("attention_output_bias");
    for (int r = 0; r < 4; r++) {
      dKernels[r] = Nd4j.create(DataType.FLOAT, kernels[r].shape());
      dBiases[r] = biases[r] == null ? null : Nd4j.create(DataType.FLOAT, biases[r].shape());
    }
    this.buffers = new LayerStep.PerBatch<>(this::buffers);
  }

  private int dim(int role) {
    return role == 1 ? valueDim : keyDim;
  }

  private int steps(int role) {
    return role == 0 ? tq : tv;
  }

  private Buffers buffers(long b) {
    INDArray[] proj = new INDArray[4];
    INDArray[] dProj = new INDArray[4];
    float[][] host = new float[4][];
    INDArray[] dIn = new INDArray[4];
    for (int r = 0; r < 4; r++) {
      long rows = b * (r == 3 ? tq : steps(r));
      long width = (long) heads * (r == 3 ? valueDim : dim(r));
      proj[r] = Nd4j.create(DataType.FLOAT, rows, width);
      dProj[r] = Nd4j.create(DataType.FLOAT, rows, width);
      host[r] = new float[(int) (rows * width)];
      if (r < 3) dIn[r] = Nd4j.create(DataType.FLOAT, b, steps(r), features[r]);
    }
    dIn[3] = hasMask ? Nd4j.create(DataType.FLOAT, b, tq, tv) : null;
    int weights = (int) (b * heads * tq * tv);
    float[][] dHost = {new float[host[0].length], new float[host[1].length], new float[host[2].length], new float[host[3].length],
        hasMask ? new float[(int) (b * tq * tv)] : null};
    return new Buffers(proj, dProj, host, dHost, new float[weights], new float[weights], new float[weights],
        hasMask || autoMasked ? new float[(int) (b * tq * tv)] : null, autoMasked ? new float[(int) (b * tq * tv)] : null,
        Nd4j.create(DataType.FLOAT, b * tq, outFeatures), dIn);
  }

  @Override
  List<Weight> weights() {
    List<Weight> w = new ArrayList<>();
    // Keras's order: query, key, value, output.
    for (int r : new int[] {0, 2, 1, 3}) {
      w.add(kernels[r]);
      if (biases[r] != null) w.add(biases[r]);
    }
    return w;
  }

  @Override
  List<INDArray> gradients() {
    List<INDArray> g = new ArrayList<>();
    for (int r : new int[] {0, 2, 1, 3}) {
      g.add(dKernels[r]);
      if (biases[r] != null) g.add(dBiases[r]);
    }
    return g;
  }

  /** A (batch, steps, features) array as a plain (batch · steps, features) matrix. */
  private static INDArray rows(INDArray a) {
    return Host.reshaped(a, a.size(0) * a.size(1), a.size(2));
  }

  /** A projection kernel (in, heads, dim) as (in, heads · dim); the output kernel (heads, v, out) as (heads · v, out). */
  private static INDArray matrix(INDArray w, int role) {
    return role == 3 ? w.reshape('c', new long[] {w.size(0) * w.size(1), w.size(2)})
        : w.reshape('c', new long[] {w.size(0), w.size(1) * w.size(2)});
  }

  private static INDArray flat(INDArray w) {
    return w.reshape('c', new long[] {w.length()});
  }

  @Override
  INDArray forward(List<INDArray> ins, boolean training) {
    long batch = ins.get(0).size(0);
    Buffers b = buffers.get(batch);
    lastIns = new INDArray[3];
    for (int r = 0; r < 3; r++) {
      lastIns[r] = rows(ins.get(r));
      Nd4j.gemm(lastIns[r], matrix(kernels[r].value(), r), b.proj()[r], false, false, 1.0, 0.0);
      if (biases[r] != null) b.proj()[r].addiRowVector(flat(biases[r].value()));
      Host.read(b.proj()[r], b.host()[r]);
    }
    if (hasMask) Host.read(ins.get(3), b.mask());
    if (autoMasked) applyInputMasks(b, (int) batch);
    dropped = training && dropout > 0 && layer.isTrainable();
    if (dropped) Rng.fillDropoutMask(b.drop(), 1 - dropout);
    attend(b, (int) batch);
    Host.write(b.proj()[3], b.host()[3]);
    Nd4j.gemm(b.proj()[3], matrix(kernels[3].value(), 3), b.out(), false, false, 1.0, 0.0);
    if (biases[3] != null) b.out().addiRowVector(biases[3].value());
    last = b;
    return b.out().reshape('c', new long[] {batch, tq, outFeatures});
  }

  @Override
  boolean readsInputMasks() {
    return true;
  }

  @Override
  void inputMasks(float[][] masks) {
    nextMasks = masks;
  }

  /**
   * The automatic attention mask (query step i sees value step j where the query, value and key
   * masks all keep them), into {@code b.auto()}, and the mask the scores use: it, times the given
   * attention_mask if any (MultiHeadAttention.call's rule).
   */
  private void applyInputMasks(Buffers b, int batch) {
    float[] q = nextMasks[0];
    float[] v = nextMasks[1];
    float[] k = nextMasks[2];
    for (int n = 0; n < batch; n++) {
      for (int i = 0; i < tq; i++) {
        for (int j = 0; j < tv; j++) {
          float m = (q == null ? 1f : q[n * tq + i]) * (v == null ? 1f : v[n * tv + j]) * (k == null ? 1f : k[n * tv + j]);
          int at = (n * tq + i) * tv + j;
          b.auto()[at] = m;
          b.mask()[at] = hasMask ? b.mask()[at] * m : m;
        }
      }
    }
  }

  /** Scores, masked softmax, dropout and the weighted sum of the values, head by head (host). */
  private void attend(Buffers b, int batch) {
    float[] q = b.host()[0];
    float[] v = b.host()[1];
    float[] k = b.host()[2];
    float[] ctx = b.host()[3];
    int qw = heads * keyDim;
    int vw = heads * valueDim;
    java.util.Arrays.fill(ctx, 0f);
    for (int n = 0; n < batch; n++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < tq; i++) {
          int row = ((n * heads + h) * tq + i) * tv;
          int qo = (n * tq + i) * qw + h * keyDim;
          float max = Float.NEGATIVE_INFINITY;
          for (int j = 0; j < tv; j++) {
            int ko = (n * tv + j) * qw + h * keyDim;
            float s = 0;
            for (int c = 0; c < keyDim; c++) s += q[qo + c] * k[ko + c];
            s *= scale;
            if (b.mask() != null) s += (float) ((1 - b.mask()[(n * tq + i) * tv + j]) * MultiHeadAttention.MASKED_SCORE);
            b.p()[row + j] = s;
            max = Math.max(max, s);
          }
          double sum = 0;
          for (int j = 0; j < tv; j++) sum += Math.exp(b.p()[row + j] - max);
          int co = (n * tq + i) * vw + h * valueDim;
          for (int j = 0; j < tv; j++) {
            float p = (float) (Math.exp(b.p()[row + j] - max) / sum);
            b.p()[row + j] = p;
            float pd = dropped ? p * b.drop()[row + j] : p;
            b.pd()[row + j] = pd;
            int vo = (n * tv + j) * vw + h * valueDim;
            for (int c = 0; c < valueDim; c++) ctx[co + c] += pd * v[vo + c];
          }
        }
      }
    }
  }

  @Override
  INDArray[] backward(INDArray dOut, boolean[] need, boolean weightGrads) {
    Buffers b = last;
    long batch = dOut.size(0);
    INDArray d = rows(dOut);
    if (weightGrads) {
      Nd4j.gemm(b.proj()[3], d, matrix(dKernels[3], 3), true, false, 1.0, 0.0);
      if (dBiases[3] != null) dBiases[3].assign(d.sum(0));
    }
    INDArray dCtx = b.dProj()[3];
    Nd4j.gemm(d, matrix(kernels[3].value(), 3), dCtx, false, true, 1.0, 0.0);
    Host.read(dCtx, b.dHost()[3]);
    float[][] grads = attendBackward(b, (int) batch);
    INDArray[] out = new INDArray[need.length];
    for (int r = 0; r < 3; r++) {
      INDArray dp = b.dProj()[r];
      Host.write(dp, grads[r]);
      if (weightGrads) {
        Nd4j.gemm(lastIns[r], dp, matrix(dKernels[r], r), true, false, 1.0, 0.0);
        if (dBiases[r] != null) flat(dBiases[r]).assign(dp.sum(0));
      }
      if (need[r]) {
        INDArray dIn = b.dIn()[r];
        Nd4j.gemm(dp, matrix(kernels[r].value(), r), dIn.reshape('c', new long[] {batch * steps(r), features[r]}), false, true, 1.0, 0.0);
        out[r] = dIn;
      }
    }
    if (hasMask && need[3]) {
      // The scores saw attention_mask · auto: its gradient is the combined mask's times auto.
      if (autoMasked) for (int i = 0; i < grads[3].length; i++) grads[3][i] *= b.auto()[i];
      Host.write(b.dIn()[3], grads[3]);
      out[3] = b.dIn()[3];
    }
    return out;
  }

  /**
   * The gradients of the projections (query, value, key) and of the mask from the context's
   * gradient: through the weighted sum, dropout, softmax and the scaled scores.
   */
  private float[][] attendBackward(Buffers b, int batch) {
    float[] q = b.host()[0];
    float[] v = b.host()[1];
    float[] k = b.host()[2];
    float[] dq = b.dHost()[0];
    float[] dv = b.dHost()[1];
    float[] dk = b.dHost()[2];
    float[] dCtx = b.dHost()[3];
    float[] dMask = b.dHost()[4];
    java.util.Arrays.fill(dq, 0f);
    java.util.Arrays.fill(dv, 0f);
    java.util.Arrays.fill(dk, 0f);
    if (dMask != null) java.util.Arrays.fill(dMask, 0f);
    float[] dp = new float[tv];
    int qw = heads * keyDim;
    int vw = heads * valueDim;
    for (int n = 0; n < batch; n++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < tq; i++) {
          int row = ((n * heads + h) * tq + i) * tv;
          int co = (n * tq + i) * vw + h * valueDim;
          double dot = 0;
          for (int j = 0; j < tv; j++) {
            int vo = (n * tv + j) * vw + h * valueDim;
            float g = 0;
            float pd = b.pd()[row + j];
            for (int c = 0; c < valueDim; c++) {
              g += dCtx[co + c] * v[vo + c];
              dv[vo + c] += pd * dCtx[co + c];
            }
            if (dropped) g *= b.drop()[row + j];
            dp[j] = g;
            dot += g * b.p()[row + j];
          }
          int qo = (n * tq + i) * qw + h * keyDim;
          for (int j = 0; j < tv; j++) {
            float ds = (float) (b.p()[row + j] * (dp[j] - dot));
            if (dMask != null) dMask[(n * tq + i) * tv + j] -= (float) (ds * MultiHeadAttention.MASKED_SCORE);
            float s = ds * scale;
            int ko = (n * tv + j) * qw + h * keyDim;
            for (int c = 0; c < keyDim; c++) {
              dq[qo + c] += s * k[ko + c];
              dk[ko + c] += s * q[qo + c];
            }
          }
        }
      }
    }
    return new float[][] {dq, dv, dk, dMask};
  }
}
