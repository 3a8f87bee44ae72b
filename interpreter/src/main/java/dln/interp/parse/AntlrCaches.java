package dln.interp.parse;

import dln.grammar.DlnLexer;
import dln.grammar.DlnParser;
import org.antlr.v4.runtime.atn.ATN;
import org.antlr.v4.runtime.atn.LexerATNSimulator;
import org.antlr.v4.runtime.atn.ParserATNSimulator;
import org.antlr.v4.runtime.atn.PredictionContextCache;
import org.antlr.v4.runtime.dfa.DFA;

/**
 * Bounded prediction caches for DLN's lexer and parser.
 *
 * <p>ANTLR's adaptive prediction remembers what it learns about the input (DFA states and
 * prediction contexts) in tables that a generated lexer or parser shares statically with every
 * other instance, and never shrinks. Each new shape of input adds to them. A REPL session stays
 * small, but an embedding server that evaluates arbitrary scripts for days grows without bound:
 * the long fuzz run filled a 4 GB heap with 1.1 million DFA states after about 700,000 inputs.
 * DLN therefore gives its lexers and parsers tables of its own, and replaces them with empty ones
 * once they hold more than {@link #MAX_STATES} states (about 100 MB); parsing then re-learns what
 * it needs, at some cost to the next few parses.
 */
final class AntlrCaches {
  /** DFA states (lexer and parser together) above which the tables are started afresh. */
  static final int MAX_STATES = 20_000;

  private record Tables(DFA[] lexer, DFA[] parser, PredictionContextCache contexts) {
    static Tables fresh() {
      return new Tables(dfas(DlnLexer._ATN), dfas(DlnParser._ATN), new PredictionContextCache());
    }

    int states() {
      int n = 0;
      for (DFA d : lexer) n += d.states.size();
      for (DFA d : parser) n += d.states.size();
      return n;
    }
  }

  private static volatile Tables tables = Tables.fresh();

  private AntlrCaches() {}

  private static DFA[] dfas(ATN atn) {
    DFA[] out = new DFA[atn.getNumberOfDecisions()];
    for (int i = 0; i < out.length; i++) out[i] = new DFA(atn.getDecisionState(i), i);
    return out;
  }

  /** Points a new lexer and parser at the current tables (instead of the generated static ones). */
  static void use(DlnLexer lexer, DlnParser parser) {
    Tables t = tables;
    lexer.setInterpreter(new LexerATNSimulator(lexer, lexer.getATN(), t.lexer(), t.contexts()));
    parser.setInterpreter(new ParserATNSimulator(parser, parser.getATN(), t.parser(), t.contexts()));
  }

  /** After a parse: starts afresh when the tables have grown past the bound. */
  static void trim() {
    trim(MAX_STATES);
  }

  static void trim(int maxStates) {
    Tables t = tables;
    if (t.states() > maxStates) {
      synchronized (AntlrCaches.class) {
        if (tables == t) tables = Tables.fresh();
      }
    }
  }

  /** DFA states now cached (for tests). */
  static int states() {
    return tables.states();
  }
}
