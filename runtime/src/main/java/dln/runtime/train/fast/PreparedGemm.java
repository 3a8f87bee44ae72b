package dln.runtime.train.fast;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * One GEMM {@code c = op(a)·op(b) + beta·c} on fixed arrays, set up once and run many times: libnd4j's
 * {@code matmul} op with its arguments bound in an {@link OpContext}. {@code Nd4j.gemm} builds a new
 * op, computes its output shape and fills a fresh context on every call, ≈ 30–50 µs of dispatch on
 * this machine even for a 4×4 product, while the prepared call costs ≈ 31 µs in all for a recurrent
 * layer's (64×64)·(64×256) step against ≈ 55–115 µs through {@code Nd4j.gemm} (measured side by
 * side, 2026-12-07). A recurrent layer runs two such GEMMs per time step, so they dominated its step.
 *
 * <p>Products of at most {@link #ONE_THREAD_MACS} multiply-adds run on the calling thread alone
 * (OpenMP's thread count is per thread: it is set to 1 around the call and put back): waking the
 * second OpenMP thread costs more than it saves there — (64×64)·(64×256) ≈ 16 µs on one thread
 * against ≈ 32 µs on two, 1,280×8·(8×256) ≈ 40 against ≈ 58, 256×64·(64×256) ≈ 50 against ≈ 66;
 * larger products (the weight gradients over a whole sequence) keep every thread.
 *
 * <p>The op runs straight through libnd4j's {@code execCustomOp2} on the bound context: the
 * executioner's Java wrapper around it (profiler and workspace hooks, which iterate the context's
 * arrays) was the largest method the JIT compiled while an LSTM's first epoch ran (≈ 0.6 s of C2 time
 * on the loaded 2-core machine, 2026-12-08), and adds its own dispatch to each of the 38 GEMMs of a step.
 *
 * <p>The arrays must stay the same objects (the engine's own buffers and a {@code Weight}'s value,
 * which {@code Weight.set} copies into); their contents may change freely between runs.
 */
final class PreparedGemm {
  /** Products up to this many multiply-adds run single-threaded. */
  static final long ONE_THREAD_MACS = 1L << 22;
  /** libnd4j's id of the matmul op. */
  private static final long MATMUL = DynamicCustomOp.builder("matmul").build().opHash();
  private final OpContext context;
  /** The context's native handle, taken once. */
  private final Pointer handle;
  /** libnd4j's native entry points (taken here: the arrays exist, so ND4J is loaded). */
  private final NativeOps ops;
  /** Whether the product runs on the calling thread alone. */
  private final boolean oneThread;

  /** {@code c = op(a)·op(b) + beta·c}, op a transpose where asked (no transposed copy is made). */
  PreparedGemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double beta) {
    this(a, b, c, transposeA, transposeB, beta, false);
  }

  /**
   * As above; {@code oneThreadAlways} keeps the product on the calling thread whatever its size:
   * for callers that already run one such product per core side by side (a recurrent layer's row
   * blocks), where OpenMP threads on top would only contend for the same cores.
   */
  PreparedGemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double beta,
      boolean oneThreadAlways) {
    context = Nd4j.getExecutioner().buildContext();
    context.setInputArrays(a, b);
    context.setOutputArrays(c);
    context.setTArguments(1.0, beta);
    // matmul's integer arguments: transpose x, transpose y, transpose the result.
    context.setIArguments(transposeA ? 1 : 0, transposeB ? 1 : 0, 0);
    long m = a.size(transposeA ? 1 : 0);
    long k = a.size(transposeA ? 0 : 1);
    long n = b.size(transposeB ? 0 : 1);
    oneThread = oneThreadAlways || m * k * n <= ONE_THREAD_MACS;
    ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    handle = context.contextPointer();
  }

  /** Computes the product into the output array. */
  void run() {
    if (!oneThread) {
      exec();
      return;
    }
    int threads = ops.ompGetMaxThreads();
    if (threads > 1) ops.setOmpNumThreads(1);
    try {
      exec();
    } finally {
      if (threads > 1) ops.setOmpNumThreads(threads);
    }
  }

  private void exec() {
    int status = ops.execCustomOp2(null, MATMUL, handle);
    if (status != 0) throw new IllegalStateException("matmul failed (libnd4j status " + status + "): " + ops.lastErrorMessage());
  }
}
