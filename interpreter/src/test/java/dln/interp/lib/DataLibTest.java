package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.call.Builtin;
import dln.interp.sandbox.Sandbox;
import dln.runtime.SharedData;
import dln.stdlib.data.DataLocations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DataLib end to end: DLN code through the interpreter, output as a user sees it. */
class DataLibTest {
  @TempDir Path tmp;

  /** The data functions read $DLN_DATA; where it is unset they are pointed at the shared folder ({@link SharedData}). */
  @BeforeAll
  static void pointAtSharedData() {
    Path shared = SharedData.require("mnist").getParent();
    String env = System.getenv(DataLocations.ENV);
    if (env == null || env.isBlank()) System.setProperty(DataLocations.PROPERTY, shared.toString());
  }

  /** Runs code in a fresh interpreter; returns it (for its variables) and what the user saw. */
  private static ScriptRun run(String code) {
    return ScriptRun.of(code, Dln.builder().sandbox(Sandbox.unrestricted()));
  }

  @Test
  void mnistLikeKeras() {
    ScriptRun r = run("(x_train, y_train), (x_test, y_test) = mnist()\n"
        + "print(len(x_train), len(y_train), len(x_test), len(y_test))\n"
        + "(a, b), (c, d) = mnist(flat=true, normalize=true, one_hot=true, limit=100)\n"
        + "(f, g), _ = fashion_mnist(channels=true, limit=5)\n");
    assertEquals("60000 60000 10000 10000\n", r.output());
    assertArrayEquals(new long[] {60000, 28, 28}, r.shape("x_train"));
    assertArrayEquals(new long[] {60000}, r.shape("y_train"));
    assertArrayEquals(new long[] {10000, 28, 28}, r.shape("x_test"));
    assertArrayEquals(new float[] {5, 0, 4, 1, 9}, java.util.Arrays.copyOf(r.tensor("y_train").toFloatVector(), 5));
    assertEquals(255.0, r.tensor("x_train").maxNumber().doubleValue());
    assertArrayEquals(new long[] {100, 784}, r.shape("a"));
    assertArrayEquals(new long[] {100, 10}, r.shape("b"));
    assertArrayEquals(new long[] {100, 784}, r.shape("c"));
    assertEquals(1.0, r.tensor("a").maxNumber().doubleValue(), 1e-7);
    assertArrayEquals(new long[] {5, 28, 28, 1}, r.shape("f"));
  }

  @Test
  void playgroundGeneratorsAndFeatures() {
    ScriptRun r = run("x, y = spiral(200, noise=0.1, seed=1, labels='binary')\n"
        + "f = features(x, ['x1^2', 'x2^2', 'sin(x1)'])\n"
        + "x2, y2 = spiral(200, noise=0.1, seed=1, labels='binary')\n"
        + "p, t = plane()\n"
        + "c, d = circle()\n");
    assertEquals("", r.output());
    assertArrayEquals(new long[] {200, 2}, r.shape("x"));
    assertArrayEquals(new long[] {200, 1}, r.shape("y"));
    assertEquals(100.0, r.tensor("y").sumNumber().doubleValue(), "balanced 0/1 labels");
    assertArrayEquals(new long[] {200, 3}, r.shape("f"));
    assertEquals(r.tensor("x"), r.tensor("x2"), "seeded");
    assertArrayEquals(new long[] {1200, 2}, r.shape("p"));
    assertArrayEquals(new long[] {500, 1}, r.shape("d"));
    assertEquals(0.0, r.tensor("d").sumNumber().doubleValue(), "±1 labels balance out");
  }

  @Test
  void errorsCarryPositionsAndHints() {
    assertEquals("test.dln:2:5: value error: unknown feature 'cos(x1)'\n"
            + "    f = features(x, ['cos(x1)'])\n"
            + "        ^\n"
            + "  hint: valid names: x1, x2, x1^2, x2^2, x1*x2, sin(x1), sin(x2)\n",
        run("x, y = circle(10, seed=1)\nf = features(x, ['cos(x1)'])\n").output());
    assertTrue(run("xor(100, noise=25)\n").output().contains("value error: xor(): noise must be between 0 and 1, got 25.0"));
    assertTrue(run("mnist(flat=true, channels=true)\n").output().contains("flat=true and channels=true cannot be combined"));
    assertTrue(run("one_hot([1, 12], 10)\n").output().contains("value error: one_hot(): label 12 at index 1 is out of range for 10 classes (0..9)"));
    assertTrue(run("circle(labels='pm')\n").output().contains("circle() argument 'labels' must be 'sign' (+1/-1) or 'binary' (1/0), got 'pm'"));
  }

  @Test
  void csvAndPreparation() throws IOException {
    Path f = tmp.resolve("weather.csv");
    Files.writeString(f, "temp,sky,rain\n21,sunny,0\n14,cloudy,1\n17,rainy,1\n25,sunny,0\n");
    String p = f.toString().replace("\\", "/");
    ScriptRun r = run("x, y = csv('" + p + "', target='rain')\n"
        + "(xt, yt), (xv, yv) = train_test_split(x, y, test=0.25, seed=3)\n"
        + "h = to_categorical(y)\n"
        + "n = normalize(x)\n"
        + "s = standardize(x, axis=none)\n"
        + "xs, ys = shuffle(x, y, seed=1)\n");
    assertEquals("", r.output());
    assertArrayEquals(new long[] {4, 4}, r.shape("x"));
    assertArrayEquals(new long[] {4, 1}, r.shape("y"));
    assertArrayEquals(new long[] {3, 4}, r.shape("xt"));
    assertArrayEquals(new long[] {1, 4}, r.shape("xv"));
    assertArrayEquals(new long[] {4, 2}, r.shape("h"));
    assertArrayEquals(new float[] {7 / 11f, 0, 3 / 11f, 1}, r.tensor("n").getColumn(0).toFloatVector(), 1e-6f); // temp 21, 14, 17, 25
    assertEquals(0.0, r.tensor("s").meanNumber().doubleValue(), 1e-6);
    assertEquals(r.tensor("x").sumNumber().doubleValue(), r.tensor("xs").sumNumber().doubleValue(), 1e-4);
    Files.writeString(f, "temp,sky,rain\n21,sunny,0\n14,cloudy\n");
    String out = run("csv('" + p + "')\n").output();
    assertTrue(out.contains("file error: " + f + ":3: this row has 2 values but the header (line 1) names 3 columns"), out);
  }

  @Test
  void everyBuiltinHasADocWithAnExample() {
    Globals g = new Globals();
    new DataLib().install(g);
    for (Map.Entry<String, Object> e : g.values().entrySet()) {
      Builtin b = (Builtin) e.getValue();
      assertTrue(b.doc().contains("\nExample: "), e.getKey() + " doc has an Example line");
    }
    assertEquals(g.get("one_hot"), g.get("to_categorical"));
    assertThrows(IllegalStateException.class, () -> g.alias("x", "nope"));
  }
}
