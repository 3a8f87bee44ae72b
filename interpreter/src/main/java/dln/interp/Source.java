package dln.interp;

import java.util.List;

/** A named piece of DLN source text (a file, a REPL entry, an -e snippet), split into lines. */
public final class Source {
  private final String name;
  private final String text;
  private final List<String> lines;

  public Source(String name, String text) {
    this.name = name;
    this.text = text;
    this.lines = List.of(text.split("\r\n|\r|\n", -1));
  }

  public String name() {
    return name;
  }

  public String text() {
    return text;
  }

  /** The 1-based line, or "" when out of range. */
  public String line(int line) {
    return line >= 1 && line <= lines.size() ? lines.get(line - 1) : "";
  }
}
