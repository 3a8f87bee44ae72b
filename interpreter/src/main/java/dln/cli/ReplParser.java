package dln.cli;

import dln.cli.CodeTokens.Kind;
import dln.cli.CodeTokens.Token;
import dln.interp.DlnException;
import dln.interp.Source;
import dln.interp.parse.Parsing;
import java.util.List;
import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

/**
 * Tells JLine when an entry is complete and what word Tab completes. An unfinished entry (open
 * bracket, a block without its closing empty line) continues on a new line, indented like the one
 * before it, one level deeper after a line ending in ":" or opening a bracket, one level shallower
 * after {@code return}, {@code pass}, {@code break} or {@code continue}.
 */
final class ReplParser implements Parser {
  static final int INDENT = 4;

  private final DlnCompleter completer;

  ReplParser(DlnCompleter completer) {
    this.completer = completer;
  }

  @Override
  public ParsedLine parse(String line, int cursor, ParseContext context) {
    if (context == ParseContext.ACCEPT_LINE && needsMore(line)) {
      // JLine indents the new line by openBrackets × the INDENTATION variable, which the REPL sets to 1.
      throw new EOFError(-1, -1, "incomplete input", null, indentAfter(line), null);
    }
    if (context == ParseContext.COMPLETE) {
      DlnCompleter.Result r = completer.analyze(line, cursor);
      return new Word(line, cursor, r.wordStart());
    }
    return new Word(line, cursor, cursor);
  }

  /** Decides when an entry is complete: brackets closed, and a block ended by an empty line. */
  static boolean needsMore(String buffer) {
    String[] lines = buffer.split("\n", -1);
    if (lines.length > 0 && lines[0].strip().startsWith(":")) return false;
    boolean opensBlock = false;
    for (String l : lines) {
      if (codeOf(l).endsWith(":")) opensBlock = true;
    }
    if (opensBlock && !lines[lines.length - 1].isBlank()) return true;
    try {
      Parsing.parse(new Source("<repl>", buffer));
      return false;
    } catch (DlnException e) {
      return Parsing.isIncomplete(e) && !buffer.endsWith("\n\n");
    }
  }

  /** Spaces to start the next continuation line with. */
  static int indentAfter(String buffer) {
    String last = buffer.substring(buffer.lastIndexOf('\n') + 1);
    int indent = 0;
    while (indent < last.length() && last.charAt(indent) == ' ') indent++;
    String code = codeOf(last);
    if (code.endsWith(":") || bracketDepth(last) > 0) return indent + INDENT;
    String first = code.strip().split("[\\s(]", 2)[0];
    if (List.of("return", "pass", "break", "continue").contains(first)) return Math.max(0, indent - INDENT);
    return indent;
  }

  /** The line without its comment and trailing spaces (strings containing '#' stay intact). */
  private static String codeOf(String line) {
    StringBuilder sb = new StringBuilder();
    for (Token t : CodeTokens.scan(line)) if (t.kind() != Kind.COMMENT) sb.append(t.text());
    return sb.toString().stripTrailing();
  }

  private static int bracketDepth(String line) {
    int depth = 0;
    for (Token t : CodeTokens.scan(line)) {
      if (t.kind() == Kind.OPEN) depth++;
      else if (t.kind() == Kind.CLOSE) depth--;
    }
    return depth;
  }

  /** The parsed line for JLine: the whole entry, with the word being completed ending at the cursor. */
  private record Word(String line, int cursor, int wordStart) implements CompletingParsedLine {
    @Override
    public String word() {
      return line.substring(wordStart, cursor);
    }

    @Override
    public int wordCursor() {
      return cursor - wordStart;
    }

    @Override
    public int wordIndex() {
      return 0;
    }

    @Override
    public List<String> words() {
      return List.of(word());
    }

    @Override
    public CharSequence escape(CharSequence candidate, boolean complete) {
      return candidate; // completions are inserted verbatim: quotes are part of DLN strings
    }

    @Override
    public int rawWordCursor() {
      return wordCursor();
    }

    @Override
    public int rawWordLength() {
      return word().length();
    }
  }
}
