package dln.interp;

import java.util.List;

/** A named piece of DLN source text (a file, a REPL entry, an -e snippet), split into lines. */
public final class Source {
  /** Compiled once: String.split compiles a multi-character pattern on every call. */
  private static final java.util.regex.Pattern LINE_BREAK = java.util.regex.Pattern.compile("\r\n|\r|\n");

  private final String name;
  private final String text;
  private final List<String> lines;
  private final Source shownAs;

  public Source(String name, String text) {
    this(name, text, null);
  }

  /**
   * Text parsed in place of part of {@code shownAs} (an f-string's {@code {expression}}), laid out
   * at the same lines and columns: errors in it point into, and show, the original lines.
   */
  public Source(String name, String text, Source shownAs) {
    this.name = name;
    this.text = text;
    this.lines = List.of(LINE_BREAK.split(text, -1));
    this.shownAs = shownAs;
  }

  public String name() {
    return name;
  }

  public String text() {
    return text;
  }

  /** The 1-based line, or "" when out of range. */
  public String line(int line) {
    if (shownAs != null) return shownAs.line(line);
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }
}
