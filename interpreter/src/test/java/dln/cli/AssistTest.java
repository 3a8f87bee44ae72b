package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import org.junit.jupiter.api.Test;

/** The REPL's editing help as other front ends (the Jupyter kernel) see it. */
class AssistTest {
  @Test
  void topicIsTheNameOrChainUnderTheCursor() {
    assertEquals("model.fit", Assist.topicAt("h = model.fit(x)", 11));
    assertEquals("model.fit", Assist.topicAt("h = model.fit(x)", 13));
    assertEquals("Dense", Assist.topicAt("Dense(", 6), "right after '(' the called function");
    assertEquals("", Assist.topicAt("1 + 2", 2));
  }

  @Test
  void readinessFollowsTheReplsContinuationRules() {
    assertEquals(Assist.Readiness.COMPLETE, Assist.readiness("x = 1").status());
    Assist.Readiness block = Assist.readiness("def f(x):");
    assertEquals(Assist.Readiness.INCOMPLETE, block.status());
    assertEquals("    ", block.indent());
    assertEquals(Assist.Readiness.INCOMPLETE, Assist.readiness("y = [1,").status());
    assertEquals(Assist.Readiness.INVALID, Assist.readiness("x = = 1").status());
    assertEquals(Assist.Readiness.COMPLETE, Assist.readiness(":help Dense").status());
  }

  @Test
  void completionHelpAndCommands() {
    Dln dln = Dln.create();
    dln.eval("weights_of_mine = 3");
    Assist a = new Assist(dln.interpreter());
    Assist.Completion c = a.complete("x = weights_of", 14);
    assertEquals(4, c.start());
    assertEquals(14, c.end());
    assertTrue(c.matches().contains("weights_of_mine"), c.matches().toString());
    assertTrue(a.knows("Dense"));
    assertFalse(a.knows("no_such_name_here"));
    assertTrue(a.vars().contains("weights_of_mine"));
    StringBuilder why = new StringBuilder();
    assertEquals(":help", Assist.command(":he", why));
    assertNull(Assist.command(":nonsense", why));
    assertTrue(why.toString().startsWith("unknown command :nonsense"), why.toString());
  }
}
