package dln.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sustained float32 GEMM throughput with {@code Nd4j.gemm} (the fastest ND4J path) at the shapes
 * the workloads run, and at 2048³ as the machine's practical peak. Each shape is repeated until
 * {@code seconds} have passed; the best of three such windows is reported, so a neighbour's burst
 * does not set the ceiling.
 */
final class Roofline {
  /** name, m, k, n, transposeA, transposeB */
  private static final Object[][] SHAPES = {
    {"mlp fwd 128x784 @ 784x512", 128, 784, 512, false, false},
    {"mlp fwd 128x512 @ 512x512", 128, 512, 512, false, false},
    {"mlp fwd 128x512 @ 512x10", 128, 512, 10, false, false},
    {"mlp dW 784x128 @ 128x512 (A^T)", 784, 128, 512, true, false},
    {"mlp dX 128x512 @ 512x784 (B^T)", 128, 512, 784, false, true},
    {"infer 1000x784 @ 784x512", 1000, 784, 512, false, false},
    {"cnn conv2 im2col 73728x288 @ 288x64", 73728, 288, 64, false, false},
    {"cnn dense 128x9216 @ 9216x128", 128, 9216, 128, false, false},
    {"square 2048^3", 2048, 2048, 2048, false, false},
  };

  private Roofline() {}

  static void run(Report report, double seconds) {
    for (Object[] s : SHAPES) {
      String name = (String) s[0];
      int m = (int) s[1], k = (int) s[2], n = (int) s[3];
      boolean ta = (boolean) s[4], tb = (boolean) s[5];
      INDArray a = ta ? Nd4j.rand(DataType.FLOAT, k, m) : Nd4j.rand(DataType.FLOAT, m, k);
      INDArray b = tb ? Nd4j.rand(DataType.FLOAT, n, k) : Nd4j.rand(DataType.FLOAT, k, n);
      INDArray c = Nd4j.create(DataType.FLOAT, m, n);
      double flops = 2.0 * m * k * n;
      for (int i = 0; i < 3; i++) Nd4j.gemm(a, b, c, ta, tb, 1.0, 0.0);
      double best = 0;
      for (int window = 0; window < 3; window++) {
        long start = System.nanoTime();
        long reps = 0;
        do {
          Nd4j.gemm(a, b, c, ta, tb, 1.0, 0.0);
          reps++;
        } while (System.nanoTime() - start < seconds * 1e9);
        best = Math.max(best, reps * flops / ((System.nanoTime() - start) / 1e9) / 1e9);
      }
      report.line("gemm").put("shape", name).put("m", m).put("k", k).put("n", n).put("gflops", best).print();
    }
  }
}
