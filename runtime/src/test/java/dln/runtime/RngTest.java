package dln.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Dropout masks: the right values, the right proportion, and reproducible from a seed. */
class RngTest {
  @Test
  void permutationsFollowTheGivenGeneratorsSequence() {
    // Pinned: seeded shuffles and train/test splits (java.util.Random) must not change between releases.
    assertArrayEquals(new int[] {4, 6, 2, 1, 7, 9, 8, 5, 3, 0}, Rng.permutation(10, new java.util.Random(42)));
    assertArrayEquals(new int[] {3, 4, 7, 0, 8, 5, 9, 2, 6, 1}, Rng.permutation(10, new java.util.SplittableRandom(42)));
    assertArrayEquals(new int[0], Rng.permutation(0, new java.util.Random(1)));
  }

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

  @Test
  void neighbouringValuesAndConsecutiveMasksAreIndependent() {
    // Masks are hashes of (position, seed): check that neither neighbours within a mask nor the
    // same position in successive masks are correlated (both would show as a kept-pair share
    // away from keep²).
    Rng.seed(21);
    double keep = 0.6;
    int n = 100_000;
    float[] a = new float[n];
    float[] b = new float[n];
    Rng.fillDropoutMask(a, keep);
    Rng.fillDropoutMask(b, keep);
    long neighbours = 0;
    long across = 0;
    long same = 0;
    for (int i = 0; i + 1 < n; i++) {
      if (a[i] != 0 && a[i + 1] != 0) neighbours++;
      if (a[i] != 0 && b[i] != 0) across++;
      if (a[i] == b[i]) same++;
    }
    assertEquals(keep * keep, neighbours / (double) n, 0.01, "kept neighbours");
    assertEquals(keep * keep, across / (double) n, 0.01, "kept in both masks");
    assertTrue(same < n * 0.6, "successive masks differ: " + same + " equal values of " + n);
  }
}
