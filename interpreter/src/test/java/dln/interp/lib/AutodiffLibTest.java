package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.Dln;
import dln.interp.DlnException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** grad() as a DLN user calls it: one tensor gives one gradient, a list gives a list. */
class AutodiffLibTest {
  private final PrintWriter sink = new PrintWriter(new StringWriter(), true);
  private final Dln dln = Dln.builder().out(sink).err(sink).build();

  @Test
  void oneTensorGivesOneGradient() {
    dln.eval("w = tensor([1.0, -2.0, 3.0])\ng = grad(lambda w: sum(w * w), w)");
    INDArray g = dln.get("g", INDArray.class);
    assertArrayEquals(new float[] {2, -4, 6}, g.toFloatVector(), 1e-6f);
  }

  @Test
  void oneVariableGivesOneGradient() {
    dln.eval("v = Variable(tensor([0.5, 1.5]))\ng = grad(lambda v: sum(3 * v), v)");
    assertArrayEquals(new float[] {3, 3}, dln.get("g", INDArray.class).toFloatVector(), 1e-6f);
  }

  @Test
  void aListOrTupleGivesAList() {
    dln.eval("w = tensor([2.0])\nb = tensor([1.0])\ngs = grad(lambda w, b: sum(w * b + b), [w, b])\n"
        + "gt = grad(lambda w, b: sum(w * b), (w, b))");
    List<?> gs = assertInstanceOf(List.class, dln.get("gs"));
    assertEquals(2, gs.size());
    assertEquals(1.0, ((INDArray) gs.get(0)).getDouble(0), 1e-6);
    assertEquals(3.0, ((INDArray) gs.get(1)).getDouble(0), 1e-6);
    List<?> gt = assertInstanceOf(List.class, dln.get("gt"));
    assertEquals(1.0, ((INDArray) gt.get(0)).getDouble(0), 1e-6);
    assertEquals(2.0, ((INDArray) gt.get(1)).getDouble(0), 1e-6);
  }

  @Test
  void aStringIsStillRefused() {
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("grad(lambda w: w, 'w')"));
    assertEquals("grad() parameters must be tensors or Variables, got string", e.getMessage());
  }
}
