package dln.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.DlnException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The {@link Dln} facade as an embedding host uses it. */
class DlnApiTest {
  private final StringWriter out = new StringWriter();
  private final Dln dln = Dln.builder().out(out).err(out).build();

  @Test
  void evalReturnsTheLastExpressionAsJava() {
    assertEquals(7L, dln.eval("a = 3\na + 4"));
    assertNull(dln.eval("b = 1"), "a final assignment has no value");
    assertEquals(2.5, dln.eval("5 / 2"));
    assertEquals("ab", dln.eval("'a' + 'b'"));
    assertEquals(List.of(1L, 2L), dln.eval("[1, 2]"));
    assertEquals(List.of(1L, "x"), dln.eval("(1, 'x')"));
    assertEquals(Map.of("k", 1L), dln.eval("{'k': 1}"));
    assertNull(dln.eval("none"));
  }

  @Test
  void printGoesToTheConfiguredWriter() {
    dln.eval("print('hello', 42)");
    assertEquals("hello 42\n", out.toString().replace("\r\n", "\n"));
  }

  @Test
  void evalFromPathAndReader(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("s.dln");
    Files.writeString(script, "def sq(v):\n    return v * v\nsq(9)\n");
    assertEquals(81L, dln.eval(script));
    assertEquals(16L, dln.eval(new StringReader("sq(4)"), "r.dln"));
    DlnException e = assertThrows(DlnException.class, () -> dln.eval(dir.resolve("missing.dln")));
    assertEquals("file error", e.kind());
  }

  @Test
  void setAndGetConvertArraysToTensorsAndBack() {
    dln.set("x", new float[] {1, 2, 3});
    INDArray x = dln.get("x", INDArray.class);
    assertEquals(DataType.FLOAT, x.dataType());
    assertArrayEquals(new long[] {3}, x.shape());
    dln.eval("y = x * 2 + 1");
    assertArrayEquals(new float[] {3, 5, 7}, dln.get("y", float[].class));
    assertArrayEquals(new double[] {3, 5, 7}, dln.get("y", double[].class));
    assertArrayEquals(new int[] {3, 5, 7}, dln.get("y", int[].class));

    dln.set("m", new double[][] {{1, 2}, {3, 4}, {5, 6}});
    INDArray m = dln.get("m", INDArray.class);
    assertEquals(DataType.FLOAT, m.dataType(), "double arrays become DLN's float32");
    assertArrayEquals(new long[] {3, 2}, m.shape());
    assertArrayEquals(new float[][] {{1, 2}, {3, 4}, {5, 6}}, dln.get("m", float[][].class));
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, dln.get("m", double[].class), "float[] flattens row-major");

