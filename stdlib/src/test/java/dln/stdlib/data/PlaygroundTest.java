package dln.stdlib.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PlaygroundTest {
  private static final Playground.Labels SIGN = Playground.Labels.SIGN;

  private static int count(INDArray y, double v) {
    int c = 0;
    for (float f : y.toFloatVector()) if (f == v) c++;
    return c;
  }

  @Test
  void classificationSetsHaveShapesAndBalancedSignLabels() {
    for (XY d : List.of(Playground.circle(500, 0, 1, SIGN), Playground.gauss(500, 0, 1, SIGN), Playground.spiral(500, 0, 1, SIGN))) {
      assertArrayEquals(new long[] {500, 2}, d.x().shape());
      assertArrayEquals(new long[] {500, 1}, d.y().shape());
      assertEquals(250, count(d.y(), 1));
      assertEquals(250, count(d.y(), -1));
    }
    XY xor = Playground.xor(2000, 0, 1, SIGN);
    assertEquals(2000, count(xor.y(), 1) + count(xor.y(), -1));
    assertEquals(1000, count(xor.y(), 1), 80, "quadrants are equally likely");
  }

  @Test
  void oddCountsGiveExactlyN() {
    XY d = Playground.spiral(7, 0, 3, SIGN);
    assertEquals(7, d.x().size(0));
    assertEquals(4, count(d.y(), 1));
    assertEquals(3, count(d.y(), -1));
  }

  @Test
  void binaryLabelsAreZeroAndOne() {
    XY sign = Playground.circle(200, 0.1, 5, SIGN);
    XY bin = Playground.circle(200, 0.1, 5, Playground.Labels.BINARY);
    assertEquals(sign.x(), bin.x());
    float[] s = sign.y().toFloatVector();
    float[] b = bin.y().toFloatVector();
    for (int i = 0; i < s.length; i++) assertEquals(s[i] > 0 ? 1f : 0f, b[i]);
  }

  @Test
  void seedMakesDataReproducible() {
    assertEquals(Playground.spiral(300, 0.2, 42, SIGN).x(), Playground.spiral(300, 0.2, 42, SIGN).x());
    assertEquals(Playground.multiGauss(300, 0.2, 42).y(), Playground.multiGauss(300, 0.2, 42).y());
    assertNotEquals(Playground.xor(300, 0.2, 42, SIGN).x(), Playground.xor(300, 0.2, 43, SIGN).x());
  }

  @Test
  void noiselessGeometryFollowsThePlayground() {
    // circle: positives within radius 2.5, negatives in the ring 3.5..5.
    XY c = Playground.circle(1000, 0, 7, SIGN);
    for (int i = 0; i < 1000; i++) {
      double r = Math.hypot(c.x().getDouble(i, 0), c.x().getDouble(i, 1));
      if (c.y().getDouble(i, 0) > 0) assertTrue(r < 2.5 + 1e-6, "positive at r=" + r);
      else assertTrue(r >= 3.5 - 1e-6 && r <= 5 + 1e-6, "negative at r=" + r);
    }
    // xor: label is the sign of x1*x2, and the 0.3 padding keeps points off the axes.
    XY x = Playground.xor(1000, 0, 7, SIGN);
    for (int i = 0; i < 1000; i++) {
      double a = x.x().getDouble(i, 0);
      double b = x.x().getDouble(i, 1);
      assertTrue(Math.abs(a) >= 0.3 - 1e-6 && Math.abs(b) >= 0.3 - 1e-6);
      assertEquals(a * b >= 0 ? 1.0 : -1.0, x.y().getDouble(i, 0));
    }
    // spiral: radius grows from 0 to 5 along each arm; the two arms are point reflections.
    XY s = Playground.spiral(4, 0, 7, SIGN);
    double maxR = 0;
    for (int i = 0; i < 4; i++) maxR = Math.max(maxR, Math.hypot(s.x().getDouble(i, 0), s.x().getDouble(i, 1)));
    assertEquals(2.5, maxR, 1e-6, "with n=4 each arm has points at r = 0 and r = 1/2 * 5");
    // gauss: class means near (2, 2) and (-2, -2), variance 0.5 without noise.
    XY g = Playground.gauss(20000, 0, 7, SIGN);
    double sx = 0;
    double sxx = 0;
    int np = 0;
    for (int i = 0; i < 20000; i++) {
      if (g.y().getDouble(i, 0) > 0) {
        double v = g.x().getDouble(i, 0);
        sx += v;
        sxx += v * v;
        np++;
      }
    }
    double mean = sx / np;
    assertEquals(2.0, mean, 0.03);
    assertEquals(0.5, sxx / np - mean * mean, 0.03);
  }

  @Test
  void regressionTargets() {
    XY p = Playground.plane(1000, 0, 9);
    for (int i = 0; i < 1000; i++) {
      assertEquals((p.x().getDouble(i, 0) + p.x().getDouble(i, 1)) / 10, p.y().getDouble(i, 0), 1e-6);
    }
    XY m = Playground.multiGauss(2000, 0, 9);
    assertArrayEquals(new long[] {2000, 1}, m.y().shape());
    for (int i = 0; i < 2000; i++) {
      double x = m.x().getDouble(i, 0);
      double y = m.x().getDouble(i, 1);
      double t = m.y().getDouble(i, 0);
      assertTrue(t >= -1 && t <= 1);
      // Near (0, 2.5) the negative bump dominates: 1 - d/2.
      double d = Math.hypot(x, y - 2.5);
      if (d < 0.5) assertEquals(-(1 - d / 2), t, 1e-5);
    }
  }

  @Test
  void badArgumentsAreClearErrors() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Playground.spiral(500, 25, 1, SIGN));
    assertEquals("spiral(): noise must be between 0 and 1, got 25.0", e.getMessage());
    assertEquals("noise is a fraction: the Playground's noise slider at 25 is noise=0.25 (its maximum, 50, is 0.5)", e.hint());
    assertEquals("circle(): n must be between 1 and 10000000, got 0",
        assertThrows(DlnRuntimeException.class, () -> Playground.circle(0, 0, 1, SIGN)).getMessage());
  }

  @Test
  void featuresBuildsPlaygroundInputs() {
    INDArray x = Nd4j.create(new float[] {1, 2, -0.5f, 3}, new long[] {2, 2}, 'c');
    INDArray f = Features.build(x, List.of("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"));
    assertArrayEquals(new long[] {2, 7}, f.shape());
    assertArrayEquals(new float[] {1, 2, 1, 4, 2, (float) Math.sin(1), (float) Math.sin(2)}, f.getRow(0).toFloatVector(), 1e-6f);
    assertArrayEquals(new float[] {-0.5f, 3, 0.25f, 9, -1.5f, (float) Math.sin(-0.5), (float) Math.sin(3)}, f.getRow(1).toFloatVector(), 1e-6f);
    assertEquals(Features.build(x, List.of("x1*x2", "x1^2")), Features.build(x, List.of("x1 * x2", "X1**2")));
  }

  @Test
  void featuresRejectsUnknownNamesAndShapes() {
    INDArray x = Nd4j.create(new float[] {1, 2}, new long[] {1, 2}, 'c');
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Features.build(x, List.of("x1", "cos(x1)")));
    assertEquals("unknown feature 'cos(x1)'", e.getMessage());
    assertEquals("valid names: x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)", e.hint());
    e = assertThrows(DlnRuntimeException.class, () -> Features.build(Nd4j.zeros(4, 3), List.of("x1")));
    assertEquals("features() needs points of shape [n, 2] (columns x1, x2), got [4, 3]", e.getMessage());
  }
}
