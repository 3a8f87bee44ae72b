package dln.cli;

import dln.cli.CodeTokens.Kind;
import dln.cli.CodeTokens.Token;
import dln.interp.value.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion from the {@link Catalog}: names in scope, keyword arguments inside a call, the
 * values of enum-like parameters, members after "." for the value's actual type, file names inside
 * strings, and REPL commands and their arguments. The analysis works on the text before the cursor
 * and never evaluates anything but plain name and attribute chains.
 */
final class DlnCompleter implements Completer {
  /** One offered completion: the text that replaces the word, and what the list shows. */
  record Suggestion(String value, String group, String description, boolean complete) {}

  /** What to complete: the word being typed (it starts at {@code wordStart}) and its completions. */
  record Result(int wordStart, String word, List<Suggestion> suggestions) {
    /** Suggestions that extend the word, as JLine would filter them. */
    List<String> matching() {
      List<String> out = new ArrayList<>();
      for (Suggestion s : suggestions) if (s.value().startsWith(word) && !out.contains(s.value())) out.add(s.value());
      return out;
    }
  }

  private static final String NAMES = "names";
  private static final String KEYWORD_ARGS = "keyword arguments";

  private final Catalog catalog;

  DlnCompleter(Catalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
    Result r = analyze(line.line(), line.cursor());
    int order = 0;
    for (Suggestion s : r.suggestions()) {
      candidates.add(new Candidate(s.value(), s.value(), s.group(), s.description(), null, null, s.complete(), order++));
    }
  }

  /** The completions of a whole text with the cursor at its end (for tests and tools). */
  List<String> complete(String text) {
    return analyze(text, text.length()).matching();
  }

  Result analyze(String text, int cursor) {
    String before = text.substring(0, cursor);
    String stripped = before.stripLeading();
    if (stripped.startsWith(":") && !before.contains("\n")) {
      return command(before, cursor - stripped.length(), text, cursor);
    }
    return code(before, text, cursor);
  }

  // ------------------------------------------------------------------------------------- commands

  private Result command(String before, int start, String text, int cursor) {
    String typed = before.substring(start);
    int space = typed.indexOf(' ');
    if (space < 0) {
      List<Suggestion> out = new ArrayList<>();
      for (Catalog.Command c : Catalog.COMMANDS) out.add(new Suggestion(c.name(), "commands", c.summary(), true));
      return new Result(start, typed, out);
    }
    List<Catalog.Command> cmds = Catalog.commandsMatching(typed.substring(0, space));
    int argStart = start + space;
    while (argStart < cursor && before.charAt(argStart) == ' ') argStart++;
    if (cmds.size() != 1) return new Result(cursor, "", List.of());
    String arg = before.substring(argStart);
    switch (cmds.get(0).name()) {
      case ":load", ":save", ":script" -> {
        String quote = arg.startsWith("'") || arg.startsWith("\"") ? arg.substring(0, 1) : "";
        String fragment = arg.substring(quote.length());
        return new Result(argStart + quote.length(), fragment, files(fragment, quote, quote.isEmpty()));
      }
      case ":help", ":summary", ":time" -> {
        Result inner = code(arg, text.substring(argStart), cursor - argStart);
        return new Result(inner.wordStart() + argStart, inner.word(), inner.suggestions());
      }
      default -> {
        return new Result(cursor, "", List.of());
      }
    }
  }

  // ----------------------------------------------------------------------------------------- code

  private static final java.util.regex.Pattern MODULE_PATH =
      java.util.regex.Pattern.compile("(?:^|[\\n;])\\s*(?:import\\s+(?:[\\w.]+(?:\\s+as\\s+\\w+)?\\s*,\\s*)*|from\\s+)([\\w.]*)$");
  private static final java.util.regex.Pattern FROM_MEMBER =
      java.util.regex.Pattern.compile("(?:^|[\\n;])\\s*from\\s+([\\w.]+)\\s+import\\s+\\(?(?:\\w+(?:\\s+as\\s+\\w+)?\\s*,\\s*)*(\\w*)$");

  /** After {@code import } or {@code from }: module paths; after {@code from m import }: m's members. */
  private Result importing(String before, int cursor) {
    java.util.regex.Matcher m = MODULE_PATH.matcher(before);
    if (m.find()) {
      List<Suggestion> out = new ArrayList<>();
      for (String path : catalog.interpreter().builtins().modules().keySet()) out.add(new Suggestion(path, "modules", null, false));
      return new Result(cursor - m.group(1).length(), m.group(1), out);
    }
    m = FROM_MEMBER.matcher(before);
    if (!m.find()) return null;
    dln.interp.value.Namespace module = catalog.interpreter().builtins().modules().get(m.group(1));
    if (module == null) return new Result(cursor, "", List.of());
    List<Suggestion> out = new ArrayList<>();
    for (String name : module.members().keySet()) out.add(new Suggestion(name, "members of " + m.group(1), null, false));
    return new Result(cursor - m.group(2).length(), m.group(2), out);
  }

