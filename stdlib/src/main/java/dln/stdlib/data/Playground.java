package dln.stdlib.data;

import dln.runtime.DlnRuntimeException;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The two-dimensional data sets of the TensorFlow Playground (playground.tensorflow.org), generated
 * with the formulas of its {@code src/dataset.ts}: four classification sets (circle, xor, gauss,
 * spiral) and two regression sets (plane, multi_gauss).
 *
 * <p>Every generator returns {@code x} [n, 2] (the point's coordinates, each roughly in -6..6) and
 * {@code y} [n, 1], shuffled as the Playground shuffles its points. {@code noise} is the
 * Playground's noise slider as a fraction: its "25" is {@code 0.25}; the slider goes up to 0.5.
 * A seed makes the data reproducible (the Playground uses a JavaScript generator, so the points are
 * not the Playground's own, but they follow the same distributions). Where the Playground gives
 * n + 1 points for an odd n, these give exactly n: the first class gets the extra point.
 */
public final class Playground {
  /** Default sizes, as the Playground uses them. */
  public static final int CLASSIFY_SAMPLES = 500;
  public static final int REGRESS_SAMPLES = 1200;
  private static final int MAX_SAMPLES = 10_000_000;

  /** How classification labels are written. */
  public enum Labels {
    /** +1 and -1, as the Playground (pairs with tanh outputs). */
    SIGN,
    /** 1 and 0 (pairs with sigmoid outputs and binary cross-entropy). */
    BINARY
  }

  private Playground() {}

  /** A disc of positive points (radius 0..2.5) inside a ring of negative points (radius 3.5..5). */
  public static XY circle(int n, double noise, long seed, Labels labels) {
    check("circle", n, noise);
    Gen g = new Gen(n, seed);
    double radius = 5;
    for (int cls = 0; cls < 2; cls++) {
      int count = cls == 0 ? firstHalf(n) : n - firstHalf(n);
      for (int i = 0; i < count; i++) {
        double r = cls == 0 ? g.uniform(0, radius * 0.5) : g.uniform(radius * 0.7, radius);
        double angle = g.uniform(0, 2 * Math.PI);
        double x = r * Math.sin(angle);
        double y = r * Math.cos(angle);
        double noiseX = g.uniform(-radius, radius) * noise;
        double noiseY = g.uniform(-radius, radius) * noise;
        // As in the Playground, the label comes from the noisy point: noise flips labels near the edge.
        double label = Math.hypot(x + noiseX, y + noiseY) < radius * 0.5 ? 1 : -1;
        g.add(x, y, label);
      }
    }
    return g.finish(labels);
  }

  /** Four quadrants: positive where x1 and x2 have the same sign, negative elsewhere. */
  public static XY xor(int n, double noise, long seed, Labels labels) {
    check("xor", n, noise);
    Gen g = new Gen(n, seed);
    double padding = 0.3;
    for (int i = 0; i < n; i++) {
      double x = g.uniform(-5, 5);
      x += x > 0 ? padding : -padding;
      double y = g.uniform(-5, 5);
      y += y > 0 ? padding : -padding;
      double noiseX = g.uniform(-5, 5) * noise;
      double noiseY = g.uniform(-5, 5) * noise;
      g.add(x, y, (x + noiseX) * (y + noiseY) >= 0 ? 1 : -1);
    }
    return g.finish(labels);
  }

  /** Two Gaussian blobs: positive around (2, 2), negative around (-2, -2); noise widens them. */
  public static XY gauss(int n, double noise, long seed, Labels labels) {
    check("gauss", n, noise);
    Gen g = new Gen(n, seed);
    double variance = linear(noise, 0, 0.5, 0.5, 4);
    for (int cls = 0; cls < 2; cls++) {
      int count = cls == 0 ? firstHalf(n) : n - firstHalf(n);
      double c = cls == 0 ? 2 : -2;
      for (int i = 0; i < count; i++) {
        double x = g.normal(c, variance);
        double y = g.normal(c, variance);
        g.add(x, y, cls == 0 ? 1 : -1);
      }
    }
    return g.finish(labels);
  }

  /** Two interleaved spirals of 1.75 turns each, the hardest of the four classification sets. */
  public static XY spiral(int n, double noise, long seed, Labels labels) {
    check("spiral", n, noise);
    Gen g = new Gen(n, seed);
    double half = n / 2.0;
    for (int cls = 0; cls < 2; cls++) {
      int count = cls == 0 ? firstHalf(n) : n - firstHalf(n);
      double deltaT = cls == 0 ? 0 : Math.PI;
      for (int i = 0; i < count; i++) {
        double r = i / half * 5;
        double t = 1.75 * i / half * 2 * Math.PI + deltaT;
        double x = r * Math.sin(t) + g.uniform(-1, 1) * noise;
        double y = r * Math.cos(t) + g.uniform(-1, 1) * noise;
        g.add(x, y, cls == 0 ? 1 : -1);
      }
    }
    return g.finish(labels);
  }

  /** Regression: points uniform in [-6, 6]², target (x1 + x2) / 10, computed from the noisy point. */
  public static XY plane(int n, double noise, long seed) {
    check("plane", n, noise);
    Gen g = new Gen(n, seed);
    for (int i = 0; i < n; i++) {
      NoisyPoint p = g.noisyPoint(noise);
      g.add(p.x(), p.y(), linear(p.x() + p.noiseX() + p.y() + p.noiseY(), -10, 10, -1, 1));
    }
    return g.finish(Labels.SIGN);
  }

  private static final double[][] GAUSSIANS = {
      {-4, 2.5, 1}, {0, 2.5, -1}, {4, 2.5, 1}, {-4, -2.5, -1}, {0, -2.5, 1}, {4, -2.5, -1}};

  /**
   * Regression: six bumps of alternating sign on a 3 x 2 grid; the target is the bump of largest
   * magnitude at the noisy point, falling linearly from ±1 at a centre to 0 at distance 2.
   */
  public static XY multiGauss(int n, double noise, long seed) {
    check("multi_gauss", n, noise);
    Gen g = new Gen(n, seed);
    for (int i = 0; i < n; i++) {
      NoisyPoint p = g.noisyPoint(noise);
      double px = p.x() + p.noiseX();
      double py = p.y() + p.noiseY();
      double label = 0;
      for (double[] c : GAUSSIANS) {
        double d = Math.hypot(px - c[0], py - c[1]);
        double v = c[2] * Math.max(0, Math.min(1, linear(d, 0, 2, 1, 0)));
        if (Math.abs(v) > Math.abs(label)) label = v;
      }
      g.add(p.x(), p.y(), label);
    }
    return g.finish(Labels.SIGN);
  }

  /** d3.scale.linear(): maps [d0, d1] onto [r0, r1], extrapolating outside. */
  private static double linear(double v, double d0, double d1, double r0, double r1) {
    return r0 + (v - d0) / (d1 - d0) * (r1 - r0);
  }

  private static int firstHalf(int n) {
    return (n + 1) / 2;
  }

  private static void check(String fn, int n, double noise) {
    if (n < 1 || n > MAX_SAMPLES) {
      throw DlnRuntimeException.value(fn + "(): n must be between 1 and " + MAX_SAMPLES + ", got " + n);
    }
    if (!(noise >= 0 && noise <= 1)) {
      throw DlnRuntimeException.value(fn + "(): noise must be between 0 and 1, got " + noise,
          "noise is a fraction: the Playground's noise slider at 25 is noise=0.25 (its maximum, 50, is 0.5)");
    }
  }

  /** A point of the regression sets and the noise added to it before its target is computed. */
  private record NoisyPoint(double x, double y, double noiseX, double noiseY) {}

  /** Collects points, then shuffles them with the Playground's Fisher-Yates walk. */
  private static final class Gen {
    private final Random random;
    private final float[] xs;
    private final double[] ys;
    private int count;

    Gen(int n, long seed) {
      random = new Random(seed);
      xs = new float[2 * n];
      ys = new double[n];
    }

    double uniform(double a, double b) {
      return random.nextDouble() * (b - a) + a;
    }

    /**
     * The regression sets' point: uniform in [-6, 6]², and its noise, uniform in [-6, 6]² times
     * {@code noise}, drawn in the Playground's order (x, y, then the noise's x and y).
     */
    NoisyPoint noisyPoint(double noise) {
      double radius = 6;
      double x = uniform(-radius, radius);
      double y = uniform(-radius, radius);
      double noiseX = uniform(-radius, radius) * noise;
      double noiseY = uniform(-radius, radius) * noise;
      return new NoisyPoint(x, y, noiseX, noiseY);
    }

    /** The Playground's polar Box-Muller: a sample with the given mean and variance. */
    double normal(double mean, double variance) {
      double v1;
      double v2;
      double s;
      do {
        v1 = 2 * random.nextDouble() - 1;
        v2 = 2 * random.nextDouble() - 1;
        s = v1 * v1 + v2 * v2;
      } while (s > 1 || s == 0); // s == 0 would give log(0); the Playground leaves that case open
      return mean + Math.sqrt(variance) * Math.sqrt(-2 * Math.log(s) / s) * v1;
    }

    void add(double x, double y, double label) {
      xs[2 * count] = (float) x;
      xs[2 * count + 1] = (float) y;
      ys[count] = label;
      count++;
    }

    XY finish(Labels labels) {
      int n = count;
      for (int counter = n; counter > 0; ) {
        int index = (int) Math.floor(random.nextDouble() * counter);
        counter--;
        float tx = xs[2 * counter];
        float ty = xs[2 * counter + 1];
        xs[2 * counter] = xs[2 * index];
        xs[2 * counter + 1] = xs[2 * index + 1];
        xs[2 * index] = tx;
        xs[2 * index + 1] = ty;
        double t = ys[counter];
        ys[counter] = ys[index];
        ys[index] = t;
      }
      float[] y = new float[n];
      for (int i = 0; i < n; i++) y[i] = (float) (labels == Labels.BINARY ? (ys[i] > 0 ? 1 : 0) : ys[i]);
      return new XY(Nd4j.create(xs, new long[] {n, 2}, 'c'), Nd4j.create(y, new long[] {n, 1}, 'c'));
    }
  }
}
