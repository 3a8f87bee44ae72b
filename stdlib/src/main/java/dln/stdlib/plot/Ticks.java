package dln.stdlib.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** "Nice" axis ticks (1, 2, 2.5, 5 times a power of ten) and their labels. */
final class Ticks {
  final double step;
  final List<Double> values;

  private Ticks(double step, List<Double> values) {
    this.step = step;
    this.values = values;
  }

  /** About {@code count} nice ticks inside [lo, hi] (both ends included when they fall on a tick). */
  static Ticks inside(double lo, double hi, int count, boolean integers) {
    double step = niceStep((hi - lo) / Math.max(1, count));
    // Epoch numbers and other whole-number axes never get a tick at 2.5.
    if (integers) step = Math.max(1, Math.rint(step) == step ? step : Math.ceil(step));
    return every(lo, hi, step);
  }

  /** The multiples of {@code step} inside [lo, hi]. */
  static Ticks every(double lo, double hi, double step) {
    List<Double> vs = new ArrayList<>();
    double first = Math.ceil(lo / step - 1e-9) * step;
    for (double v = first; v <= hi + step * 1e-9; v += step) vs.add(clean(v, step));
    return new Ticks(step, vs);
  }

  /** The nice step nearest above {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0) || Double.isInfinite(raw)) return 1;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / mag;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    return nice * mag;
  }

  /** Rounds away floating-point noise such as 0.30000000000000004. */
  private static double clean(double v, double step) {
    double scale = Math.pow(10, Math.max(0, decimals(step) + 2));
    double r = Math.round(v * scale) / scale;
    return r == 0 ? 0 : r;
  }

  /** How many decimals a tick step needs: 0.25 needs 2, 5 needs 0. */
  static int decimals(double step) {
    for (int d = 0; d < 10; d++) {
      double scaled = step * Math.pow(10, d);
      if (Math.abs(scaled - Math.rint(scaled)) < 1e-6 * Math.max(1, scaled)) return d;
    }
    return 10;
  }

  String label(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a >= 1e6 || a < 1e-4)) return String.format(Locale.ROOT, "%.1e", v);
    return String.format(Locale.ROOT, "%." + decimals(step) + "f", v);
  }
}
