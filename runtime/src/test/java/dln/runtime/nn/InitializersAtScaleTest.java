package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Rng;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.LSTM;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Initialisers fill the tensor in place (issue 15, deliverable 6) with the same draws as before, and
 * a weight that cannot fit in memory is refused when the layer is defined. The speed of a large
 * initialisation is measured in docs/performance.md, not timed here.
 */
class InitializersAtScaleTest {
  @BeforeEach
  void seed() {
    LayerNames.reset();
  }

  @Test
  void chunkedFillDrawsTheSameSequenceAsOneDrawPerValue() {
    // More values than one fill chunk (65,536), and a length that is not a multiple of it.
    long[] shape = {3, 70_001};
    Rng.seed(42);
    INDArray u = Rng.uniform(shape, -0.5, 0.5);
    Rng.seed(42);
    INDArray t = Rng.truncatedNormal(shape, 0, 2);
    SplittableRandom r = new SplittableRandom(42);
    float[] got = u.reshape(-1).toFloatVector();
    for (int i = 0; i < got.length; i++) {
      assertEquals((float) (-0.5 + r.nextDouble()), got[i], 0f, "uniform value " + i);
    }
    r = new SplittableRandom(42);
    float[] gotT = t.reshape(-1).toFloatVector();
    for (int i = 0; i < gotT.length; i++) {
      double g;
      do {
        g = r.nextGaussian();
      } while (Math.abs(g) > 2);
      assertEquals((float) (2 * g), gotT[i], 0f, "truncated normal value " + i);
    }
    assertArrayEquals(shape, u.shape());
    assertEquals('c', u.ordering());
  }

  @Test
  void emptyAndScalarShapes() {
    assertEquals(0, Rng.normal(new long[] {0, 4}, 0, 1).length());
    assertArrayEquals(new long[] {0, 4}, Rng.normal(new long[] {0, 4}, 0, 1).shape());
    INDArray scalar = Rng.uniform(new long[0], 1, 2);
    assertEquals(0, scalar.rank());
    float v = scalar.getFloat(0);
    assertTrue(v >= 1 && v < 2, "scalar in [1, 2): " + v);
  }

  @Test
  void aKernelTooLargeForMemoryIsRefusedWithItsSize() {
    SymbolicTensor in = Input.of(100_000_000L);
    Dense dense = new Dense(1000);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> dense.apply(in));
    assertEquals("memory error", e.kind());
    assertTrue(e.getMessage().contains("layer 'dense' (Dense)'s kernel needs 372.5 GiB"), e.getMessage());
    assertTrue(e.getMessage().contains("100,000,000 × 1,000"), e.getMessage());
    assertTrue(e.getMessage().contains("of native memory left"), e.getMessage());
    assertTrue(e.hint().contains("org.bytedeco.javacpp.maxbytes"), e.hint());
    assertFalse(dense.isBuilt());
    assertTrue(dense.weightList().isEmpty());
  }

  @Test
  void nothingHalfBuiltWhenALaterWeightIsRefused() {
    // LSTM's kernel (8 × 4·units) fits; its recurrent kernel (units × 4·units) cannot.
    LSTM lstm = new LSTM(400_000, false);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> lstm.apply(Input.of(5, 8)));
    assertEquals("memory error", e.kind());
    assertTrue(e.getMessage().contains("recurrent_kernel"), e.getMessage());
    assertTrue(lstm.weightList().isEmpty());
    assertFalse(lstm.isBuilt());
  }

  @Test
  void overflowingShapesAreRefusedToo() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> new Dense(Integer.MAX_VALUE).apply(Input.of(Long.MAX_VALUE / 4)));
    assertEquals("memory error", e.kind());
  }
}
