package dln.interp.parse;

import dln.interp.DlnException;
import dln.interp.Pos;

/** String literal unescaping: Python's escapes for '…', "…", '''…''' and """…""". */
final class Strings {
  private Strings() {}

  static String unescape(String literal, Pos pos) {
    String body;
    if (literal.startsWith("'''") || literal.startsWith("\"\"\"")) body = literal.substring(3, literal.length() - 3);
    else body = literal.substring(1, literal.length() - 1);
    return unescapeBody(body, pos);
  }

  /** Quote and prefix characters of a string token: r'…' is raw, f'…' formatted. */
  static String prefix(String token) {
    int i = 0;
    while (i < token.length() && token.charAt(i) != '\'' && token.charAt(i) != '"') i++;
    return token.substring(0, i).toLowerCase(java.util.Locale.ROOT);
  }

  /** The text between the quotes of an unprefixed literal, with its escapes applied. */
  static String unescapeBody(String body, Pos pos) {
    StringBuilder sb = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\' || i + 1 >= body.length()) {
        sb.append(c);
        continue;
      }
      char n = body.charAt(++i);
      switch (n) {
        case 'n' -> sb.append('\n');
        case 't' -> sb.append('\t');
        case 'r' -> sb.append('\r');
        case '0' -> sb.append('\0');
        case '\\' -> sb.append('\\');
        case '\'' -> sb.append('\'');
        case '"' -> sb.append('"');
        case '\n' -> { }
        case 'u' -> {
          if (i + 4 >= body.length()) {
            throw new DlnException("syntax error", "incomplete \\u escape in string", null, pos);
          }
          try {
            sb.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
          } catch (RuntimeException e) {
            throw new DlnException("syntax error", "bad \\u escape in string", "write \\u followed by 4 hex digits", pos);
          }
          i += 4;
        }
        default -> sb.append('\\').append(n);
      }
    }
    return sb.toString();
  }
}
