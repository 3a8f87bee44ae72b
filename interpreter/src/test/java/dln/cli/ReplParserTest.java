package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplParserTest {
  @Test
  void blocksContinueUntilAnEmptyLine() {
    assertTrue(ReplParser.needsMore("def f(x):"));
    assertTrue(ReplParser.needsMore("def f(x):\n    return x"));
    assertFalse(ReplParser.needsMore("def f(x):\n    return x\n"));
    assertFalse(ReplParser.needsMore("def f(x):\n    return x\n    "), "the auto-indented empty line ends it");
    assertTrue(ReplParser.needsMore("xs = [1,"));
    assertFalse(ReplParser.needsMore("xs = [1,\n 2]"));
    assertFalse(ReplParser.needsMore("x = 1  # a comment ending in a colon:"));
    assertFalse(ReplParser.needsMore(":help print"));
  }

  @Test
  void aDecoratorLineWaitsForItsDefinition() {
    assertTrue(ReplParser.needsMore("@tf.function"));
    assertTrue(ReplParser.needsMore("@tf.function(jit_compile=True)\ndef step(x):"));
    assertFalse(ReplParser.needsMore("@tf.function\ndef step(x):\n    return x\n"));
  }

  @Test
  void continuationLinesAreIndented() {
    assertEquals(4, ReplParser.indentAfter("def f(x):"));
    assertEquals(8, ReplParser.indentAfter("def f(x):\n    for i in range(3):  # loop"));
    assertEquals(4, ReplParser.indentAfter("def f(x):\n    y = x"));
    assertEquals(0, ReplParser.indentAfter("def f(x):\n    return x"));
    assertEquals(4, ReplParser.indentAfter("for i in range(3):\n    if i > 1:\n        break"));
    assertEquals(4, ReplParser.indentAfter("model = Sequential(["));
    assertEquals(2, ReplParser.indentAfter("if x:\n  y = 1"), "a 2-space indent is kept");
    assertEquals(0, ReplParser.indentAfter("s = 'a:'"));
  }
}
