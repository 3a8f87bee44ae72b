package dln.interp.parse;

import dln.grammar.DlnLexer;
import dln.grammar.DlnParser;
import dln.grammar.Indenter;
import dln.interp.DlnException;
import dln.interp.Pos;
import dln.interp.Source;
import dln.interp.ast.Stmt;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Source text to AST. Syntax errors become {@link DlnException}s phrased with grammar words
 * ("expected an expression", "expected ')'") instead of ANTLR's token lists. An error at the end of
 * the input is marked {@link #isIncomplete incomplete}, which the REPL uses to ask for more lines.
 */
public final class Parsing {
  private static final java.util.regex.Pattern LONE_CR = java.util.regex.Pattern.compile("\r(?!\n)");

  private Parsing() {}

  /** Thrown for syntax errors at end of input: the REPL continues the entry instead of failing. */
  public static final class IncompleteInput extends DlnException {
    IncompleteInput(String message, String hint, Pos pos) {
      super("syntax error", message, hint, pos);
    }
  }

  public static List<Stmt> parse(Source source) {
    return parse(source, true);
  }

  /**
   * Source to AST; with {@code twoStage} false only the full LL parse, which {@link #parse(Source)}
   * falls back to (for tests that compare the two).
   */
  public static List<Stmt> parse(Source source, boolean twoStage) {
    String text = source.text();
    if (text.indexOf('\0') >= 0) {
      int at = text.indexOf('\0');
      throw new DlnException("syntax error", "the source contains a NUL byte", "is this a binary file?", posOf(source, at));
    }
    // ANTLR counts lines at '\n' only, while Source (and so the caret line) also breaks at a lone
    // '\r' (old Mac line ends): lex with lone '\r's as '\n's so that token positions and source
    // lines agree. Same length, so offsets and columns are unchanged. (Found by FuzzQuickTest.)
    String lexed = text.indexOf('\r') < 0 ? text : LONE_CR.matcher(text).replaceAll("\n");
    // Building the AST recurses as deeply as the parser: on a host thread with a small stack, 10,000
    // nested brackets overflow there too (found by HostileInputTest), so both are guarded.
    try {
      List<Stmt> fast = twoStage ? parseSll(source, lexed) : null;
      return fast != null ? fast : parseLl(source, lexed);
    } catch (StackOverflowError e) {
      throw new DlnException("syntax error", "the expression is nested too deeply", "split it into smaller statements",
          new Pos(source, 1, 0));
    } finally {
      AntlrCaches.trim();
    }
  }

  /**
   * Stage one of ANTLR's two-stage parse: SLL prediction (no full-context lookahead) and an error
   * strategy that gives up at the first problem instead of re-synchronising. When it succeeds, its
   * tree is the one LL prediction gives (ANTLR guarantees it; TwoStageParseTest checks it on every
   * script in the repository and on generated and mutated programs), at about half the cost: the
   * default strategy's {@code sync} check before every loop iteration is most of the difference.
   * Null when the input has a syntax error or needs full LL context: stage two then parses from
   * scratch, so every error message is the single-stage parser's.
   */
  private static List<Stmt> parseSll(Source source, String lexed) {
    DlnLexer lexer = new DlnLexer(CharStreams.fromString(lexed, source.name()));
    lexer.removeErrorListeners();
    DlnParser parser = new DlnParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    AntlrCaches.use(lexer, parser); // before choosing the mode: it installs a new simulator
    parser.setErrorHandler(new BailErrorStrategy());
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    DlnParser.File_inputContext tree;
    try {
      tree = parser.file_input();
    } catch (ParseCancellationException e) {
      return null;
    }
    return new AstBuilder(source).file(tree);
  }

  /**
   * Stage two, and the only stage for input with an error: full LL prediction with the default
   * error strategy, whose first report {@link Listener} turns into the DlnException users see. A
   * fresh lexer, because the messages depend on how far it has read (an unclosed bracket at the
   * end of the input makes the entry incomplete rather than wrong).
   */
  private static List<Stmt> parseLl(Source source, String lexed) {
    DlnLexer lexer = new DlnLexer(CharStreams.fromString(lexed, source.name()));
    lexer.removeErrorListeners();
    DlnParser parser = new DlnParser(new CommonTokenStream(lexer));
    parser.removeErrorListeners();
    parser.addErrorListener(new Listener(source, lexer));
    AntlrCaches.use(lexer, parser);
    return new AstBuilder(source).file(parser.file_input());
  }

  private static Pos posOf(Source s, int offset) {
    String t = s.text();
    int line = 1;
    int col = 0;
    for (int i = 0; i < offset; i++) {
      // Line breaks as Source counts them: \n, \r\n and a lone \r (found by fuzzing).
      if (t.charAt(i) == '\n' || (t.charAt(i) == '\r' && (i + 1 >= t.length() || t.charAt(i + 1) != '\n'))) {
        line++;
        col = 0;
      } else col++;
    }
    return new Pos(s, line, col);
  }

  /** True when this error means "the input stopped too early" (open bracket, block, string). */
  public static boolean isIncomplete(DlnException e) {
    return e instanceof IncompleteInput;
  }

  private static final class Listener extends BaseErrorListener {
    private final Source source;
    private final DlnLexer lexer;

    Listener(Source source, DlnLexer lexer) {
      this.source = source;
      this.lexer = lexer;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
        RecognitionException e) {
      Parser parser = (Parser) recognizer;
      Token t = (Token) offending;
      IntervalSet expected;
      try {
        expected = e != null ? e.getExpectedTokens() : parser.getExpectedTokens();
      } catch (RuntimeException ex) {
        expected = new IntervalSet();
      }
      Pos pos = new Pos(source, line, col);
      if (t.getType() == Indenter.BAD_INDENT) throw new DlnException("syntax error", t.getText(), null, pos);
      if (t.getType() == DlnLexer.UNKNOWN_CHAR) {
        String c = t.getText();
        if (c.equals("'") || c.equals("\"")) {
          throw new DlnException("syntax error", "unterminated string", "close the string with " + c + " on the same line", pos);
        }
        throw new DlnException("syntax error", "unexpected character " + describeChar(c), null, pos);
      }
      Token open = lexer.unclosedBracket();
      if (open != null && lexer._hitEOF) {
        throw new IncompleteInput("'" + open.getText() + "' was never closed", null,
            new Pos(source, open.getLine(), open.getCharPositionInLine()));
      }
      String what = describeExpected(expected, parser);
      boolean atEnd = t.getType() == Token.EOF;
      String found = describeToken(t);
      String hint = null;
      if (expected.contains(DlnParser.INDENT)) {
        what = "an indented block";
        hint = "indent the lines of the block (e.g. 4 spaces)";
      }
      if (t.getType() == DlnParser.INDENT) {
        throw new DlnException("syntax error", "unexpected indent", "this line is indented but no block was opened", pos);
      }
      if (atEnd) throw new IncompleteInput("unexpected end of input, expected " + what, hint, pos);
      if (t.getType() == DlnParser.DEDENT && expected.contains(DlnParser.INDENT)) {
        throw new DlnException("syntax error", "expected an indented block", hint, pos);
      }
      if (what.equals("an expression") && t.getType() == DlnLexer.NAME) {
        hint = "did you forget a comma or an operator?";
      }
      if (t.getType() == DlnLexer.NEWLINE && what.equals("an expression")) {
        throw new DlnException("syntax error", "expected an expression at the end of the line", hint, pos);
      }
      if (t.getType() == DlnLexer.NEWLINE) {
        throw new DlnException("syntax error", "expected " + what + " at the end of the line", hint, pos);
      }
      throw new DlnException("syntax error", "expected " + what + ", found " + found, hint, pos);
    }

    private static String describeChar(String c) {
      int cp = c.codePointAt(0);
      if (cp < 32 || cp == 127) return String.format("U+%04X", cp);
      return "'" + c + "'";
    }

    private static String describeToken(Token t) {
      return switch (t.getType()) {
        case DlnLexer.NEWLINE -> "the end of the line";
        case Token.EOF -> "the end of the input";
        case DlnParser.INDENT -> "an indent";
        case DlnParser.DEDENT -> "the end of the block";
        case DlnLexer.STRING -> "a string";
        case DlnLexer.INT, DlnLexer.FLOAT -> "the number " + t.getText();
        case DlnLexer.NAME -> "'" + t.getText() + "'";
        default -> "'" + t.getText() + "'";
      };
    }

    /** Summarises the expected-token set in grammar words. */
    private static String describeExpected(IntervalSet expected, Parser parser) {
      if (expected.contains(DlnLexer.NAME) && expected.contains(DlnLexer.INT)) return "an expression";
      if (expected.contains(DlnLexer.NAME) && expected.size() <= 3) return "a name";
      java.util.List<String> names = new java.util.ArrayList<>();
      for (int type : expected.toArray()) {
        String lit = parser.getVocabulary().getLiteralName(type);
        if (lit != null) names.add(lit);
        else if (type == DlnLexer.NEWLINE) names.add("the end of the line");
        else if (type == DlnLexer.OPEN_PAREN) names.add("'('");
        else if (type == DlnLexer.CLOSE_PAREN) names.add("')'");
        else if (type == DlnLexer.OPEN_BRACK) names.add("'['");
        else if (type == DlnLexer.CLOSE_BRACK) names.add("']'");
        else if (type == DlnLexer.OPEN_BRACE) names.add("'{'");
        else if (type == DlnLexer.CLOSE_BRACE) names.add("'}'");
      }
      if (names.contains("')'")) return "')'";
      if (names.contains("']'")) return "']'";
      if (names.contains("'}'")) return "'}'";
      if (names.contains("':'")) return "':'";
      if (names.isEmpty()) return "something else";
      if (names.size() == 1) return names.get(0);
      if (names.size() > 4) return "an operator or the end of the statement";
      return "one of " + String.join(", ", names);
    }
  }
}
