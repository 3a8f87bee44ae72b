package dln.interp;

/** A position in source: 1-based line, 0-based column (shown 1-based). */
public record Pos(Source source, int line, int col) {
  @Override
  public String toString() {
    return source.name() + ":" + line + ":" + (col + 1);
  }
}
