package dln.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.sandbox.ResourceLimits;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The per-interpreter tensor size limit, checked by the tensor-creating builtins. */
class ResourceLimitsTest {
  @Test
  void hugeTensorIsAClearMemoryErrorNotAnOutOfMemoryError() {
    Dln dln = Dln.builder().out(new StringWriter()).build();
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("x = zeros(100000, 100000)", "big.dln"));
    assertEquals("memory error", e.kind());
    assertEquals(1, e.pos().line());
    assertTrue(e.getMessage().startsWith("zeros(100000, 100000) needs 37.3 GiB (10,000,000,000 values of 4 bytes), over this interpreter's limit of "),
        e.getMessage());
    assertTrue(e.hint().contains("maxTensorBytes"), e.hint());
    INDArray small = (INDArray) dln.eval("zeros(2, 3)");
    assertEquals(6, small.length(), "reasonable tensors still work");
  }

  @Test
  void theHostSetsTheLimit() {
    Dln dln = Dln.builder().out(new StringWriter()).maxTensorBytes(1024).build();
    assertEquals(256, ((INDArray) dln.eval("zeros(16, 16)")).length(), "exactly 1 KiB fits");
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("zeros(16, 17)"));
    assertEquals("zeros(16, 17) needs 1.1 KiB (272 values of 4 bytes), over this interpreter's limit of 1.0 KiB per tensor", e.getMessage());
    for (String call : new String[] {"ones(300)", "full((300,), 1)", "rand(17, 16)", "randn(300)", "eye(17)", "arange(300)",
        "linspace(0, 1, 300)", "zeros(300, dtype='float64')"}) {
      e = assertThrows(DlnException.class, () -> dln.eval(call), call);
      assertEquals("memory error", e.kind(), call);
    }
    assertEquals(128, ((INDArray) dln.eval("zeros(128, dtype='float64')")).length(), "8-byte values count double");
  }

  @Test
  void overflowingShapesAreCaught() {
    ResourceLimits limits = new ResourceLimits(1L << 30);
    DlnException e = assertThrows(DlnException.class,
        () -> limits.checkAllocation(new long[] {1L << 40, 1L << 40}, 4, "zeros(…)"));
    assertEquals("memory error", e.kind());
    assertThrows(IllegalArgumentException.class, () -> new ResourceLimits(0));
  }

  @Test
  void defaultIsAtMostFourGibAndPositive() {
    long d = ResourceLimits.defaults().maxTensorBytes();
    assertTrue(d > 0 && d <= 4L << 30, "default " + d);
  }
}