  private Result code(String before, String text, int cursor) {
    Result imported = importing(before, cursor);
    if (imported != null) return imported;
    List<Token> tokens = CodeTokens.scan(before);
    Token last = tokens.isEmpty() ? null : tokens.get(tokens.size() - 1);
    if (last != null && last.kind() == Kind.COMMENT) return new Result(cursor, "", List.of());
    if (last != null && last.kind() == Kind.UNTERMINATED_STRING) {
      return inString(tokens, last, text, cursor);
    }
    boolean inWord = last != null && last.kind() == Kind.NAME;
    String word = inWord ? last.text() : "";
    int wordStart = inWord ? last.start() : cursor;
    int prevIdx = previousSignificant(tokens, inWord ? tokens.size() - 2 : tokens.size() - 1);
    Token prev = prevIdx >= 0 ? tokens.get(prevIdx) : null;
    if (last != null && last.kind() == Kind.NUMBER) return new Result(cursor, "", List.of());

    if (prev != null && prev.is(".")) return new Result(wordStart, word, attributes(tokens, prevIdx));

    List<Suggestion> out = new ArrayList<>();
    Deque<Integer> open = openBrackets(tokens, prevIdx + 1);
    String keyword = keywordOfValue(tokens, prevIdx, open);
    if (keyword != null) {
      for (String v : Catalog.CHOICES.getOrDefault(keyword, List.of())) {
        out.add(new Suggestion(word.isEmpty() ? "'" + v + "'" : v, keyword + " values", null, false));
      }
      if (word.isEmpty() && !out.isEmpty()) return new Result(wordStart, word, out);
    } else if (!open.isEmpty() && tokens.get(open.peek()).is("(") && prev != null
        && (prev == tokens.get(open.peek()) || prev.is(","))) {
      String callee = chainBefore(tokens, open.peek() - 1);
      Object fn = callee == null ? null : catalog.resolve(callee);
      Set<String> given = new HashSet<>();
      int positional = argumentsGiven(tokens, open.peek(), given);
      for (String k : Catalog.keywordsLeft(fn, positional, given)) {
        out.add(new Suggestion(k + "=", KEYWORD_ARGS, describeParameter(k), false));
      }
      // Tab right after "(" or "," lists the parameters, not every name in scope. A started word that
      // begins a keyword argument means that argument (Conv2D(32, 3, pad -> padding=), even when builtins
      // such as pad() share the prefix; typing on past the keyword offers names again.
      if (out.stream().anyMatch(sg -> sg.value().startsWith(word))) {
        return new Result(wordStart, word, out);
      }
    }
    addNames(out, !open.isEmpty());
    return new Result(wordStart, word, out);
  }

  /** Keywords that can start or continue an expression (the others only begin statements). */
  private static final Set<String> EXPRESSION_KEYWORDS = Set.of("lambda", "not", "and", "or", "in", "is", "if",
      "else", "for", "true", "false", "none", "True", "False", "None");

  private static String describeParameter(String name) {
    List<String> choices = Catalog.CHOICES.get(name);
    if (choices == null) return null;
    return String.join(", ", choices.subList(0, Math.min(3, choices.size()))) + (choices.size() > 3 ? ", …" : "");
  }

  private void addNames(List<Suggestion> out, boolean inBrackets) {
    for (String n : catalog.names()) {
      Object v = catalog.interpreter().globals().lookup(n);
      String desc = catalog.isBuiltin(n) ? null : Values.typeName(v);
      out.add(new Suggestion(n, NAMES, desc, false));
    }
    for (String k : Catalog.KEYWORDS) {
      if (!inBrackets || EXPRESSION_KEYWORDS.contains(k)) out.add(new Suggestion(k, NAMES, null, false));
    }
  }

  private List<Suggestion> attributes(List<Token> tokens, int dotIdx) {
    String chain = chainBefore(tokens, dotIdx - 1);
    if (chain == null) return List.of();
    Object v = catalog.resolve(chain);
    if (v == null) return List.of();
    List<Suggestion> out = new ArrayList<>();
    for (String m : Catalog.members(v)) out.add(new Suggestion(m, "members of " + Values.typeName(v), null, false));
    return out;
  }

  /** Inside a string: the choices of an enum-like parameter, or file names. */
  private Result inString(List<Token> tokens, Token str, String text, int cursor) {
    String quote = CodeTokens.quoteOf(str);
    int start = str.start() + quote.length();
    String fragment = str.text().substring(quote.length());
    if (quote.length() == 3) return new Result(cursor, "", List.of());
    boolean closed = text.startsWith(quote, cursor);
    String closing = closed ? "" : quote;
    int prevIdx = previousSignificant(tokens, tokens.size() - 2);
    String keyword = keywordOfValue(tokens, prevIdx, openBrackets(tokens, prevIdx + 1));
    if (keyword != null && Catalog.CHOICES.containsKey(keyword)) {
      List<Suggestion> out = new ArrayList<>();
      for (String v : Catalog.CHOICES.get(keyword)) out.add(new Suggestion(v + closing, keyword + " values", null, false));
      return new Result(start, fragment, out);
    }
    return new Result(start, fragment, files(fragment, closing, false));
  }

