package dln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Dropout masks: the right values, the right proportion, and reproducible from a seed. */
class RngTest {
  @Test
  void dropoutMasksKeepTheRightShareScaledByOneOverKeep() {
    for (double keep : new double[] {0.8, 0.5, 0.1, 1.0}) {
      Rng.seed(11);
      float[] mask = new float[200_001]; // odd: the last value has a draw of its own
      Rng.fillDropoutMask(mask, keep);
      float scale = (float) (1 / keep);
      long kept = 0;
      for (float v : mask) {
        assertTrue(v == 0f || v == scale, "values are 0 or 1/keep: " + v);
        if (v != 0f) kept++;
      }
      double share = kept / (double) mask.length;
      // 200,001 Bernoulli draws: the standard error is at most 0.0012.
      assertEquals(keep, share, 0.006, "kept share for keep " + keep);
    }
  }

  @Test
  void dropoutMasksAreReproducibleFromTheSeedAndAgreeAcrossBothEntryPoints() {
    Rng.seed(5);
    float[] a = new float[1001];
    Rng.fillDropoutMask(a, 0.75);
    Rng.seed(5);
    float[] b = Rng.dropoutMask(new long[] {7, 11, 13}, 0.75).data().asFloat();
    assertArrayEquals(a, b);
  }
}
