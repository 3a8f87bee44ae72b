package dln.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A forgiving tokenizer for text being typed at the prompt. Unlike the ANTLR lexer it never fails
 * and keeps comments, whitespace and half-typed strings as tokens, because the highlighter and the
 * completer work on incomplete code with the cursor anywhere in it.
 */
final class CodeTokens {
  enum Kind { NAME, NUMBER, STRING, UNTERMINATED_STRING, COMMENT, OPEN, CLOSE, OP, SPACE, NEWLINE, ERROR }

  /** One token: its kind and its [start, end) range in the text. */
  record Token(Kind kind, int start, int end, String text) {
    boolean is(String s) {
      return text.equals(s);
    }
  }

  private static final String[] OPERATORS = {"**=", "//=", "->", "**", "//", "==", "!=", "<=", ">=", "+=", "-=",
      "*=", "/=", "%=", "@=", "+", "-", "*", "/", "%", "@", "<", ">", "=", ".", ",", ":", ";", "~"};

  private CodeTokens() {}

  static List<Token> scan(String s) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      int start = i;
      Kind kind;
      if (c == ' ' || c == '\t' || c == '\f') {
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\f')) i++;
        kind = Kind.SPACE;
      } else if (c == '\n' || c == '\r') {
        i++;
        kind = Kind.NEWLINE;
      } else if (c == '\\' && i + 1 < n && (s.charAt(i + 1) == '\n' || s.charAt(i + 1) == '\r')) {
        i += 2; // explicit line join
        kind = Kind.SPACE;
      } else if (c == '#') {
        while (i < n && s.charAt(i) != '\n' && s.charAt(i) != '\r') i++;
        kind = Kind.COMMENT;
      } else if (c == '\'' || c == '"') {
        int end = stringEnd(s, i);
        kind = end < 0 ? Kind.UNTERMINATED_STRING : Kind.STRING;
        i = end < 0 ? unterminatedEnd(s, i) : end;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1)))) {
        i = numberEnd(s, i);
        kind = Kind.NUMBER;
      } else if (Character.isLetter(c) || c == '_') {
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
        kind = Kind.NAME;
      } else if ("([{".indexOf(c) >= 0) {
        i++;
        kind = Kind.OPEN;
      } else if (")]}".indexOf(c) >= 0) {
        i++;
        kind = Kind.CLOSE;
      } else {
        String op = operatorAt(s, i);
        i += op == null ? 1 : op.length();
        kind = op == null ? Kind.ERROR : Kind.OP;
      }
      out.add(new Token(kind, start, i, s.substring(start, i)));
    }
    return out;
  }

  /** End of the string literal starting at {@code i}, or -1 when it is not closed. */
  private static int stringEnd(String s, int i) {
    char q = s.charAt(i);
    String triple = String.valueOf(q).repeat(3);
    if (s.startsWith(triple, i)) {
      int close = s.indexOf(triple, i + 3);
      return close < 0 ? -1 : close + 3;
    }
    for (int j = i + 1; j < s.length(); j++) {
      char c = s.charAt(j);
      if (c == '\\') j++;
      else if (c == q) return j + 1;
      else if (c == '\n' || c == '\r') return -1;
    }
    return -1;
  }

  /** An unclosed one-line string stops at the end of its line; an unclosed triple-quoted one runs to the end. */
  private static int unterminatedEnd(String s, int i) {
    char q = s.charAt(i);
    if (s.startsWith(String.valueOf(q).repeat(3), i)) return s.length();
    int j = i + 1;
    while (j < s.length() && s.charAt(j) != '\n' && s.charAt(j) != '\r') j++;
    return j;
  }

  private static int numberEnd(String s, int i) {
    int n = s.length();
    if (s.startsWith("0x", i) || s.startsWith("0X", i)) {
      i += 2;
      while (i < n && (Character.digit(s.charAt(i), 16) >= 0 || s.charAt(i) == '_')) i++;
      return i;
    }
    while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
    if (i < n && s.charAt(i) == '.') {
      i++;
      while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
    }
    if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (s.charAt(j) == '+' || s.charAt(j) == '-')) j++;
      if (j < n && Character.isDigit(s.charAt(j))) {
        i = j;
        while (i < n && Character.isDigit(s.charAt(i))) i++;
      }
    }
    return i;
  }

  private static String operatorAt(String s, int i) {
    for (String op : OPERATORS) if (s.startsWith(op, i)) return op;
    return null;
  }

  /** The quote that opens a string token: ', ", ''' or """. */
  static String quoteOf(Token t) {
    String q = t.text().substring(0, 1);
    return t.text().startsWith(q.repeat(3)) ? q.repeat(3) : q;
  }
}
