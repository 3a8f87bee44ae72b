package dln.cli;

import dln.interp.DlnException;
import dln.interp.Interpreter;
import dln.interp.Source;
import dln.interp.parse.Parsing;
import java.util.List;

/**
 * The REPL's editing help for other front ends (the Jupyter kernel): the same completion, the same
 * {@code :help} text and the same rules for when an entry is complete, over one interpreter.
 */
public final class Assist {
  /** Completions of the word ending at the cursor: replace {@code [start, end)} with one of {@code matches}. */
  public record Completion(int start, int end, List<String> matches) {}

  /** Whether an entry can run: complete, needs more lines (indent the next one by {@code indent}), or invalid. */
  public record Readiness(String status, String indent) {
    public static final String COMPLETE = "complete";
    public static final String INCOMPLETE = "incomplete";
    public static final String INVALID = "invalid";
  }

  private final Catalog catalog;
  private final DlnCompleter completer;

  public Assist(Interpreter interpreter) {
    this.catalog = new Catalog(interpreter);
    this.completer = new DlnCompleter(catalog);
  }

  /** What Tab offers at {@code cursor} in {@code code}: names, members after '.', keyword arguments, files. */
  public Completion complete(String code, int cursor) {
    int at = Math.max(0, Math.min(cursor, code.length()));
    DlnCompleter.Result r = completer.analyze(code, at);
    return new Completion(r.wordStart(), at, r.matching());
  }

  /** The {@code :help} text for a topic (a builtin, layer, method, user function, variable or :command). */
  public String help(String topic) {
    return Help.text(catalog, topic);
  }

  /** The {@code :vars} listing: the session's variables with their types and shapes. */
  public String vars() {
    return Help.vars(catalog);
  }

  /**
   * The full name of a REPL command typed in full or as a unique abbreviation ({@code :h} is
   * {@code :help}); null for none, with {@code why} the REPL's explanation (ambiguous or unknown).
   */
  public static String command(String typed, StringBuilder why) {
    if (typed.equals(":q") || typed.equals(":exit")) return ":quit";
    List<Catalog.Command> matches = Catalog.commandsMatching(typed);
    if (matches.size() == 1) return matches.get(0).name();
    if (matches.size() > 1) {
      why.append(typed).append(" could be ").append(String.join(" or ", matches.stream().map(Catalog.Command::name).toList()));
    } else {
      String close = dln.runtime.nn.Names.closest(typed, Catalog.COMMANDS.stream().map(Catalog.Command::name).toList());
      why.append("unknown command ").append(typed).append(close != null ? " (did you mean " + close + "?)" : " (:help lists the commands)");
    }
    return null;
  }

  /** True when {@code :help topic} knows the topic (a known name, method or command), not a "no help" reply. */
  public boolean knows(String topic) {
    if (topic.isEmpty()) return false;
    return !help(topic).startsWith("no help for ");
  }

  /**
   * The name or attribute chain under (or just before) the cursor, such as {@code model.fit} in
   * {@code model.fi|t(x)}; empty when the cursor is not on a name.
   */
  public static String topicAt(String code, int cursor) {
    int at = Math.max(0, Math.min(cursor, code.length()));
    int end = at;
    while (end < code.length() && isNameChar(code.charAt(end))) end++;
    int start = at;
    while (start > 0 && (isNameChar(code.charAt(start - 1)) || code.charAt(start - 1) == '.')) start--;
    String chain = code.substring(start, end);
    while (chain.startsWith(".")) chain = chain.substring(1);
    if (chain.isEmpty() && at > 0 && code.charAt(at - 1) == '(') {
      // Right after "fn(": the function being called, as IPython's Shift-Tab does.
      return topicAt(code, at - 1);
    }
    return chain.endsWith(".") ? chain.substring(0, chain.length() - 1) : chain;
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }

  /**
   * The REPL's continuation rules for a whole cell: an open bracket or string continues, so does a
   * block (a line ending in ':') until an empty line; a syntax error that more text cannot fix is invalid.
   */
  public static Readiness readiness(String code) {
    if (ReplParser.needsMore(code)) {
      return new Readiness(Readiness.INCOMPLETE, " ".repeat(ReplParser.indentAfter(code)));
    }
    if (code.strip().startsWith(":")) return new Readiness(Readiness.COMPLETE, "");
    try {
      Parsing.parse(new Source("<cell>", code));
      return new Readiness(Readiness.COMPLETE, "");
    } catch (DlnException e) {
      return new Readiness(Readiness.INVALID, "");
    }
  }
}
