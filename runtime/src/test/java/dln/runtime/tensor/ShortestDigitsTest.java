package dln.runtime.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Shortest round-trip digits for float32 and float64, the numbers numpy and Python print. */
class ShortestDigitsTest {
  @Test
  void float32ValuesPrintAsNumpyPrintsThem() {
    // Reference: numpy 1.24, print(np.float32(v)).
    assertEquals("0.1", ShortestDigits.of(0.1f).toPlainString());
    assertEquals("0.33333334", ShortestDigits.of(1f / 3).toPlainString());
    assertEquals("0.08164966", ShortestDigits.of(0.08164966f).toPlainString());
    // Java 17's Float.toString gives 1.23456792E8 here; the shortest is 1.2345679E8.
    assertEquals(0, new BigDecimal("123456790").compareTo(ShortestDigits.of(123456789f)));
  }

  @Test
  void float64ValuesPrintAsPythonPrintsThem() {
    // Java 17's Double.toString(1e23) is 9.999999999999999E22; Python's repr is 1e+23.
    assertEquals(0, new BigDecimal("1E+23").compareTo(ShortestDigits.of(1e23)));
    assertEquals("0.3333333333333333", ShortestDigits.of(1.0 / 3).toPlainString());
  }

  @Test
  void digitsReadBackAsTheSameValueAndNoShorterOneDoes() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 5000; i++) {
      float f = Float.intBitsToFloat(r.nextInt());
      if (!Float.isFinite(f) || f == 0) continue;
      BigDecimal s = ShortestDigits.of(f);
      assertEquals(f, Float.parseFloat(s.toString()), "round trip of " + f);
      int p = s.precision();
      if (p > 1) {
        BigDecimal shorter = new BigDecimal(f).round(new java.math.MathContext(p - 1));
        assertTrue(Float.parseFloat(shorter.toString()) != f, "a shorter decimal reads back as " + f);
      }
    }
  }

  @Test
  void shortDoubleKeepsTheFloat32() {
    assertEquals(0.1, Tensors.shortDouble(0.1f));
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < 5000; i++) {
      float f = Float.intBitsToFloat(r.nextInt());
      if (Float.isNaN(f)) continue;
      assertEquals(f, (float) Tensors.shortDouble(f), "float32 -> short double -> float32 of " + f);
    }
  }
}
