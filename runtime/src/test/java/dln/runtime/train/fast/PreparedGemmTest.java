package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** The recurrent steps' prepared GEMMs: the products of {@code Nd4j.gemm}, rerun on changed contents, threads put back. */
class PreparedGemmTest {
  @Test
  void everyTransposeGivesNd4jsProductAndFollowsNewContents() {
    Nd4j.getRandom().setSeed(7);
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        // 5×3 · 3×4 in each layout; a large one too, which keeps every thread.
        for (int scale : new int[] {1, 40}) {
          int m = 5 * scale;
          int k = 3 * scale;
          int n = 4 * scale;
          INDArray a = ta ? Nd4j.rand(DataType.FLOAT, k, m) : Nd4j.rand(DataType.FLOAT, m, k);
          INDArray b = tb ? Nd4j.rand(DataType.FLOAT, n, k) : Nd4j.rand(DataType.FLOAT, k, n);
          INDArray c = Nd4j.create(DataType.FLOAT, m, n);
          PreparedGemm gemm = new PreparedGemm(a, b, c, ta, tb, 0);
          gemm.run();
          INDArray expected = Nd4j.gemm(a, b, ta, tb);
          assertTrue(expected.equalsWithEps(c, 1e-4 * k), "transposes " + ta + "/" + tb + " at " + m + "×" + k + "×" + n);
          // The engine overwrites its buffers in place between runs: the next run reads the new values.
          a.muli(2);
          gemm.run();
          assertTrue(expected.mul(2).equalsWithEps(c, 2e-4 * k), "rerun after the input changed");
        }
      }
    }
  }

  @Test
  void betaAddsToTheOutput() {
    INDArray a = Nd4j.createFromArray(new float[][] {{1, 2}, {3, 4}});
    INDArray b = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}});
    INDArray c = Nd4j.createFromArray(new float[][] {{10, 10}, {10, 10}});
    new PreparedGemm(a, b, c, false, false, 1).run();
    assertEquals(Nd4j.createFromArray(new float[][] {{11, 12}, {13, 14}}), c);
  }

  @Test
  void aSmallProductLeavesTheThreadsOpenMpThreadCountAsItWas() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 8, 8);
    var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
    int before = ops.ompGetMaxThreads();
    new PreparedGemm(a, a, Nd4j.create(DataType.FLOAT, 8, 8), false, false, 0).run();
    assertEquals(before, ops.ompGetMaxThreads());
  }
}
