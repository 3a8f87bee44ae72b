package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one "did you mean" rule every suggestion in DLN uses. */
class NamesTest {
  @Test
  void findsTyposSwapsAndCaseSlips() {
    assertEquals("value", Names.closest("valeu", List.of("x", "value", "values")));
    assertEquals("relu", Names.closest("Relu", List.of("sigmoid", "relu")));
    assertEquals("learning_rate", Names.closest("learning_rte", List.of("epochs", "learning_rate")));
  }

  @Test
  void aNameWithEveryLetterReplacedIsNoSuggestion() {
    // `i` is not a misspelling of `w`: a one-letter name only finds names that keep its letter.
    assertNull(Names.closest("i", List.of("w", "b")));
    assertNull(Names.closest("c", List.of("a", "b")));
    assertEquals("xs", Names.closest("x", List.of("w", "xs")));
  }

  @Test
  void farNamesAreNoSuggestion() {
    assertNull(Names.closest("optimizer", List.of("loss", "metrics")));
  }

  @Test
  void theHintListsTheKnownNamesEitherWay() {
    assertEquals("did you mean 'relu'? known: relu, tanh", Names.hint("rleu", List.of("relu", "tanh")));
    assertEquals("known: a, b", Names.hint("c", List.of("a", "b")));
  }
}
