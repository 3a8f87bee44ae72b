package dln.interp.parse;

import dln.interp.DlnException;
import dln.interp.Pos;
import dln.interp.Source;
import dln.interp.ast.Expr;
import dln.interp.ast.Stmt;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an f-string literal into text and {@code {expression!conv:spec}} fields. Each expression
 * is parsed by the ordinary parser from a stand-in source that puts it at its own line and column,
 * so its errors point into the f-string and show the user's line.
 */
final class FStrings {
  private final Source source;
  private final String text;
  private final boolean raw;
  private int line;
  private int col;
  private int i;

  private FStrings(Source source, String text, boolean raw, int line, int col) {
    this.source = source;
    this.text = text;
    this.raw = raw;
    this.line = line;
    this.col = col;
  }

  /** The f-string token {@code token} (prefix and quotes included) starting at {@code start}. */
  static Expr.FString parse(Source source, String token, Pos start) {
    String prefix = Strings.prefix(token);
    int quote = token.startsWith("'''", prefix.length()) || token.startsWith("\"\"\"", prefix.length()) ? 3 : 1;
    String body = token.substring(prefix.length() + quote, token.length() - quote);
    FStrings f = new FStrings(source, body, prefix.contains("r"), start.line(), start.col() + prefix.length() + quote);
    return new Expr.FString(start, f.parts(false));
  }

  private Pos here() {
    return new Pos(source, line, col);
  }

  private char advance() {
    char c = text.charAt(i++);
    if (c == '\n') {
      line++;
      col = 0;
    } else col++;
    return c;
  }

  /** Text and fields up to the end, or (inside a format spec) up to the closing '}'. */
  private List<Expr> parts(boolean inSpec) {
    List<Expr> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    Pos litPos = here();
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{' && !inSpec) {
        advance();
        advance();
        lit.append('{');
      } else if (c == '}' && inSpec) {
        break;
      } else if (c == '}') {
        Pos p = here();
        advance();
        if (i >= text.length() || text.charAt(i) != '}') {
          throw new DlnException("syntax error", "f-string: single '}' is not allowed", "write '}}' for a literal '}'", p);
        }
        advance();
        lit.append('}');
      } else if (c == '{') {
        flush(parts, lit, litPos);
        parts.add(field());
        litPos = here();
      } else {
        lit.append(advance());
      }
    }
    flush(parts, lit, litPos);
    return parts;
  }

  private void flush(List<Expr> parts, StringBuilder lit, Pos pos) {
    if (lit.length() == 0) return;
    String s = raw ? lit.toString() : Strings.unescapeBody(lit.toString(), pos);
    parts.add(new Expr.Literal(pos, s));
    lit.setLength(0);
  }

  /** One {expression[=][!conv][:spec]}, from its '{'. */
  private Expr field() {
    Pos open = here();
    advance();
    int exprLine = line;
    int exprCol = col;
    int start = i;
    int depth = 0;
    char inQuote = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (inQuote != 0) {
        if (c == inQuote) inQuote = 0;
      } else if (c == '\'' || c == '"') {
        inQuote = c;
      } else if ("([{".indexOf(c) >= 0) {
        depth++;
      } else if (")]".indexOf(c) >= 0 || (c == '}' && depth > 0)) {
        depth--;
      } else if (depth == 0 && (c == '}' || c == ':' || (c == '!' && (i + 1 >= text.length() || text.charAt(i + 1) != '=')))) {
        break;
      }
      advance();
    }
    if (i >= text.length()) {
      throw new DlnException("syntax error", "f-string: '{' was never closed", "close the field with '}', or write '{{' for a literal '{'", open);
    }
    String exprText = text.substring(start, i);
    boolean selfDoc = false;
    String trimmed = exprText.stripTrailing();
    if (trimmed.endsWith("=") && trimmed.length() > 1 && "=!<>".indexOf(trimmed.charAt(trimmed.length() - 2)) < 0) {
      selfDoc = true;
      exprText = trimmed.substring(0, trimmed.length() - 1);
    }
    if (exprText.isBlank()) throw new DlnException("syntax error", "f-string: empty expression not allowed", null, open);
    Expr value = expression(exprText, exprLine, exprCol, open);
    char conv = 0;
    if (text.charAt(i) == '!') {
      Pos p = here();
      advance();
      conv = i < text.length() ? advance() : 0;
      if ("rsa".indexOf(conv) < 0 || conv == 0) {
        throw new DlnException("syntax error", "f-string: invalid conversion character", "use !r, !s or !a", p);
      }
      if (i >= text.length() || (text.charAt(i) != ':' && text.charAt(i) != '}')) {
        throw new DlnException("syntax error", "f-string: expected '}' after the conversion", null, here());
      }
    }
    Expr spec = null;
    if (text.charAt(i) == ':') {
      Pos p = here();
      advance();
      spec = new Expr.FString(p, parts(true));
      if (i >= text.length()) throw new DlnException("syntax error", "f-string: '{' was never closed", null, open);
    }
    advance(); // the closing '}'
    if (selfDoc && conv == 0 && spec == null) conv = 'r';
    Expr field = new Expr.FormatField(value.pos(), value, conv, spec);
    if (!selfDoc) return field;
    return new Expr.FString(open, List.of(new Expr.Literal(open, exprText + "="), field));
  }

  /** Parses the text of one field as an expression placed at its own line and column. */
  private Expr expression(String exprText, int exprLine, int exprCol, Pos open) {
    StringBuilder stand = new StringBuilder();
    if (exprCol > 0) {
      stand.append("\n".repeat(exprLine - 1)).append('(').append(" ".repeat(exprCol - 1));
    } else {
      stand.append("\n".repeat(Math.max(0, exprLine - 2))).append("(\n");
    }
    stand.append(exprText).append(')');
    List<Stmt> stmts;
    try {
      stmts = Parsing.parse(new Source(source.name(), stand.toString(), source));
    } catch (DlnException e) {
      // The stand-in's closing ')' is the user's '}': say so when the parser stops there.
      String message = e.getMessage().replace("found ')'", "found '}'");
      if (!message.startsWith("f-string")) message = "f-string: " + message;
      throw new DlnException("syntax error", message, e.hint(), e.pos());
    }
    if (stmts.size() != 1 || !(stmts.get(0) instanceof Stmt.ExprStmt es)) {
      throw new DlnException("syntax error", "f-string: expected an expression", null, open);
    }
    return es.expr();
  }
}