  /** File and directory names that extend {@code fragment} (a path relative to the working directory or ~/). */
  static List<Suggestion> files(String fragment, String closing, boolean complete) {
    int slash = fragment.lastIndexOf('/');
    String dirPart = slash < 0 ? "" : fragment.substring(0, slash + 1);
    String base = fragment.substring(slash + 1);
    Path dir = dirPart.isEmpty() ? Path.of(".")
        : dirPart.startsWith("~/") ? Path.of(System.getProperty("user.home"), dirPart.substring(2)) : Path.of(dirPart);
    List<Suggestion> out = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      entries.map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith(base) && (base.startsWith(".") || !name.startsWith(".")))
          .sorted()
          .forEach(name -> {
            boolean isDir = Files.isDirectory(dir.resolve(name));
            out.add(isDir ? new Suggestion(dirPart + name + "/", "files", null, false)
                : new Suggestion(dirPart + name + closing, "files", null, complete));
          });
    } catch (IOException | RuntimeException e) {
      // An unreadable or missing directory simply offers no names.
    }
    return out;
  }

  // ------------------------------------------------------------------------------ token helpers

  /** Index of the last token at or before {@code i} that is not a space, or -1. */
  private static int previousSignificant(List<Token> tokens, int i) {
    while (i >= 0 && tokens.get(i).kind() == Kind.SPACE) i--;
    return i;
  }

  /** Indices of the brackets still open among the first {@code end} tokens, innermost on top. */
  private static Deque<Integer> openBrackets(List<Token> tokens, int end) {
    Deque<Integer> open = new ArrayDeque<>();
    for (int i = 0; i < end && i < tokens.size(); i++) {
      Kind k = tokens.get(i).kind();
      if (k == Kind.OPEN) open.push(i);
      else if (k == Kind.CLOSE && !open.isEmpty()) open.pop();
    }
    return open;
  }

  /**
   * The keyword whose value is being typed after token {@code prevIdx}: {@code padding=} directly, or
   * a list or tuple given to it ({@code metrics=['acc}); null when not in a keyword argument.
   */
  private static String keywordOfValue(List<Token> tokens, int prevIdx, Deque<Integer> open) {
    if (open.isEmpty() || prevIdx < 0) return null;
    String direct = keywordBeforeEquals(tokens, prevIdx);
    if (direct != null) return direct;
    int bracket = open.peek();
    Token b = tokens.get(bracket);
    if (b.is("{") || !(prevIdx == bracket || tokens.get(prevIdx).is(","))) return null;
    return keywordBeforeEquals(tokens, previousSignificant(tokens, bracket - 1));
  }

  private static String keywordBeforeEquals(List<Token> tokens, int eqIdx) {
    if (eqIdx < 1 || !tokens.get(eqIdx).is("=")) return null;
    int nameIdx = previousSignificant(tokens, eqIdx - 1);
    return nameIdx >= 0 && tokens.get(nameIdx).kind() == Kind.NAME ? tokens.get(nameIdx).text() : null;
  }

  /** The plain {@code a.b.c} chain ending at token {@code end}, or null (calls, indexing, literals). */
  private static String chainBefore(List<Token> tokens, int end) {
    if (end < 0 || tokens.get(end).kind() != Kind.NAME) return null;
    int i = end;
    while (i >= 2 && tokens.get(i - 1).is(".") && tokens.get(i - 2).kind() == Kind.NAME) i -= 2;
    if (i >= 1 && (tokens.get(i - 1).is(".") || tokens.get(i - 1).kind() == Kind.CLOSE)) return null;
    StringBuilder sb = new StringBuilder();
    for (int j = i; j <= end; j++) sb.append(tokens.get(j).text());
    return sb.toString();
  }

  /**
   * The arguments already written directly inside the call whose "(" is token {@code open}: adds
   * the keyword names to {@code keywords} and returns how many positional arguments come before.
   */
  private static int argumentsGiven(List<Token> tokens, int open, Set<String> keywords) {
    int depth = 0;
    int positional = 0;
    boolean keywordArg = false;
    boolean empty = true;
    for (int i = open + 1; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Kind.OPEN) depth++;
      else if (t.kind() == Kind.CLOSE) depth--;
      if (depth != 0 || t.kind() == Kind.SPACE || t.kind() == Kind.NEWLINE || t.kind() == Kind.COMMENT) continue;
      if (t.is(",")) {
        if (!keywordArg && !empty) positional++;
        keywordArg = false;
        empty = true;
      } else if (t.is("=") && keywordBeforeEquals(tokens, i) != null) {
        keywords.add(keywordBeforeEquals(tokens, i));
        keywordArg = true;
      } else {
        empty = false;
      }
    }
    return positional;
  }
}
