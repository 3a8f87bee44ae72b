package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dln.Dln;
import dln.interp.DlnException;
import dln.interp.sandbox.Sandbox;
import dln.runtime.tensor.Tensors;
import java.io.IOException;
import java.io.StringWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DLN's np functions against NumPy's own results: src/test/resources/numpy/reference.json was written
 * once by generate_reference.py with NumPy 1.24 (the later cases with 2.4); each expression runs in
 * DLN after the same setup and must give the same shape, dtype (or the documented DLN dtype) and values. Also the .npy/.npz files
 * both ways, and np.random's shapes, ranges, distributions and seed reproducibility (DLN's stream,
 * not NumPy's: the numbers themselves differ).
 */
class NumpyReferenceTest {
  static final Path DIR = Path.of("src/test/resources/numpy");

  private static Dln fresh() {
    StringWriter out = new StringWriter();
    return Dln.builder().out(new PrintWriter(out)).err(new PrintWriter(out)).sandbox(Sandbox.unrestricted()).build();
  }

  private static JsonNode reference() throws IOException {
    return new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
  }

  private static Dln withSetup(JsonNode ref) {
    Dln dln = fresh();
    for (JsonNode line : ref.get("setup")) dln.eval(line.asText());
    return dln;
  }

  @TestFactory
  Stream<DynamicTest> everyExpressionMatchesNumpy() throws IOException {
    JsonNode ref = reference();
    Dln dln = withSetup(ref);
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : ref.get("cases")) {
      String expr = c.get("expr").asText();
      tests.add(DynamicTest.dynamicTest(expr, () -> compare(expr, dln.eval(expr), c.get("expected"))));
    }
    for (JsonNode m : ref.get("mutations")) {
      String code = m.get("code").asText();
      tests.add(DynamicTest.dynamicTest(code.replace('\n', ';'), () -> {
        dln.eval(code);
        compare(code, dln.get(m.get("var").asText()), m.get("expected"));
      }));
    }
    return tests.stream();
  }

  private static void compare(String what, Object got, JsonNode expected) {
    if (expected.has("items")) {
      assertTrue(got instanceof List<?>, what + ": expected a sequence, got " + got);
      List<?> items = (List<?>) got;
      assertEquals(expected.get("items").size(), items.size(), what + ": number of items");
      for (int k = 0; k < items.size(); k++) compare(what + " item " + k, items.get(k), expected.get("items").get(k));
      return;
    }
    if ((got instanceof Boolean || got instanceof Number) && expected.get("shape").isEmpty()) {
      // NumPy's scalar results (np.all → np.bool_) are Python numbers and bools in DLN
      double g = got instanceof Boolean b ? (b ? 1 : 0) : ((Number) got).doubleValue();
      assertEquals(expected.get("values").get(0).asDouble(), g, 1e-6, what);
      return;
    }
    assertTrue(got instanceof INDArray, what + ": expected a tensor, got " + got);
    INDArray x = (INDArray) got;
    long[] shape = new long[expected.get("shape").size()];
    for (int k = 0; k < shape.length; k++) shape[k] = expected.get("shape").get(k).asLong();
    assertArrayEquals(shape, x.shape(), what + ": shape");
    String dtype = expected.has("dln_dtype") ? expected.get("dln_dtype").asText() : expected.get("dtype").asText();
    assertEquals(dtype, Tensors.dtypeName(x.dataType()), what + ": dtype");
    JsonNode values = expected.get("values");
    double[] v = x.length() == 0 ? new double[0] : x.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).dup('c')
        .reshape('c', new long[] {x.length()}).toDoubleVector();
    assertEquals(values.size(), v.length, what + ": size");
    for (int k = 0; k < v.length; k++) {
      double e = values.get(k).asDouble();
      assertTrue(Math.abs(v[k] - e) <= 1e-6 + 1e-5 * Math.abs(e), what + ": element " + k + " is " + v[k] + ", NumPy gives " + e);
    }
  }

  @Test
  void readsNumpysFiles() throws IOException {
    JsonNode ref = reference();
    Dln dln = withSetup(ref);
    dln.eval("x = np.load('" + DIR.resolve("x.npy") + "')");
    assertEquals(Boolean.TRUE, dln.eval("bool(np.all(x == a)) and x.dtype == 'float32'"));
    dln.eval("d = np.load('" + DIR.resolve("d.npz") + "')");
    assertEquals(List.of("a", "i", "b", "u"), dln.eval("d.files"));
    assertEquals(Boolean.TRUE, dln.eval("bool(np.all(d['i'] == i)) and d['i'].dtype == 'int64' and d['b'].dtype == 'bool'"
        + " and d['u'].dtype == 'uint8' and bool(np.all(d['b'] == (a > 0)))"));
  }

  @Test
  void writesFilesByteForByteAsNumpy(@TempDir Path tmp) throws IOException {
    Dln dln = withSetup(reference());
    Path out = tmp.resolve("y.npy");
    dln.eval("np.save('" + tmp.resolve("y") + "', a)");
    assertArrayEquals(Files.readAllBytes(DIR.resolve("x.npy")), Files.readAllBytes(out), "np.save writes NumPy's exact bytes");
    dln.eval("np.savez('" + tmp.resolve("d") + "', a=a, i=i, b=a > 0, u=i.astype('uint8'))");
    dln.eval("with np.load('" + tmp.resolve("d.npz") + "') as e:\n    same = bool(np.all(e['a'] == a)) and e['u'].dtype == 'uint8'");
    assertEquals(Boolean.TRUE, dln.get("same"));
  }

  @Test
  void numpyReadsWhatDlnWrites(@TempDir Path tmp) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs /usr/bin/python3 with numpy");
    Dln dln = withSetup(reference());
    dln.eval("np.savez_compressed('" + tmp.resolve("c.npz") + "', a=a, i=i)\nnp.save('" + tmp.resolve("b.npy") + "', a > 0)");
    String script = "import numpy as np\nd = np.load('" + tmp.resolve("c.npz") + "')\nb = np.load('" + tmp.resolve("b.npy") + "')\n"
        + "print(d['a'].dtype, d['i'].dtype, d['i'].sum(), b.dtype, b.sum())";
    Process p = new ProcessBuilder("/usr/bin/python3", "-c", script).redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String said = new String(p.getInputStream().readAllBytes()).strip();
    Assumptions.assumeFalse(said.contains("No module named"), "numpy missing");
    assertEquals("float32 int64 30 bool 4", said);
  }

  @Test
  void randomIsSeededShapedAndDistributed() {
    Dln dln = fresh();
    dln.eval("import numpy as np");
    String draw = "np.random.seed(7)\n[np.random.rand(3).tolist(), np.random.randint(0, 5, size=4).tolist(), "
        + "np.random.permutation(6).tolist(), np.random.choice(10, 3, replace=False).tolist()]";
    Object first = dln.eval(draw);
    assertEquals(first, dln.eval(draw), "the same seed repeats the same draws");
    assertEquals(Boolean.TRUE, dln.eval("sorted(np.random.permutation(50).tolist()) == list(range(50))"));
    assertEquals(Boolean.TRUE, dln.eval("sorted(np.random.choice(20, 20, replace=False).tolist()) == list(range(20))"));
    assertEquals(Boolean.TRUE, dln.eval("n = np.random.normal(2.0, 3.0, size=(20000,))\nabs(float(n.mean()) - 2) < 0.1 and "
        + "abs(float(n.std()) - 3) < 0.1 and n.shape == (20000,)"));
    assertEquals(Boolean.TRUE, dln.eval("u = np.random.uniform(-1, 3, size=(100, 50))\nfloat(u.min()) >= -1 and "
        + "float(u.max()) < 3 and abs(float(u.mean()) - 1) < 0.05"));
    assertEquals(Boolean.TRUE, dln.eval("r = np.random.randint(3, size=1000)\nr.dtype == 'int64' and int(r.min()) == 0 and int(r.max()) == 2"));
    assertEquals(Boolean.TRUE, dln.eval("c = np.random.choice(3, size=3000, p=[0.0, 0.2, 0.8])\nint((c == 0).sum()) == 0 and "
        + "abs(float((c == 2).mean()) - 0.8) < 0.04"));
    assertEquals(Boolean.TRUE, dln.eval("isinstance(np.random.uniform(), float) and isinstance(np.random.randint(5), int)"));
    assertEquals(Boolean.TRUE, dln.eval("x = np.arange(10)\nnp.random.shuffle(x)\nsorted(x.tolist()) == list(range(10))"));
    Object g1 = dln.eval("g = np.random.default_rng(42)\n[g.random(3).tolist(), g.integers(0, 10, size=5).tolist(), g.normal(size=2).tolist()]");
    Object g2 = dln.eval("np.random.seed(1)\ng = np.random.default_rng(42)\n[g.random(3).tolist(), g.integers(0, 10, size=5).tolist(), g.normal(size=2).tolist()]");
    assertEquals(g1, g2, "a Generator's stream depends only on its seed");
    assertEquals(Boolean.TRUE, dln.eval("int(np.random.default_rng(0).integers(5, 6, size=100, endpoint=True).min()) >= 5"));
    assertNotEquals(dln.eval("np.random.default_rng(1).random(4).tolist()"), dln.eval("np.random.default_rng(2).random(4).tolist()"));
  }

  @Test
  void mistakesAreNumpyLikeErrors() {
    Dln dln = fresh();
    dln.eval("import numpy as np\nx = np.arange(6)");
    DlnException e = assertThrows(DlnException.class, () -> dln.eval("np.split(x, 4)", "s.dln"));
    assertTrue(e.format().contains("array split does not result in an equal division"), e.format());
    assertTrue(e.format().startsWith("s.dln:1:"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("np.where(x > 2, np.zeros(4), x)"));
    assertTrue(e.format().contains("operands could not be broadcast together with shapes (6,) (4,) (6,)"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("y = x.reshape(2, 3)\ny[[0, 1], [0, 1, 2]]"));
    assertTrue(e.format().contains("shape mismatch: indexing tensors could not be broadcast together with shapes (2,) (3,)"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("np.random.choice(3, 5, replace=False)"));
    assertTrue(e.format().contains("cannot take a larger sample than population"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("np.load('missing.npy')"));
    assertFalse(e.format().contains("Exception"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("np.pad(x, 2, mode='median')"));
    assertTrue(e.format().contains("mode 'median' is not supported"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("np.einsum('ij,jk->ik', y, y)"));
    assertTrue(e.format().contains("einsum(): label 'j' has size 3 in one operand and 2 in another"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("np.einsum('ij->i', x)"));
    assertTrue(e.format().contains("'ij' has 2 labels for an operand of rank 1 (shape (6,))"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("np.linalg.inv(np.ones((2, 2)))"));
    assertTrue(e.format().contains("value error: Singular matrix"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("np.linalg.det(y)"));
    assertTrue(e.format().contains("Last 2 dimensions of the array must be square"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("np.linalg.solve(np.eye(2), np.ones(3))"));
    assertTrue(e.format().contains("np.linalg.solve(): a of shape (2, 2) and b of shape (3,) do not fit"), e.format());
    e = assertThrows(DlnException.class, () -> dln.eval("y[..., 0, ...]"));
    assertTrue(e.format().contains("index error: an index can only have a single ellipsis"), e.format());
  }
}
