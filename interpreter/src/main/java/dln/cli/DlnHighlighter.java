package dln.cli;

import dln.cli.CodeTokens.Kind;
import dln.cli.CodeTokens.Token;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jline.reader.Highlighter;
import org.jline.reader.LineReader;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Colours the entry as it is typed: keywords, strings, numbers, builtin functions, layer and model
 * names (capitalised builtins), comments, REPL commands; and marks what cannot be right (an
 * unterminated string, a closing bracket with nothing to close, a stray character) in red.
 */
final class DlnHighlighter implements Highlighter {
  static final AttributedStyle KEYWORD = AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA);
  static final AttributedStyle STRING = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
  static final AttributedStyle NUMBER = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
  static final AttributedStyle BUILTIN = AttributedStyle.DEFAULT.foreground(AttributedStyle.BLUE);
  static final AttributedStyle LAYER = AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
  static final AttributedStyle COMMENT = AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT).italic();
  static final AttributedStyle COMMAND = AttributedStyle.BOLD.foreground(AttributedStyle.CYAN);
  static final AttributedStyle ERROR = AttributedStyle.DEFAULT.foreground(AttributedStyle.WHITE)
      .background(AttributedStyle.RED);

  private static final Set<String> KEYWORDS = new HashSet<>(Catalog.KEYWORDS);

  private final Catalog catalog;

  DlnHighlighter(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public AttributedString highlight(LineReader reader, String buffer) {
    return highlight(buffer);
  }

  AttributedString highlight(String buffer) {
    AttributedStringBuilder sb = new AttributedStringBuilder();
    String stripped = buffer.stripLeading();
    if (stripped.startsWith(":")) {
      int lead = buffer.length() - stripped.length();
      int end = stripped.indexOf(' ');
      end = end < 0 ? buffer.length() : lead + end;
      sb.append(buffer.substring(0, lead));
      sb.styled(COMMAND, buffer.substring(lead, end));
      sb.append(buffer.substring(end));
      return sb.toAttributedString();
    }
    List<Token> tokens = CodeTokens.scan(buffer);
    Set<Integer> unmatched = unmatchedClosers(tokens);
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      AttributedStyle style = unmatched.contains(i) ? ERROR : styleOf(t, tokens, i);
      if (style == null) sb.append(t.text());
      else sb.styled(style, t.text());
    }
    return sb.toAttributedString();
  }

  private AttributedStyle styleOf(Token t, List<Token> tokens, int i) {
    return switch (t.kind()) {
      case NAME -> {
        if (KEYWORDS.contains(t.text())) yield KEYWORD;
        boolean attribute = i > 0 && tokens.get(i - 1).is(".");
        if (attribute || !catalog.isBuiltin(t.text())) yield null;
        yield catalog.isLayerLike(t.text()) ? LAYER : BUILTIN;
      }
      case STRING -> STRING;
      case NUMBER -> NUMBER;
      case COMMENT -> COMMENT;
      case UNTERMINATED_STRING, ERROR -> ERROR;
      default -> null;
    };
  }

  /** Closing brackets with no matching opener (or the wrong kind of opener). */
  private static Set<Integer> unmatchedClosers(List<Token> tokens) {
    Set<Integer> bad = new HashSet<>();
    Deque<Character> open = new ArrayDeque<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Kind.OPEN) {
        open.push(t.text().charAt(0));
      } else if (t.kind() == Kind.CLOSE) {
        char want = switch (t.text().charAt(0)) {
          case ')' -> '(';
          case ']' -> '[';
          default -> '{';
        };
        if (!open.isEmpty() && open.peek() == want) open.pop();
        else bad.add(i);
      }
    }
    return bad;
  }

  @Override
  public void setErrorPattern(Pattern errorPattern) {
    // Errors are found by scanning the code itself.
  }

  @Override
  public void setErrorIndex(int errorIndex) {
    // Errors are found by scanning the code itself.
  }
}
