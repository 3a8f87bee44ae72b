package dln.runtime.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The shortest decimal that reads back as the same float32 or float64 (what numpy and Python
 * print). Java 17's {@code Float.toString}/{@code Double.toString} are not always shortest
 * ({@code 123456789f} gives {@code 1.23456792E8} where numpy prints {@code 123456790.0}; JDK-4511638,
 * fixed only in Java 19), so the digits are searched here: for 1, 2, … significant digits, the
 * nearest decimal and its two neighbours (floor and ceiling, needed where the rounding interval is
 * lopsided at a power of two) are tried, and the first that parses back to the same value wins.
 */
public final class ShortestDigits {
  private ShortestDigits() {}

  /** The shortest decimal that parses back to {@code f}; finite values only. */
  public static BigDecimal of(float f) {
    if (!Float.isFinite(f)) throw new IllegalArgumentException("not finite: " + f);
    if (f == 0) return BigDecimal.ZERO;
    BigDecimal exact = new BigDecimal(f);
    for (int p = 1; p < 9; p++) {
      BigDecimal best = null;
      for (RoundingMode m : MODES) {
        BigDecimal c = exact.round(new MathContext(p, m));
        if (Float.parseFloat(c.toString()) == f && closer(c, best, exact)) best = c;
      }
      if (best != null) return best.stripTrailingZeros();
    }
    return exact.round(new MathContext(9, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  /** The shortest decimal that parses back to {@code d}; finite values only. */
  public static BigDecimal of(double d) {
    if (!Double.isFinite(d)) throw new IllegalArgumentException("not finite: " + d);
    if (d == 0) return BigDecimal.ZERO;
    BigDecimal exact = new BigDecimal(d);
    for (int p = 1; p < 17; p++) {
      BigDecimal best = null;
      for (RoundingMode m : MODES) {
        BigDecimal c = exact.round(new MathContext(p, m));
        if (Double.parseDouble(c.toString()) == d && closer(c, best, exact)) best = c;
      }
      if (best != null) return best.stripTrailingZeros();
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
  }

  private static final RoundingMode[] MODES = {RoundingMode.HALF_EVEN, RoundingMode.FLOOR, RoundingMode.CEILING};

  private static boolean closer(BigDecimal c, BigDecimal best, BigDecimal exact) {
    return best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0;
  }
}