    dln.set("labels", new int[] {0, 2, 1});
    assertEquals(DataType.INT, dln.get("labels", INDArray.class).dataType());
    assertArrayEquals(new long[] {0, 2, 1}, dln.get("labels", long[].class));
  }

  @Test
  void tensorsAreSharedNotCopied() {
    INDArray t = Nd4j.createFromArray(1f, 2f);
    dln.set("t", t);
    assertSame(t, dln.get("t"));
  }

  @Test
  void numbersStringsBooleansListsAndMaps() {
    dln.set("i", 5);
    dln.set("f", 1.5f);
    dln.set("s", "hi");
    dln.set("b", true);
    dln.set("n", null);
    dln.set("l", List.of(1, 2.5, "z"));
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("lr", 0.01);
    cfg.put("layers", List.of(64, 10));
    dln.set("cfg", cfg);
    assertEquals(List.of("int", "float", "str", "bool", "NoneType", "list", "dict"),
        dln.eval("[type(v).__name__ for v in [i, f, s, b, n, l, cfg]]"));
    assertEquals(6L, dln.eval("i + 1"));
    assertEquals(10L, dln.eval("cfg['layers'][1]"));
    assertEquals(5, dln.get("i", Integer.class));
    assertEquals(5, (int) dln.get("i", int.class));
    assertEquals(5.0, dln.get("i", Double.class));
    assertEquals(1.5f, dln.get("f", Float.class));
    assertEquals("hi", dln.get("s", String.class));
    assertEquals(true, dln.get("b", Boolean.class));
    assertNull(dln.get("n", String.class));
    assertEquals(List.of(1L, 2.5, "z"), dln.get("l", List.class));
    assertEquals(Map.of("lr", 0.01, "layers", List.of(64L, 10L)), dln.get("cfg", Map.class));
    assertNull(dln.get("undefined_name"));
  }

  @Test
  void listsComeBackAsCopies() {
    dln.eval("xs = [1, 2]");
    @SuppressWarnings("unchecked")
    List<Object> xs = (List<Object>) dln.get("xs");
    xs.add(3L);
    assertEquals(2L, dln.eval("len(xs)"));
    assertInstanceOf(ArrayList.class, xs);
  }

  @Test
  void badConversionsAreClearTypeErrors() {
    dln.set("s", "text");
    DlnException e = assertThrows(DlnException.class, () -> dln.get("s", float[].class));
    assertEquals("type error", e.kind());
    assertEquals("variable 's' is a DLN string and cannot become a Java float[]", e.getMessage());
    dln.set("x", new float[] {1.5f});
    e = assertThrows(DlnException.class, () -> dln.get("x", int[].class));
    assertTrue(e.getMessage().contains("fractional"), e.getMessage());
    dln.set("v", new float[] {1, 2});
    e = assertThrows(DlnException.class, () -> dln.get("v", float[][].class));
    assertTrue(e.getMessage().contains("rank 1"), e.getMessage());
    dln.eval("big = 3000000000");
    e = assertThrows(DlnException.class, () -> dln.get("big", Integer.class));
    assertTrue(e.getMessage().contains("outside the range of a Java Integer"), e.getMessage());
    e = assertThrows(DlnException.class, () -> dln.get("bigg", Long.class));
    assertEquals("name error", e.kind());
    assertEquals("did you mean 'big'?", e.hint());
    e = assertThrows(DlnException.class, () -> dln.set("t", new Thread()));
    assertEquals("type error", e.kind());
    e = assertThrows(DlnException.class, () -> dln.set("r", new float[][] {{1, 2}, {3}}));
    assertTrue(e.getMessage().contains("ragged"), e.getMessage());
    e = assertThrows(DlnException.class, () -> dln.set("not a name", 1));
    assertEquals("name error", e.kind());
  }

  @Test
  void callRunsDlnFunctionsWithConvertedArguments() {
    dln.eval("def scale(v, k=2):\n    return v * k\n");
    assertEquals(10L, dln.call("scale", 5));
    assertEquals(15L, dln.call("scale", List.of(5), Map.of("k", 3)));
    INDArray r = (INDArray) dln.call("scale", new float[] {1, 2});
    assertArrayEquals(new float[] {2, 4}, r.toFloatVector());
    assertEquals(3L, dln.call("len", List.of(1, 2, 3)), "builtins can be called too");
    DlnException e = assertThrows(DlnException.class, () -> dln.call("scal", 1));
    assertEquals("name error", e.kind());
    assertEquals("did you mean 'scale'?", e.hint());
    e = assertThrows(DlnException.class, () -> dln.call("scale"));
    assertEquals("argument error", e.kind());
  }

  @Test
  void errorsInsideCalledFunctionsCarryTheirPosition() {
    dln.eval("def bad(v):\n    return v + 'x'\n", "lib.dln");
    DlnException e = assertThrows(DlnException.class, () -> dln.call("bad", 1));
    assertEquals("type error", e.kind());
    assertNotNull(e.pos());
    assertEquals("lib.dln", e.pos().source().name());
    assertEquals(2, e.pos().line());
  }

  @Test
  void scriptErrorsHavePositionAndNeverAnInternalException() {
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("x = 1\ny = x + 'a'", "job.dln"));
    assertEquals("type error", e.kind());
    assertEquals(2, e.pos().line());
    assertTrue(e.format().startsWith("job.dln:2:"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("x = (1,"));
    assertEquals("syntax error", e.kind());
    e = assertThrows(DlnException.class, () -> dln.eval("[1][5]"));
    assertEquals("index error", e.kind());
    assertEquals(1L, dln.eval("x"), "the interpreter keeps its state after errors");
  }

  @Test
  void registeredJavaFunctionsBecomeBuiltins() {
    List<Object> seen = new ArrayList<>();
    dln.register("price", args -> {
      seen.addAll(List.of(args));
      return ((Long) args[0]) * 1.5;
    });
    assertEquals(15.0, dln.eval("price(10, 'eur', [1])"));
    assertEquals(List.of(10L, "eur", List.of(1L)), seen);
    dln.register("weights", "The current weights.", args -> new float[] {0.5f, 0.25f});
    dln.eval("w = weights() * 2");
    assertArrayEquals(new float[] {1f, 0.5f}, dln.get("w", float[].class));
    dln.reset();
    assertEquals(3.0, dln.eval("price(2)"), "registered functions survive reset");
  }

  @Test
  void hostFunctionFailuresBecomeHostErrorsAtTheCall() {
    dln.register("boom", args -> {
      throw new IllegalStateException("database down");
    });
    dln.register("picky", args -> {
      throw DlnException.value("price must be positive");
    });
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("x = 1\nboom()", "h.dln"));
    assertEquals("host error", e.kind());
    assertEquals("boom() failed: database down", e.getMessage());
    assertEquals(2, e.pos().line());
    assertInstanceOf(IllegalStateException.class, e.getCause());
    e = assertThrows(DlnException.class, () -> dln.eval("picky()"));
    assertEquals("value error", e.kind());
    assertEquals("price must be positive", e.getMessage());
  }

  @Test
  void recursionDepthIsConfigurable() {
    Dln shallow = Dln.builder().out(out).maxDepth(50).build();
    shallow.eval("def down(n):\n    return 0 if n == 0 else 1 + down(n - 1)\n");
    assertEquals(40L, shallow.eval("down(40)"));
    DlnException e = assertThrows(DlnException.class, () -> shallow.eval("down(60)"));
    assertEquals("recursion error", e.kind());
    assertTrue(e.getMessage().contains("(50)"), e.getMessage());
    assertEquals(40L, shallow.eval("down(40)"), "usable after a recursion error");
    assertThrows(IllegalArgumentException.class, () -> Dln.builder().maxDepth(0));
  }

  @Test
  void deepRecursionWithTheDefaultLimitIsARecursionErrorNotStackOverflow() {
    dln.eval("def down(n):\n    return down(n + 1)\n");
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("down(0)"));
    assertEquals("recursion error", e.kind());
  }

  @Test
  void variablesAndRemove() {
    dln.eval("a = 1\nb = 2");
    assertTrue(dln.variables().containsAll(List.of("a", "b")));
    assertTrue(dln.has("a"));
    assertTrue(dln.remove("a"));
    assertFalse(dln.has("a"));
  }
}
