package dln.stdlib.plot;

import dln.runtime.train.History;
import dln.runtime.train.ProgressBar;
import dln.runtime.train.ProgressListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The one renderer that owns the bottom of the terminal while {@code fit} runs with a live chart:
 * a region of "Epoch k/N", the progress bar and the chart, redrawn in place (cursor up over the
 * region, clear to the end of the screen, draw). What must stay is printed above the region, into
 * the scrollback: each finished epoch's header and final bar line, and at the end the final chart.
 * Nothing else writes to the terminal meanwhile, so nothing is glued to the progress line and no
 * stray lines are left (issue 17, point 2).
 *
 * <p>Resize-safe: every redraw asks for the terminal's width, clips each line to it (so no line
 * wraps and the row count stays exact), narrows the chart to fit, and when the terminal got
 * narrower since the last draw counts the rows the old lines occupy after the terminal re-wrapped
 * them.
 */
public final class TrainingDisplay implements ProgressListener {
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final LivePlot plot;
  private final boolean bar;
  private final IntSupplier columns;
  private List<String> drawn = List.of();
  private int drawnColumns;
  private String header;
  private String progress;
  private long lastDraw;

  /**
   * @param plot the chart (recorded here at each epoch's end; it does not draw itself)
   * @param bar whether to show the header and progress bar (verbose 1) or only the chart
   * @param columns the terminal's current width
   */
  public TrainingDisplay(PrintWriter out, LivePlot plot, boolean bar, IntSupplier columns) {
    this.out = out;
    this.plot = plot;
    this.bar = bar;
    this.columns = columns;
  }

  @Override
  public void onEpochBegin(int epoch, int epochs) {
    header = bar ? "Epoch " + (epoch + 1) + "/" + epochs : null;
    progress = null;
    lastDraw = 0;
    redraw();
  }

  @Override
  public void onBatch(BatchProgress p) {
    if (!bar) return;
    long now = System.nanoTime();
    if (p.batchesDone() < p.batchesTotal() && now - lastDraw < REDRAW_NANOS) return;
    lastDraw = now;
    progress = ProgressBar.batchLine(p);
    redraw();
  }

  @Override
  public void onEpochEnd(EpochProgress p) {
    plot.record(p.logs());
    StringBuilder sb = new StringBuilder();
    erase(sb);
    // Into the scrollback: the epoch as Keras leaves it on the screen.
    int cols = width();
    if (bar) {
      sb.append(clip(header, cols)).append('\n').append(clip(ProgressBar.epochLine(p), cols)).append('\n');
    }
    header = null;
    progress = null;
    out.print(sb);
    draw(regionLines());
  }

  @Override
  public void onTrainEnd(History history, boolean interrupted) {
    StringBuilder sb = new StringBuilder();
    erase(sb);
    // The final chart stays, clean, below the epoch lines.
    if (!plot.isEmpty()) for (String l : chartLines()) sb.append(clip(l, width())).append('\n');
    if (interrupted && bar) sb.append(ProgressBar.stoppedLine(history)).append('\n');
    out.print(sb);
    out.flush();
  }

  private int width() {
    return Math.max(20, columns.getAsInt());
  }

  private List<String> chartLines() {
    // The chart's plot area is narrowed so that axis labels and plot fit the terminal.
    return plot.text(Math.max(10, width() - 12)).lines().toList();
  }

  private List<String> regionLines() {
    List<String> lines = new ArrayList<>();
    if (header != null) lines.add(header);
    if (progress != null) lines.add(progress);
    if (!plot.isEmpty()) lines.addAll(chartLines());
    return lines;
  }

  private void redraw() {
    StringBuilder sb = new StringBuilder();
    erase(sb);
    out.print(sb);
    draw(regionLines());
  }

  private void draw(List<String> lines) {
    int cols = width();
    StringBuilder sb = new StringBuilder();
    for (String l : lines) sb.append(clip(l, cols)).append('\n');
    out.print(sb);
    out.flush();
    drawn = lines;
    drawnColumns = cols;
  }

  /** Moves up over the region drawn last and clears from there to the end of the screen. */
  private void erase(StringBuilder sb) {
    if (drawn.isEmpty()) return;
    int cols = width();
    int rows = 0;
    for (String l : drawn) {
      int len = Math.min(visible(l), drawnColumns - 1);
      // A narrower terminal may have re-wrapped the old lines (tmux and most emulators reflow).
      rows += cols < drawnColumns ? Math.max(1, (len + cols - 1) / cols) : 1;
    }
    sb.append('\r').append("\u001b[").append(rows).append('A').append("\u001b[J");
    drawn = List.of();
  }

  /** The line cut to fit {@code cols - 1} visible columns (ANSI colour codes kept and closed). */
  static String clip(String line, int cols) {
    int max = cols - 1;
    if (visible(line) <= max) return line;
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    boolean colour = false;
    for (int i = 0; i < line.length() && shown < max; ) {
      char c = line.charAt(i);
      if (c == '\u001b') {
        int end = line.indexOf('m', i);
        if (end < 0) break;
        sb.append(line, i, end + 1);
        colour = true;
        i = end + 1;
        continue;
      }
      int cp = line.codePointAt(i);
      sb.appendCodePoint(cp);
      shown++;
      i += Character.charCount(cp);
    }
    if (colour) sb.append("\u001b[0m");
    return sb.toString();
  }

  /** Columns the line takes on the screen: code points, without ANSI colour codes. */
  static int visible(String line) {
    int n = 0;
    for (int i = 0; i < line.length(); ) {
      char c = line.charAt(i);
      if (c == '\u001b') {
        int end = line.indexOf('m', i);
        i = end < 0 ? line.length() : end + 1;
        continue;
      }
      n++;
      i += Character.charCount(line.codePointAt(i));
    }
    return n;
  }
}
