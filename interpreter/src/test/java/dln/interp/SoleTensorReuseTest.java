package dln.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dln.Dln;
import java.io.StringWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code c = a + b} writes into c's previous tensor when nothing but c holds it (issue 15: a fresh
 * 1 MB result per statement cost more than the add), and never when anything else may hold it: a
 * tensor kept by another name, a list, a view, a function, the host or a reader of the variables keeps its
 * values.
 */
class SoleTensorReuseTest {
  private final Dln dln = Dln.builder().out(new StringWriter()).build();
  private INDArray a;
  private INDArray b;

  @BeforeEach
  void operands() {
    a = Nd4j.rand(DataType.FLOAT, 64, 64);
    b = Nd4j.rand(DataType.FLOAT, 64, 64);
    dln.set("a", a);
    dln.set("b", b);
  }

  /** The tensor bound to a name, read without dropping its sole mark (as the operator's operands are). */
  private Object bound(String name) {
    return dln.interpreter().globals().lookupOperand(name);
  }

  @Test
  void aTensorOnlyTheNameHoldsIsOverwrittenInPlace() {
    dln.eval("c = a + b");
    Object first = bound("c");
    dln.eval("c = a * b");
    assertSame(first, bound("c"), "the second result reuses the first's tensor");
    dln.eval("c = c - b");
    assertSame(first, bound("c"));
    assertEquals(a.mul(b).sub(b), dln.get("c"));
  }

  @Test
  void inALoopEveryIterationReusesTheTensor() {
    dln.eval("c = a + b\nfor i in range(5):\n    c = c + a\n");
    assertEquals(a.mul(6).add(b), dln.get("c"));
  }

  @Test
  void aTensorKeptElsewhereKeepsItsValues() {
    INDArray sum = a.add(b);
    String[] keepers = {"d = c", "kept = [c]", "v = c[0:2]", "t = c.T", "kept = {'x': c}", "def grab():\n    return c\nd = grab()",
        "d = c + 0 if False else c"};
    for (String keep : keepers) {
      dln.eval("c = a + b");
      Object held = bound("c");
      dln.eval(keep);
      dln.eval("c = a * b");
      assertNotSame(held, bound("c"), keep);
      assertEquals(sum, held);
      assertEquals(a.mul(b), dln.get("c"));
    }
  }

  @Test
  void theHostMayKeepATensor() {
    dln.eval("c = a + b");
    Object host = dln.get("c");
    dln.eval("c = a * b");
    assertEquals(a.add(b), host);

    dln.eval("c = a + b");
    dln.interpreter().globals().vars();
    Object seen = bound("c");
    dln.eval("c = a * b");
    assertNotSame(seen, bound("c"), "whoever read the variables may keep the tensor");
  }

  @Test
  void broadcastingAndDtypeChangesMakeAFreshTensor() {
    dln.eval("c = a + b");
    Object first = bound("c");
    dln.eval("c = c + a[0]");
    assertNotSame(first, bound("c"), "an operand broadcast while overwritten would be read after it changed");
    assertEquals(a.add(b).addRowVector(a.getRow(0)), dln.get("c"));
    dln.eval("c = a + b\nc = a > b");
    assertEquals(DataType.BOOL, ((INDArray) dln.get("c")).dataType());
    dln.eval("c = a + b\nc = a.astype('float64') + b");
    assertEquals(DataType.DOUBLE, ((INDArray) dln.get("c")).dataType());
    assertEquals(a.castTo(DataType.DOUBLE).add(b.castTo(DataType.DOUBLE)), dln.get("c"));
  }
}
