package dln.stdlib.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
  @TempDir Path tmp;

  private Path file(String text) throws IOException {
    Path p = tmp.resolve("data.csv");
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  private DlnRuntimeException error(String text, Csv.Target target, boolean header) throws IOException {
    Path p = file(text);
    return assertThrows(DlnRuntimeException.class, () -> Csv.read(p, target, header));
  }

  @Test
  void numbersAndCategories() throws IOException {
    Path p = file("temp, sky, humidity, rain\n"
        + "21.5, sunny, 0.3, 0\n"
        + "\n"
        + "14, \"cloudy\", 0.8, 1\n"
        + "17, rainy, 0.9, 1\n"
        + "25, sunny, 0.2, 0\n");
    Csv.Table t = Csv.read(p, Csv.Target.named("rain"), true);
    assertEquals(List.of("temp", "sky=cloudy", "sky=rainy", "sky=sunny", "humidity"), t.inputNames());
    assertEquals("rain", t.targetName());
    assertArrayEquals(new long[] {4, 5}, t.data().x().shape());
    assertArrayEquals(new long[] {4, 1}, t.data().y().shape());
    assertArrayEquals(new float[] {21.5f, 0, 0, 1, 0.3f}, t.data().x().getRow(0).toFloatVector());
    assertArrayEquals(new float[] {14, 1, 0, 0, 0.8f}, t.data().x().getRow(1).toFloatVector());
    assertArrayEquals(new float[] {0, 1, 1, 0}, t.data().y().toFloatVector());
  }

  @Test
  void targetByIndexAndLastByDefault() throws IOException {
    Path p = file("1,2,3\n4,5,6\n");
    Csv.Table last = Csv.read(p, Csv.Target.LAST, false);
    assertArrayEquals(new float[] {3, 6}, last.data().y().toFloatVector());
    assertEquals(List.of("column 0", "column 1"), last.inputNames());
    Csv.Table first = Csv.read(p, Csv.Target.index(0), false);
    assertArrayEquals(new float[] {1, 4}, first.data().y().toFloatVector());
    assertArrayEquals(new float[] {2, 3, 5, 6}, first.data().x().data().asFloat());
  }

  @Test
  void semicolonsTabsQuotesAndBom() throws IOException {
    Csv.Table semi = Csv.read(file("\uFEFFa;b\n1,5;2\n"), Csv.Target.named("b"), true);
    assertEquals("a", semi.inputNames().get(0));
    assertArrayEquals(new float[] {1.5f}, semi.data().x().data().asFloat(), "decimal comma with semicolons");
    Csv.Table tab = Csv.read(file("a\tb\r\n1\t2\r\n"), Csv.Target.named("b"), true);
    assertArrayEquals(new float[] {1}, tab.data().x().data().asFloat());
    Csv.Table quoted = Csv.read(file("name,y\n\"Smith, \"\"J\"\"\",1\nDoe,0\n"), Csv.Target.named("y"), true);
    assertEquals(List.of("name=Doe", "name=Smith, \"J\""), quoted.inputNames());
  }

  @Test
  void raggedRowNamesTheLine() throws IOException {
    DlnRuntimeException e = error("a,b,c\n1,2,3\n4,5\n", Csv.Target.LAST, true);
    assertEquals("file error", e.kind());
    assertEquals(tmp.resolve("data.csv") + ":3: this row has 2 values but the header (line 1) names 3 columns", e.getMessage());
    assertEquals("every row needs one value per column", e.hint());
    e = error("1,2\n3,4,5\n", Csv.Target.LAST, false);
    assertEquals(tmp.resolve("data.csv") + ":2: this row has 3 values but line 1 has 2 columns", e.getMessage());
  }

  @Test
  void emptyAndHeaderOnlyFiles() throws IOException {
    assertEquals("cannot use " + tmp.resolve("data.csv") + ": the file is empty", error("", Csv.Target.LAST, true).getMessage());
    assertEquals("cannot use " + tmp.resolve("data.csv") + ": the file is empty", error("\n  \n", Csv.Target.LAST, true).getMessage());
    assertEquals(tmp.resolve("data.csv") + " has a header but no data rows", error("a,b\n", Csv.Target.LAST, true).getMessage());
    Path missing = tmp.resolve("nope.csv");
    assertEquals("cannot read " + missing + ": the file does not exist",
        assertThrows(DlnRuntimeException.class, () -> Csv.read(missing, Csv.Target.LAST, true)).getMessage());
  }

  @Test
  void nanInfAndEmptyCells() throws IOException {
    String f = tmp.resolve("data.csv").toString();
    DlnRuntimeException e = error("x,y\n1,2\nNaN,3\n", Csv.Target.LAST, true);
    assertEquals(f + ":3: column 'x' holds the missing value 'NaN'", e.getMessage());
    assertEquals("every cell needs a finite value: fill in the missing value or remove the row", e.hint());
    assertEquals(f + ":2: column 'y' holds the infinite value '-inf'", error("x,y\n1,-inf\n", Csv.Target.LAST, true).getMessage());
    assertEquals(f + ":3: column 'x' is empty", error("x,y\n1,2\n,3\n", Csv.Target.LAST, true).getMessage());
    assertEquals(f + ":2: column 'x' holds 1e39, too large for a float32", error("x,y\n1e39,2\n", Csv.Target.LAST, true).getMessage());
  }

  @Test
  void mixedColumnsAndTextTargets() throws IOException {
    String f = tmp.resolve("data.csv").toString();
    DlnRuntimeException e = error("age,y\n34,1\n41,0\nabc,1\n", Csv.Target.LAST, true);
    assertEquals(f + ":4: column 'age' holds 'abc' but it is a number column (line 2 holds '34')", e.getMessage());
    e = error("color,y\nred,1\nblue,0\n7,1\n", Csv.Target.LAST, true);
    assertEquals(f + ":4: column 'color' holds '7' but it is a text column (line 2 holds 'red')", e.getMessage());
    e = error("x,species\n1,setosa\n2,virginica\n", Csv.Target.named("species"), true);
    assertEquals(f + ": the target column 'species' holds text ('setosa' on line 2); the target must be a number", e.getMessage());
    assertEquals("write the classes as numbers 0, 1, 2, ..., or choose a numeric column with target=", e.hint());
  }

  @Test
  void badTargetsAndHeaders() throws IOException {
    String f = tmp.resolve("data.csv").toString();
    DlnRuntimeException e = error("a,b\n1,2\n", Csv.Target.named("price"), true);
    assertEquals(f + " has no column 'price'", e.getMessage());
    assertEquals("its columns are: a, b", e.hint());
    assertEquals("B", Csv.read(file("a,B\n1,2\n"), Csv.Target.named("b"), true).targetName());
    assertEquals("target=5 is not a column of " + f + ": it has 2 columns (0..1, or -1 for the last)",
        error("a,b\n1,2\n", Csv.Target.index(5), true).getMessage());
    e = error("1,2\n3,4\n", Csv.Target.LAST, true);
    assertEquals(f + ":1: the first line holds only numbers, so it looks like data, not a header", e.getMessage());
    assertEquals("pass header=false if the file has no header line", e.hint());
    assertEquals("target='a' names a column, but header=false means the columns have no names",
        error("1,2\n", Csv.Target.named("a"), false).getMessage());
    assertEquals(f + " has only one column: there is nothing left as input besides the target",
        error("y\n1\n", Csv.Target.LAST, true).getMessage());
    assertEquals(f + ":2: a quoted value is not closed", error("a,b\n\"x,1\n", Csv.Target.LAST, true).getMessage());
  }

  @Test
  void binaryAndHugeCategoryColumnsAreRejected() throws IOException {
    Path p = tmp.resolve("data.csv");
    Files.write(p, new byte[] {'a', ',', 'b', '\n', (byte) 0xff, (byte) 0xfe, ',', '1', '\n'});
    assertEquals("cannot read " + p + ": it is not UTF-8 text",
        assertThrows(DlnRuntimeException.class, () -> Csv.read(p, Csv.Target.LAST, true)).getMessage());
    StringBuilder sb = new StringBuilder("id,y\n");
    for (int i = 0; i < 1001; i++) sb.append("user").append(i).append(",1\n");
    assertEquals(p + ": column 'id' holds 1001 different text values; one-hot encoding it would add that many input columns",
        error(sb.toString(), Csv.Target.LAST, true).getMessage());
  }
}
