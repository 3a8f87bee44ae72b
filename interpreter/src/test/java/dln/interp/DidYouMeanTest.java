package dln.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.Dln;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** A misspelt name or attribute suggests the closest one the program can see, the user's own included. */
class DidYouMeanTest {
  private final PrintWriter sink = new PrintWriter(new StringWriter(), true);
  private final Dln dln = Dln.builder().out(sink).err(sink).build();

  private String hint(String code) {
    return assertThrows(DlnException.class, () -> dln.eval(code)).hint();
  }

  @Test
  void globalVariablesWithSwappedLetters() {
    assertEquals("did you mean 'value'?", hint("value = 3\nprint(valeu)"));
  }

  @Test
  void localsAndEnclosingScopes() {
    assertEquals("did you mean 'total'?", hint("def f(total):\n    return totl + 1\nf(1)"));
    assertEquals("did you mean 'count'?",
        hint("def outer():\n    count = 1\n    def inner():\n        return cuont\n    return inner()\nouter()"));
  }

  @Test
  void attributesOfTensorsModelsDictsAndNamespaces() {
    assertEquals("did you mean 'shape'?", hint("x = zeros(2, 3)\nx.shpe"));
    assertEquals("did you mean 'summary'?", hint("model = Sequential([Dense(2, input_shape=(3,))])\nmodel.summry()"));
    assertEquals("did you mean 'keys'?", hint("d = {'a': 1}\nd.kyes()"));
    assertEquals("did you mean 'np.zeros'?", hint("np.zeors(3)"));
  }

  @Test
  void writableAttributes() {
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("layer = Dense(2)\nlayer.trainabel = false"));
    assertEquals("cannot set attribute 'trainabel' of Dense", e.getMessage());
    assertEquals("did you mean 'trainable'?", e.hint());
  }

  @Test
  void noHintWhenNothingIsClose() {
    assertNull(hint("value = 3\nprint(zzzqqq)"));
    assertNull(hint("x = zeros(2)\nx.qqqqq"));
  }
}
