package dln.stdlib.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.train.History;
import dln.runtime.train.ProgressListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The live chart and the progress bar together, rendered through a VT100 screen model (the
 * escape sequences the display uses: CR, LF, cursor up, erase below, colours) at the sizes the
 * issue names, 120x40 and 150x70: the scrollback ends with every "Epoch k/N" header and final bar
 * line in order and one clean final chart; no progress line is left, none is glued to a chart
 * line, and no line is wider than the terminal.
 */
class TrainingDisplayTest {
  /** A VT100 screen: rows x cols cells, autowrap, scrolling into a scrollback. */
  static final class Screen {
    final int rows;
    final int cols;
    final List<String> scrollback = new ArrayList<>();
    final List<StringBuilder> grid = new ArrayList<>();
    int row;
    int col;

    Screen(int cols, int rows) {
      this.rows = rows;
      this.cols = cols;
      for (int i = 0; i < rows; i++) grid.add(new StringBuilder());
    }

    void feed(String s) {
      for (int i = 0; i < s.length(); ) {
        char c = s.charAt(i);
        if (c == '\u001b' && i + 1 < s.length() && s.charAt(i + 1) == '[') {
          int j = i + 2;
          while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == ';')) j++;
          String arg = s.substring(i + 2, j);
          char cmd = s.charAt(j);
          int n = arg.isEmpty() ? 1 : Integer.parseInt(arg.split(";")[0]);
          switch (cmd) {
            case 'A' -> row = Math.max(0, row - n);
            case 'J' -> {
              cut(grid.get(row), col);
              for (int r = row + 1; r < rows; r++) grid.get(r).setLength(0);
            }
            case 'K' -> cut(grid.get(row), col);
            case 'm' -> { }
            default -> throw new AssertionError("escape sequence the model does not know: ESC[" + arg + cmd);
          }
          i = j + 1;
          continue;
        }
        if (c == '\r') {
          col = 0;
        } else if (c == '\n') {
          col = 0; // the tty's onlcr
          lineFeed();
        } else {
          if (col == cols) {
            col = 0;
            lineFeed();
          }
          StringBuilder line = grid.get(row);
          while (line.length() < col) line.append(' ');
          int cp = s.codePointAt(i);
          String ch = new String(Character.toChars(cp));
          if (line.length() == col) line.append(ch);
          else line.replace(line.offsetByCodePoints(0, col), line.offsetByCodePoints(0, col + 1), ch);
          col++;
          i += Character.charCount(cp);
          continue;
        }
        i++;
      }
    }

    private static void cut(StringBuilder line, int col) {
      if (line.codePointCount(0, line.length()) > col) line.setLength(line.offsetByCodePoints(0, col));
    }

    private void lineFeed() {
      if (row == rows - 1) {
        scrollback.add(grid.remove(0).toString());
        grid.add(new StringBuilder());
      } else {
        row++;
      }
    }

    /** Scrollback and screen, trailing blank rows dropped. */
    List<String> all() {
      List<String> out = new ArrayList<>(scrollback);
      for (StringBuilder b : grid) out.add(b.toString());
      while (!out.isEmpty() && out.get(out.size() - 1).isBlank()) out.remove(out.size() - 1);
      return out;
    }
  }

  static List<String> train(int cols, int rows, int epochs) {
    StringWriter buf = new StringWriter();
    PrintWriter out = new PrintWriter(buf, true);
    LivePlot plot = new LivePlot(out, true, ColorMode.of(true), 50, 8);
    TrainingDisplay d = new TrainingDisplay(out, plot, true, () -> cols);
    Screen screen = new Screen(cols, rows);
    History h = new History();
    int batches = 12;
    for (int e = 0; e < epochs; e++) {
      d.onEpochBegin(e, epochs);
      for (int b = 1; b <= batches; b++) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", 1.0 / (e + 1 + b / 12.0));
        logs.put("accuracy", 0.5 + 0.04 * e);
        // elapsed is set so that every batch redraws (the display throttles by wall time otherwise)
        d.onBatch(new ProgressListener.BatchProgress(e, epochs, b, batches, b * 200_000_000L, logs));
        screen.feed(buf.toString());
        buf.getBuffer().setLength(0);
        try {
          Thread.sleep(b == batches / 2 ? 110 : 0);
        } catch (InterruptedException ex) {
          throw new AssertionError(ex);
        }
      }
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("loss", 1.0 / (e + 2));
      logs.put("accuracy", 0.5 + 0.04 * e);
      logs.put("val_loss", 1.1 / (e + 2));
      logs.put("val_accuracy", 0.48 + 0.04 * e);
      h.append(e, logs);
      d.onEpochEnd(new ProgressListener.EpochProgress(e, epochs, batches, 2_400_000_000L, logs));
      screen.feed(buf.toString());
      buf.getBuffer().setLength(0);
    }
    d.onTrainEnd(h, false);
    screen.feed(buf.toString());
    return screen.all();
  }

  private static void check(int cols, int rows) {
    int epochs = 6;
    List<String> lines = train(cols, rows, epochs);
    String all = String.join("\n", lines);
    int at = -1;
    for (int e = 1; e <= epochs; e++) {
      int header = lines.indexOf("Epoch " + e + "/" + epochs);
      assertTrue(header > at, "Epoch " + e + "/" + epochs + " in order in the scrollback:\n" + all);
      assertTrue(lines.get(header + 1).startsWith("12/12 [==============================] - 2s 200ms/step - loss: "), lines.get(header + 1));
      at = header;
    }
    for (String l : lines) {
      assertFalse(l.contains("ETA"), "no live progress line is left behind: " + l);
      assertTrue(l.codePointCount(0, l.length()) < cols, "no line wraps: " + l);
      if (l.contains("loss: ")) assertFalse(l.matches(".*[\u2800-\u28ff┤│].*"), "a chart glued to a progress line: " + l);
    }
    assertEquals(1, lines.stream().filter(l -> l.strip().equals("loss")).count(), "one final loss chart:\n" + all);
    assertEquals(1, lines.stream().filter(l -> l.strip().equals("accuracy")).count(), "one final accuracy chart:\n" + all);
    int chart = lines.indexOf(lines.stream().filter(l -> l.strip().equals("loss")).findFirst().orElseThrow());
    assertTrue(chart > at, "the final chart comes after the last epoch's lines");
  }

  @Test
  void at120x40() {
    check(120, 40);
  }

  @Test
  void at150x70() {
    check(150, 70);
  }

  @Test
  void aNarrowTerminalGetsClippedLines() {
    List<String> lines = train(60, 40, 2);
    for (String l : lines) assertTrue(l.codePointCount(0, l.length()) < 60, l);
    assertTrue(lines.contains("Epoch 2/2"));
  }
}
