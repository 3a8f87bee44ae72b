package dln.stdlib.data;

import dln.runtime.DlnRuntimeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads a user's own tabular data: a CSV file with one sample per line and one target column.
 *
 * <p>Number columns become input columns as they are; text columns (categories such as "red",
 * "green") are one-hot encoded into one 0/1 column per distinct value, in sorted order. The target
 * must be numeric (a class index or a value to regress). Blank lines are skipped; fields may be
 * quoted ("a, b"); the separator is a comma, or a semicolon or tab when the first line has no comma
 * (with semicolons, a decimal comma as in {@code 1,5} is read as 1.5).
 * Anything else is an error naming the file, the line and the column: rows of the wrong length,
 * empty or missing cells, NaN and infinities, a column mixing numbers and text.
 */
public final class Csv {
  /** More distinct values than this in a text column is almost always an id or free text. */
  static final int MAX_CATEGORIES = 1000;
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern DECIMAL_COMMA = Pattern.compile("[+-]?\\d*,\\d+([eE][+-]?\\d+)?");
  private static final Set<String> MISSING = Set.of("na", "n/a", "nan", "+nan", "-nan", "null", "?");
  private static final Set<String> INFINITE = Set.of("inf", "+inf", "-inf", "infinity", "+infinity", "-infinity");

  private Csv() {}

  /** Which column is the target: by header name, by 0-based index (negative counts from the end), or the last one. */
  public sealed interface Target {
    Target LAST = new Index(-1);

    static Target named(String name) {
      return new Name(name);
    }

    static Target index(int i) {
      return new Index(i);
    }

    record Name(String name) implements Target {}

    record Index(int index) implements Target {}
  }

  /**
   * The loaded data: {@code data.x} [rows, inputs] and {@code data.y} [rows, 1] (float32), the
   * names of the input columns (a one-hot column is named {@code column=value}) and the target's name.
   */
  public record Table(XY data, List<String> inputNames, String targetName) {}

  /** Reads {@code file}; {@code header} says whether its first line names the columns. */
  public static Table read(Path file, Target target, boolean header) {
    List<Row> rows = parse(file);
    if (rows.isEmpty()) {
      throw DlnRuntimeException.io("cannot use " + file + ": the file is empty", "a CSV file has one sample per line, values separated by commas");
    }
    List<String> names = new ArrayList<>();
    int width = rows.get(0).cells.size();
    Row first = rows.get(0);
    if (header) {
      boolean allNumbers = true;
      for (String c : first.cells) allNumbers &= NUMBER.matcher(c).matches();
      if (allNumbers) {
        throw DlnRuntimeException.io(file + ":" + first.line + ": the first line holds only numbers, so it looks like data, not a header",
            "pass header=false if the file has no header line");
      }
      for (int j = 0; j < width; j++) names.add(first.cells.get(j).isEmpty() ? "column " + j : first.cells.get(j));
      rows = rows.subList(1, rows.size());
      if (rows.isEmpty()) {
        throw DlnRuntimeException.io(file + " has a header but no data rows", null);
      }
    } else {
      for (int j = 0; j < width; j++) names.add("column " + j);
    }
    for (Row r : rows) {
      if (r.cells.size() != width) {
        throw DlnRuntimeException.io(file + ":" + r.line + ": this row has " + r.cells.size() + " value" + (r.cells.size() == 1 ? "" : "s")
            + " but " + (header ? "the header (line " + first.line + ") names " : "line " + first.line + " has ") + width
            + " column" + (width == 1 ? "" : "s"), "every row needs one value per column");
      }
    }
    int t = targetColumn(file, target, names, header);
    if (width < 2) {
      throw DlnRuntimeException.io(file + " has only one column: there is nothing left as input besides the target", null);
    }
    checkCells(file, rows, names);
    boolean[] numeric = columnKinds(file, rows, names);
    if (!numeric[t]) {
      Row r = rows.get(0);
      throw DlnRuntimeException.io(file + ": the target column '" + names.get(t) + "' holds text ('" + r.cells.get(t) + "' on line " + r.line
          + "); the target must be a number", "write the classes as numbers 0, 1, 2, ..., or choose a numeric column with target=");
    }
    return build(file, rows, names, numeric, t);
  }

