package dln.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.sandbox.Sandbox;
import dln.runtime.nn.LayerNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * :save / :load of the session state (issue 17, point 1): the state comes back exactly — the same
 * predictions bit for bit, the same history, optimiser state that continues training as the
 * original would — shared values stay shared, what cannot be saved is named with the reason, and
 * a corrupt or foreign file is refused before anything changes.
 */
class SessionStateTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();

  @BeforeEach
  void names() {
    LayerNames.reset();
  }

  private Dln dln() {
    PrintWriter w = new PrintWriter(out, true);
    return Dln.builder().out(w).err(w).sandbox(Sandbox.unrestricted()).build();
  }

  private static final String TRAIN = """
      seed(1)
      x = randn(16, 3)
      y = tensor([0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 0], dtype='int64')
      m = Sequential([Input(3), Dense(4, relu), Dense(2, softmax)])
      m.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
      h = m.fit(x, y, epochs=3, batch_size=4, verbose=0)
      same = m
      d = {'a': [1, 2.5, 'text', none, (1, 2)], 'model': m, 'n': float('nan'), 7: true}
      p = m.predict(x)
      """;

  private Map<String, String> restore(Path file, Dln into) {
    SessionState.Restored r = SessionState.load(file, into.interpreter());
    into.interpreter().reset();
    r.variables().forEach((k, v) -> into.interpreter().globals().define(k, v));
    return r.skipped();
  }

  @Test
  void theStateComesBackExactly() {
    Dln a = dln();
    a.eval(TRAIN);
    Path file = dir.resolve("work.dlns");
    SessionState.Saved saved = SessionState.save(file, a.interpreter().globals().vars(), "x = randn(16, 3)\n");
    assertTrue(saved.skipped().isEmpty(), saved.skipped().toString());

    Dln b = dln();
    assertTrue(restore(file, b).isEmpty());
    assertEquals("true", b.eval("str(all(m.predict(x) == p))").toString(), "the same predictions, bit for bit");
    INDArray pa = (INDArray) a.eval("p");
    INDArray pb = (INDArray) b.eval("m.predict(x)");
    assertArrayEquals(pa.data().asFloat(), pb.data().asFloat());
    assertEquals(a.eval("str(h.history)"), b.eval("str(h.history)"), "the same history");
    assertEquals("int64", b.eval("str(y.dtype)"), "a tensor keeps its dtype");
    assertEquals("{'a': [1, 2.5, 'text', none, (1, 2)], 'model': <Sequential 'sequential' params=26>, 'n': nan, 7: true}", b.eval("str(d)"));
    assertSame(b.eval("m"), b.eval("same"), "two names for one model stay one model");
    assertSame(b.eval("m"), b.eval("d['model']"));
    assertSame(b.eval("h"), b.eval("m.history"), "the History of the last fit is the model's again");

    // Training on continues exactly as it would have without the save: optimiser state and step count restored.
    a.eval("m.fit(x, y, epochs=2, batch_size=4, verbose=0, shuffle=false)");
    b.eval("m.fit(x, y, epochs=2, batch_size=4, verbose=0, shuffle=false)");
    assertArrayEquals(((INDArray) a.eval("m.predict(x)")).data().asFloat(), ((INDArray) b.eval("m.predict(x)")).data().asFloat());
    assertEquals(a.eval("m.optimizer.iterations"), b.eval("m.optimizer.iterations"));
  }

  @Test
  void whatCannotBeSavedIsNamedWithTheReason() {
    Dln a = dln();
    a.eval("def f(z):\n    return z\nimport numpy as np\nn = 3\nr = range(4)\nlayer = Dense(3)");
    a.interpreter().globals().define("host", new java.util.concurrent.atomic.AtomicInteger(1));
    Path file = dir.resolve("s.dlns");
    SessionState.Saved saved = SessionState.save(file, a.interpreter().globals().vars(), "");
    assertEquals("a function (its def is in the transcript; run it again)", saved.skipped().get("f"));
    assertEquals("a module (import it again)", saved.skipped().get("np"));
    assertTrue(saved.skipped().get("r").startsWith("a range"), saved.skipped().toString());
    assertEquals("a layer outside a model (save the model that holds it)", saved.skipped().get("layer"));
    assertTrue(saved.skipped().get("host").startsWith("a Java object (java.util.concurrent.atomic.AtomicInteger) put in by the application"),
        saved.skipped().toString());
    Dln b = dln();
    Map<String, String> skipped = restore(file, b);
    assertEquals(3L, b.eval("n"));
    assertEquals("not saved: a module (import it again)", skipped.get("np"), "loading says it too");
  }

  @Test
  void aCorruptOrForeignFileIsRefusedAndTheSessionUntouched() throws Exception {
    Dln a = dln();
    a.eval("v = tensor([1.0, 2.0])\nm = Sequential([Input(2), Dense(1)])");
    Path good = dir.resolve("good.dlns");
    SessionState.save(good, a.interpreter().globals().vars(), "");
    Dln b = dln();
    b.eval("keep = 41 + 1");

    byte[] bytes = Files.readAllBytes(good);
    Path flipped = dir.resolve("flipped.dlns");
    bytes[60] ^= 0x20;
    Files.write(flipped, bytes);
    DlnException e = assertThrows(DlnException.class, () -> SessionState.load(flipped, b.interpreter()));
    assertTrue(e.getMessage().contains("is corrupted") || e.getMessage().contains("damaged"), e.getMessage());

    Path truncated = dir.resolve("truncated.dlns");
    Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(good), 200));
    assertThrows(DlnException.class, () -> SessionState.load(truncated, b.interpreter()));

    Path model = dir.resolve("m.dlnm");
    a.eval("m.save('" + model.toString().replace("\\", "/") + "')");
    DlnException foreign = assertThrows(DlnException.class, () -> SessionState.load(model, b.interpreter()));
    assertEquals("'" + model + "' is not a DLN session file: its format is 'dln-model'", foreign.getMessage());

    Path text = dir.resolve("notes.dlns");
    Files.writeString(text, "hello");
    assertThrows(DlnException.class, () -> SessionState.load(text, b.interpreter()));
    assertEquals(42L, b.eval("keep"), "the session is as it was");

    DlnException asModel = assertThrows(DlnException.class, () -> a.eval("load_model('" + good.toString().replace("\\", "/") + "')"));
    assertTrue(asModel.getMessage().contains("is a DLN session file (from :save), not a model file"), asModel.getMessage());
  }

  @Test
  void dataSetsAreSavedByReference() {
    org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("DLN_DATA") != null, "needs DLN_DATA");
    Dln a = dln();
    a.eval("(xt, yt), (xv, yv) = mnist(flat=true, normalize=true, limit=500)\nalias = xt\nchanged = yv");
    a.eval("changed[0] = 9");
    Path file = dir.resolve("data.dlns");
    SessionState.save(file, a.interpreter().globals().vars(), "");
    assertTrue(file.toFile().length() < 100_000, "the pixels are not copied: " + file.toFile().length() + " bytes");
    Dln b = dln();
    Map<String, String> skipped = restore(file, b);
    assertArrayEquals(((INDArray) a.eval("xt")).data().asFloat(), ((INDArray) b.eval("xt")).data().asFloat());
    assertSame(b.eval("xt"), b.eval("alias"));
    assertTrue(skipped.get("changed").contains("differs from what mnist(flat=true, normalize=true, limit=500) gives now"), skipped.toString());
  }
}
