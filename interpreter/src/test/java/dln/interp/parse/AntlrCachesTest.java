package dln.interp.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.interp.DlnException;
import dln.interp.Source;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * ANTLR's prediction caches stay bounded however many different inputs are parsed: the long fuzz
 * run once filled a 4 GB heap with DFA states (issue 8, "no unbounded memory").
 */
class AntlrCachesTest {
  private static final String[] TOKENS = {
    "x", "y", "model", "Dense", "(", ")", "[", "]", "{", "}", ",", ":", "=", "+", "-", "*", "/", "**", "@", "->",
    "==", "<", "and", "or", "not", "if", "else", "for", "in", "def", "return", "lambda", "1", "2.5", "'s'",
    "relu", ".", "fit", "\n", "\n    ", "True", "None", "units", "is", "%", "//", ";", "while", "pass"};

  /** A random token soup: mostly syntax errors, which drive prediction down many different paths. */
  private static String soup(Random r) {
    StringBuilder sb = new StringBuilder();
    int n = 5 + r.nextInt(60);
    for (int i = 0; i < n; i++) sb.append(TOKENS[r.nextInt(TOKENS.length)]).append(r.nextInt(4) == 0 ? "" : " ");
    return sb.toString();
  }

  @Test
  void manyDifferentInputsKeepThePredictionCachesBounded() {
    Random r = new Random(8);
    int peak = 0;
    for (int i = 0; i < 20_000; i++) {
      try {
        Parsing.parse(new Source("soup.dln", soup(r)));
      } catch (DlnException e) {
        // syntax errors are expected; only the caches matter here
      }
      peak = Math.max(peak, AntlrCaches.states());
    }
    assertTrue(peak <= AntlrCaches.MAX_STATES + 5_000, "DFA states stay near the bound: peak " + peak);
  }

  @Test
  void parsingStillWorksAfterTheCachesAreStartedAfresh() {
    Parsing.parse(new Source("a.dln", "model = Sequential([Input(4), Dense(8, relu)])\nx = [i * 2 for i in range(3)]\n"));
    assertTrue(AntlrCaches.states() > 0, "parsing fills the caches");
    AntlrCaches.trim(0);
    assertEquals(0, AntlrCaches.states(), "started afresh");
    assertEquals(2, Parsing.parse(new Source("a.dln", "y = 1 + 2\nprint(y)\n")).size());
  }
}