  private static Table build(Path file, List<Row> rows, List<String> names, boolean[] numeric, int t) {
    int n = rows.size();
    int width = names.size();
    List<String> inputs = new ArrayList<>();
    List<List<String>> categories = new ArrayList<>();
    for (int j = 0; j < width; j++) {
      List<String> cats = null;
      if (j != t && !numeric[j]) {
        TreeSet<String> set = new TreeSet<>();
        for (Row r : rows) set.add(r.cells.get(j));
        if (set.size() > MAX_CATEGORIES) {
          throw DlnRuntimeException.io(file + ": column '" + names.get(j) + "' holds " + set.size()
                  + " different text values; one-hot encoding it would add that many input columns",
              "drop the column (an id or free text helps no model) or encode it as numbers");
        }
        cats = new ArrayList<>(set);
        for (String c : cats) inputs.add(names.get(j) + "=" + c);
      } else if (j != t) {
        inputs.add(names.get(j));
      }
      categories.add(cats);
    }
    int k = inputs.size();
    float[] x = new float[n * k];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      int col = 0;
      for (int j = 0; j < width; j++) {
        String cell = r.cells.get(j);
        if (j == t) {
          y[i] = number(file, r, names.get(j), cell);
        } else if (categories.get(j) == null) {
          x[i * k + col++] = number(file, r, names.get(j), cell);
        } else {
          List<String> cats = categories.get(j);
          x[i * k + col + java.util.Collections.binarySearch(cats, cell)] = 1f;
          col += cats.size();
        }
      }
    }
    XY data = new XY(Nd4j.create(x, new long[] {n, k}, 'c'), Nd4j.create(y, new long[] {n, 1}, 'c'));
    return new Table(data, List.copyOf(inputs), names.get(t));
  }

  private static float number(Path file, Row r, String column, String cell) {
    double v = Double.parseDouble(cell);
    if (Math.abs(v) > Float.MAX_VALUE) {
      throw DlnRuntimeException.io(file + ":" + r.line + ": column '" + column + "' holds " + cell + ", too large for a float32",
          "scale the column down (for example divide it by 1e6)");
    }
    return (float) v;
  }

  private static int targetColumn(Path file, Target target, List<String> names, boolean header) {
    int width = names.size();
    if (target instanceof Target.Name named) {
      String name = named.name();
      if (!header) {
        throw DlnRuntimeException.value("target='" + name + "' names a column, but header=false means the columns have no names",
            "give the target's index instead, e.g. target=" + (width - 1) + " for the last column");
      }
      int i = names.indexOf(name);
      if (i < 0) {
        for (int j = 0; j < width; j++) if (names.get(j).equalsIgnoreCase(name)) i = j;
      }
      if (i < 0) {
        throw DlnRuntimeException.value(file + " has no column '" + name + "'", "its columns are: " + String.join(", ", names));
      }
      return i;
    }
    int index = ((Target.Index) target).index();
    int i = index < 0 ? width + index : index;
    if (i < 0 || i >= width) {
      throw DlnRuntimeException.value("target=" + index + " is not a column of " + file + ": it has " + width
          + " column" + (width == 1 ? "" : "s") + " (0.." + (width - 1) + ", or -1 for the last)", null);
    }
    return i;
  }

  /** Empty, missing and infinite cells, reported at the earliest line. */
  private static void checkCells(Path file, List<Row> rows, List<String> names) {
    for (Row r : rows) {
      for (int j = 0; j < names.size(); j++) {
        String cell = r.cells.get(j);
        String low = cell.toLowerCase(Locale.ROOT);
        String problem = cell.isEmpty() ? "is empty" : MISSING.contains(low) ? "holds the missing value '" + cell + "'"
            : INFINITE.contains(low) ? "holds the infinite value '" + cell + "'" : null;
        if (problem != null) {
          throw DlnRuntimeException.io(file + ":" + r.line + ": column '" + names.get(j) + "' " + problem,
              "every cell needs a finite value: fill in the missing value or remove the row");
        }
      }
    }
  }

  /** True for number columns. A column mixing numbers and text is an error at its first odd cell. */
  private static boolean[] columnKinds(Path file, List<Row> rows, List<String> names) {
    boolean[] numeric = new boolean[names.size()];
    for (int j = 0; j < names.size(); j++) {
      int numbers = 0;
      Row firstNumber = null;
      Row firstText = null;
      for (Row r : rows) {
        if (NUMBER.matcher(r.cells.get(j)).matches()) {
          numbers++;
          if (firstNumber == null) firstNumber = r;
        } else if (firstText == null) {
          firstText = r;
        }
      }
      numeric[j] = numbers * 2 >= rows.size();
      if (firstNumber != null && firstText != null) {
        Row odd = numeric[j] ? firstText : firstNumber;
        Row usual = numeric[j] ? firstNumber : firstText;
        throw DlnRuntimeException.io(file + ":" + odd.line + ": column '" + names.get(j) + "' holds '" + odd.cells.get(j) + "' but it is a "
                + (numeric[j] ? "number" : "text") + " column (line " + usual.line + " holds '" + usual.cells.get(j) + "')",
            numeric[j] ? "fix the value; a column of categories must hold text in every row"
                : "a text column is one-hot encoded as categories; write every value as text, or fix the number");
      }
    }
    return numeric;
  }

  private record Row(int line, List<String> cells) {}

  private static List<Row> parse(Path file) {
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (NoSuchFileException e) {
      throw DlnRuntimeException.io("cannot read " + file + ": the file does not exist", null);
    } catch (CharacterCodingException e) {
      throw DlnRuntimeException.io("cannot read " + file + ": it is not UTF-8 text", "save the file as UTF-8 CSV");
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot read " + file + ": " + e.getMessage(), null);
    }
    if (text.startsWith("\uFEFF")) text = text.substring(1); // Excel's byte-order mark
    String[] lines = text.split("\r\n|\n|\r", -1);
    char sep = ',';
    for (String l : lines) {
      if (l.isBlank()) continue;
      if (l.indexOf(',') < 0) sep = l.indexOf(';') >= 0 ? ';' : l.indexOf('\t') >= 0 ? '\t' : ',';
      break;
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) continue;
      if (lines[i].indexOf('\0') >= 0) {
        throw DlnRuntimeException.io(file + ":" + (i + 1) + ": the line holds a NUL byte; this is not a text file", null);
      }
      List<String> cells = split(file, i + 1, lines[i], sep);
      if (sep == ';') {
        // Semicolon files come from locales that write decimals with a comma: 1,5 is 1.5.
        cells.replaceAll(c -> DECIMAL_COMMA.matcher(c).matches() ? c.replace(',', '.') : c);
      }
      rows.add(new Row(i + 1, cells));
    }
    return rows;
  }

  /** Splits one line; fields may be quoted with "..." and "" inside quotes stands for one quote. */
  private static List<String> split(Path file, int line, String s, char sep) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    int i = 0;
    while (true) {
      while (i < s.length() && (s.charAt(i) == ' ' || (s.charAt(i) == '\t' && sep != '\t'))) i++;
      cell.setLength(0);
      if (i < s.length() && s.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= s.length()) {
            throw DlnRuntimeException.io(file + ":" + line + ": a quoted value is not closed", "values in quotes must end with a quote on the same line");
          }
          char c = s.charAt(i++);
          if (c == '"') {
            if (i < s.length() && s.charAt(i) == '"') {
              cell.append('"');
              i++;
            } else {
              break;
            }
          } else {
            cell.append(c);
          }
        }
        while (i < s.length() && s.charAt(i) != sep) {
          if (!Character.isWhitespace(s.charAt(i))) {
            throw DlnRuntimeException.io(file + ":" + line + ": text follows a closing quote", "put the whole value inside the quotes");
          }
          i++;
        }
        cells.add(cell.toString());
      } else {
        int end = s.indexOf(sep, i);
        if (end < 0) end = s.length();
        cells.add(s.substring(i, end).strip());
        i = end;
      }
      if (i >= s.length()) break;
      i++; // the separator
      if (i == s.length()) {
        cells.add(""); // a trailing separator ends with an empty cell
        break;
      }
    }
    return cells;
  }
}
