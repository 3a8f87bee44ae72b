package dln.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.Dln;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Failures from Java, ND4J and host code reach the user as located DLN errors, the same way everywhere. */
class FailuresTest {
  private final PrintWriter sink = new PrintWriter(new StringWriter(), true);
  private final Dln dln = Dln.builder().out(sink).err(sink).build();

  private DlnException error(String code) {
    return assertThrows(DlnException.class, () -> dln.eval(code, "f.dln"));
  }

  @Test
  void integerOverflowIsTheSameWithAndWithoutAugmentedAssignment() {
    DlnException plain = error("x = 2**62\ny = x + x");
    DlnException augmented = error("x = 2**62\nx += x");
    assertEquals("overflow error", plain.kind());
    assertEquals("integer overflow in +", plain.getMessage());
    assertEquals(plain.getMessage(), augmented.getMessage());
    assertEquals("use floats for very large numbers", augmented.hint());
    assertEquals(2, augmented.pos().line());
  }

  @Test
  void emptyTensorsAreReportedAtTheCall() {
    DlnException e = error("x = arange(-3)\ny = 1\nprint(np.square(x))");
    assertEquals("value error", e.kind());
    assertEquals("this operation does not work on an empty tensor", e.getMessage());
    assertEquals(3, e.pos().line());
  }

  @Test
  void aFailingHostFunctionIsAHostError() {
    dln.register("boom", args -> {
      throw new IllegalStateException("no connection");
    });
    DlnException e = error("y = 1\nboom()");
    assertEquals("host error", e.kind());
    assertEquals("boom() failed: no connection", e.getMessage());
    assertEquals(2, e.pos().line());
  }

  @Test
  void aRaisingPredictCallbackIsALocatedErrorAndTheSessionGoesOn() {
    dln.eval("m = Sequential([Input(2), Dense(1, sigmoid)])\n"
        + "class Boom(Callback):\n"
        + "    def on_predict_batch_end(self, batch, logs):\n"
        + "        raise ValueError('bad batch ' + str(batch))\n", "setup.dln");
    DlnException e = error("x = tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])\nm.predict(x, batch_size=2, callbacks=[Boom()])");
    assertEquals("bad batch 0", e.getMessage());
    assertEquals("ValueError", e.kind());
    assertEquals(4, e.pos().line(), "located at the raise in the callback");
    assertEquals(2L, dln.eval("m.predict(x[:2]).shape[0]", "after.dln"), "the session and the model still work");
  }
}
