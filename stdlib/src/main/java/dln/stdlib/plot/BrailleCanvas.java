package dln.stdlib.plot;

/**
 * A drawing surface of braille dots: each character cell holds 2x4 dots (U+2800 block), so a
 * 60x15 cell chart has 120x60 dots of resolution. Each cell remembers the series that drew last in
 * it (its colour) and may carry a marker glyph that replaces the dots.
 */
final class BrailleCanvas {
  /** Dot bit for (column dx, row dy) inside a cell, in the Unicode braille numbering. */
  private static final int[][] BITS = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};

  final int cols;
  final int rows;
  private final int[][] dots;
  private final int[][] owner;
  private final char[][] marker;

  BrailleCanvas(int cols, int rows) {
    this.cols = cols;
    this.rows = rows;
    dots = new int[rows][cols];
    owner = new int[rows][cols];
    marker = new char[rows][cols];
    for (int[] r : owner) java.util.Arrays.fill(r, -1);
  }

  int dotWidth() {
    return cols * 2;
  }

  int dotHeight() {
    return rows * 4;
  }

  /** Sets the dot at (x, y), y down; dots outside the canvas are ignored. */
  void set(int x, int y, int series) {
    if (x < 0 || y < 0 || x >= dotWidth() || y >= dotHeight()) return;
    dots[y / 4][x / 2] |= BITS[y % 4][x % 2];
    owner[y / 4][x / 2] = series;
  }

  /**
   * Draws a line with Bresenham's algorithm; {@code pattern} is a dash mask over 8 steps (0xff =
   * solid), so series stay distinguishable when there is no colour. {@code phase} continues the
   * dash pattern from the previous segment of the same series; the new phase is returned.
   */
  int line(int x0, int y0, int x1, int y1, int series, int pattern, int phase) {
    int dx = Math.abs(x1 - x0), dy = -Math.abs(y1 - y0);
    int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    int step = phase;
    while (true) {
      if ((pattern >> (step & 7) & 1) != 0) set(x0, y0, series);
      step++;
      if (x0 == x1 && y0 == y1) break;
      int e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
    // The end point is the next segment's start: do not count it twice.
    return step - 1;
  }

  /** Puts a marker glyph in the cell holding dot (x, y). */
  void mark(int x, int y, char glyph, int series) {
    if (x < 0 || y < 0 || x >= dotWidth() || y >= dotHeight()) return;
    marker[y / 4][x / 2] = glyph;
    owner[y / 4][x / 2] = series;
  }

  /** The character for a cell: its marker, its braille dots, or a blank braille cell. */
  char charAt(int row, int col) {
    if (marker[row][col] != 0) return marker[row][col];
    int d = dots[row][col];
    return d == 0 ? ' ' : (char) (0x2800 + d);
  }

  /** The series that drew last in a cell, or -1. */
  int ownerAt(int row, int col) {
    return owner[row][col];
  }
}
