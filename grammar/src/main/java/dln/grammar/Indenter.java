package dln.grammar;

import java.util.ArrayDeque;
import java.util.Deque;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.Token;

/**
 * Turns the raw token stream of {@link DlnLexer} into Python-style logical lines: NEWLINE tokens
 * inside brackets and on blank lines are dropped, and changes of indentation become INDENT and
 * DEDENT tokens. At end of input every open block is closed.
 *
 * <p>Indentation that mixes tabs and spaces, or that dedents to a column no enclosing block
 * started at, produces a token of type {@link #BAD_INDENT} that the parser cannot accept, so the
 * error is reported with its position like any other syntax error.
 */
public final class Indenter {
  /** Token type for inconsistent indentation (never matched by any parser rule). */
  public static final int BAD_INDENT = -2;

  private final DlnLexer lexer;
  private final Deque<Token> pending = new ArrayDeque<>();
  private final Deque<Integer> indents = new ArrayDeque<>();
  private int brackets;
  private final Deque<Token> openBrackets = new ArrayDeque<>();
  private Token last;
  private boolean atStart = true;

  Indenter(DlnLexer lexer) {
    this.lexer = lexer;
  }

  void openBracket() {
    brackets++;
    CommonToken t = new CommonToken(DlnLexer.OPEN_PAREN,
        lexer.getInputStream().getText(org.antlr.v4.runtime.misc.Interval.of(lexer._tokenStartCharIndex,
            lexer._tokenStartCharIndex)));
    t.setLine(lexer._tokenStartLine);
    t.setCharPositionInLine(lexer._tokenStartCharPositionInLine);
    openBrackets.push(t);
  }

  void closeBracket() {
    if (brackets > 0) brackets--;
    if (!openBrackets.isEmpty()) openBrackets.pop();
  }

  /** The innermost bracket still open where lexing stopped, or null: "'[' was never closed". */
  public Token unclosedBracket() {
    return openBrackets.peek();
  }

  Token nextToken() {
    while (pending.isEmpty()) fill();
    last = pending.poll();
    return last;
  }

  private void fill() {
    Token t = lexer.rawNextToken();
    if (atStart && t.getType() != Token.EOF) {
      atStart = false;
      // Indentation on the very first line is an error in Python; here we simply accept column 0.
    }
    switch (t.getType()) {
      case DlnLexer.NEWLINE -> onNewline(t);
      case Token.EOF -> onEof(t);
      default -> pending.add(t);
    }
  }

  private void onNewline(Token t) {
    if (brackets > 0) return;
    int next = lexer.getInputStream().LA(1);
    boolean blank = next == '\n' || next == '\r' || next == '#' || next == org.antlr.v4.runtime.IntStream.EOF;
    if (blank) return;
    if (last == null || last.getType() == DlnLexer.NEWLINE) {
      // Leading blank lines: nothing to terminate, but indentation still matters.
      if (last == null) {
        emitIndentation(t);
        return;
      }
    }
    CommonToken nl = new CommonToken(t);
    nl.setText("\\n");
    pending.add(nl);
    emitIndentation(t);
  }

  private void emitIndentation(Token newline) {
    String text = newline.getText();
    String ws = text.replaceFirst("^\\r?\\n|^\\r", "");
    boolean tabs = ws.indexOf('\t') >= 0;
    boolean spaces = ws.indexOf(' ') >= 0;
    if (tabs && spaces) {
      pending.add(synthetic(BAD_INDENT, "indentation mixes tabs and spaces", newline));
      return;
    }
    int width = tabs ? ws.length() * 8 : ws.length();
    int current = indents.isEmpty() ? 0 : indents.peek();
    if (width > current) {
      indents.push(width);
      pending.add(synthetic(DlnParser.INDENT, "<indent>", newline));
    } else {
      while (width < (indents.isEmpty() ? 0 : indents.peek())) {
        indents.pop();
        pending.add(synthetic(DlnParser.DEDENT, "<dedent>", newline));
      }
      int now = indents.isEmpty() ? 0 : indents.peek();
      if (width != now) pending.add(synthetic(BAD_INDENT, "unindent does not match any outer indentation level", newline));
    }
  }

  private void onEof(Token eof) {
    if (last != null && last.getType() != DlnLexer.NEWLINE && last.getType() != DlnParser.DEDENT
        && last.getType() != DlnParser.INDENT) {
      pending.add(synthetic(DlnLexer.NEWLINE, "\\n", eof));
    }
    while (!indents.isEmpty()) {
      indents.pop();
      pending.add(synthetic(DlnParser.DEDENT, "<dedent>", eof));
    }
    pending.add(eof);
  }

  /** A token placed where the line's first real token starts, so errors point at that column. */
  private Token synthetic(int type, String text, Token at) {
    CommonToken t = new CommonToken(at);
    t.setType(type);
    t.setText(text);
    if (at.getType() == DlnLexer.NEWLINE) {
      // Position at the start of the following line, after the indentation.
      String s = at.getText();
      int nl = Math.max(s.lastIndexOf('\n'), s.lastIndexOf('\r'));
      t.setLine(at.getLine() + 1);
      t.setCharPositionInLine(s.length() - nl - 1);
      t.setStartIndex(at.getStopIndex() + 1);
      t.setStopIndex(at.getStopIndex());
    }
    return t;
  }
}
