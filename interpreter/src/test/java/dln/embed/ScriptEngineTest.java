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
import dln.interp.call.TypeTable;
import dln.interp.sandbox.Sandbox;
import dln.script.DlnScriptEngine;
import dln.script.DlnScriptEngineFactory;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import javax.script.ScriptException;
import javax.script.SimpleBindings;
import javax.script.SimpleScriptContext;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** DLN through javax.script, found by ScriptEngineManager like any other engine. */
class ScriptEngineTest {
  private final ScriptEngineManager manager = new ScriptEngineManager();

  @Test
  void foundByNameExtensionAndMimeType() {
    ScriptEngine byName = manager.getEngineByName("dln");
    assertInstanceOf(DlnScriptEngine.class, byName);
    assertInstanceOf(DlnScriptEngine.class, manager.getEngineByName("DLN"));
    assertInstanceOf(DlnScriptEngine.class, manager.getEngineByExtension("dln"));
    assertInstanceOf(DlnScriptEngine.class, manager.getEngineByMimeType("text/x-dln"));
    ScriptEngineFactory f = byName.getFactory();
    assertEquals("DLN", f.getLanguageName());
    assertEquals(List.of("dln"), f.getExtensions());
    assertNull(f.getParameter("THREADING"), "one engine must not be shared by threads");
    assertEquals("dln", f.getParameter(ScriptEngine.NAME));
    assertEquals("print('hi')", f.getOutputStatement("hi"));
    assertEquals("m.fit(x, y)", f.getMethodCallSyntax("m", "fit", "x", "y"));
  }

  @Test
  void engineScopeBindingsAreVariables() throws ScriptException {
    ScriptEngine engine = manager.getEngineByName("dln");
    engine.put("x", new float[] {1, 2, 3});
    engine.put("k", 10);
    assertEquals(30L, engine.eval("k * 3"));
    engine.eval("y = x * k\nname = 'dln'");
    assertArrayEquals(new float[] {10, 20, 30}, ((INDArray) engine.get("y")).toFloatVector());
    assertEquals("dln", engine.get("name"));
    assertEquals(10L, engine.get("k"), "ints come back as Long");
    engine.put("k", 2);
    assertEquals(2L, engine.eval("k"));
  }

  @Test
  void globalScopeIsSharedByEnginesOfOneManagerAndEngineScopeWins() throws ScriptException {
    manager.put("rate", 0.5);
    ScriptEngine a = manager.getEngineByName("dln");
    ScriptEngine b = manager.getEngineByName("dln");
    assertEquals(1.0, a.eval("rate * 2"));
    assertEquals(1.5, b.eval("rate * 3"));
    assertNull(a.getBindings(ScriptContext.ENGINE_SCOPE).get("rate"), "an unchanged global stays global");
    b.put("rate", 2.0);
    assertEquals(4.0, b.eval("rate * 2"));
    assertEquals(1.0, a.eval("rate * 2"));
    a.eval("rate = 7");
    assertEquals(7L, a.get("rate"), "an assignment goes to the engine scope");
    assertEquals(0.5, manager.get("rate"));
  }

  @Test
  void separateBindingsAreSeparateVariableSets() throws ScriptException {
    ScriptEngine engine = manager.getEngineByName("dln");
    Bindings first = engine.createBindings();
    first.put("v", 1);
    Bindings second = new SimpleBindings();
    second.put("w", 2);
    engine.eval("z = v + 1", first);
    assertEquals(2L, first.get("z"));
    ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("v", second));
    assertTrue(e.getMessage().contains("name 'v' is not defined"), e.getMessage());
    assertEquals(2L, engine.eval("w", second));
  }

  @Test
  void printGoesToTheContextWriter() throws ScriptException {
    ScriptEngine engine = manager.getEngineByName("dln");
    StringWriter w = new StringWriter();
    engine.getContext().setWriter(w);
    engine.eval("print('loss', 0.25)");
    assertEquals("loss 0.25\n", w.toString().replace("\r\n", "\n"));
  }

  @Test
  void errorsAreScriptExceptionsWithPosition() {
    ScriptEngine engine = manager.getEngineByName("dln");
    engine.getContext().setAttribute(ScriptEngine.FILENAME, "job.dln", ScriptContext.ENGINE_SCOPE);
    ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("a = 1\nb = a + 'x'"));
    assertEquals("job.dln", e.getFileName());
    assertEquals(2, e.getLineNumber());
    assertEquals(7, e.getColumnNumber());
    assertTrue(e.getMessage().startsWith("type error: "), e.getMessage());
    assertInstanceOf(DlnException.class, e.getCause());
    assertEquals(1L, engine.get("a"), "variables set before the error are kept");
  }

  @Test
  void compiledScriptsParseOnceAndRunMany() throws ScriptException {
    ScriptEngine engine = manager.getEngineByName("dln");
    CompiledScript square = ((Compilable) engine).compile("y = x * x\ny + 1");
    for (int i = 1; i <= 3; i++) {
      Bindings b = engine.createBindings();
      b.put("x", i);
      assertEquals((long) i * i + 1, square.eval(b));
      assertEquals((long) i * i, b.get("y"));
    }
    assertSame(engine, square.getEngine());
    assertThrows(ScriptException.class, () -> ((Compilable) engine).compile("y = (1,"), "syntax errors at compile time");
  }

  /** A Java interface implemented by DLN functions. */
  public interface Scorer {
    double score(float[] values);

    float[] normalise(float[] values, double by);
  }

  @Test
  void invocableCallsFunctionsAndImplementsInterfaces() throws Exception {
    ScriptEngine engine = manager.getEngineByName("dln");
    engine.eval("def score(v):\n    return float(sum(v))\ndef normalise(v, by):\n    return v / by\n");
    Invocable inv = (Invocable) engine;
    assertEquals(6.0, inv.invokeFunction("score", new float[] {1, 2, 3}));
    assertThrows(NoSuchMethodException.class, () -> inv.invokeFunction("nope"));
    Scorer s = inv.getInterface(Scorer.class);
    assertNotNull(s);
    assertEquals(10.0, s.score(new float[] {4, 6}));
    assertArrayEquals(new float[] {0.5f, 1f}, s.normalise(new float[] {1, 2}, 2));
    assertNull(inv.getInterface(Runnable.class), "no DLN function named run");
    ScriptException e = assertThrows(ScriptException.class, () -> inv.invokeFunction("score", "text"));
    assertInstanceOf(DlnException.class, e.getCause());
  }

  /** A host object with a DLN method, standing in for a model's predict(). */
  public static final class Counter {
    long count;
  }

  @Test
  void invokeMethodCallsMethodsOfDlnObjects() throws Exception {
    TypeTable.define(Counter.class, "counter").method("add", "n", "Adds n.\nExample: c.add(2)", (self, a) -> {
      self.count += a.integer("n");
      return self.count;
    });
    ScriptEngine engine = manager.getEngineByName("dln");
    Counter c = new Counter();
    engine.put("c", c);
    engine.eval("c.add(2)");
    assertEquals(5L, ((Invocable) engine).invokeMethod(c, "add", 3));
    assertEquals(5L, c.count);
    assertThrows(NoSuchMethodException.class, () -> ((Invocable) engine).invokeMethod(c, "remove", 1));
  }

  @Test
  void configuredEnginesAreSandboxedAndTimed() {
    DlnScriptEngine engine = new DlnScriptEngineFactory().getScriptEngine(
        Dln.builder().sandbox(Sandbox.allowRead(Path.of("."))).timeout(Duration.ofMillis(200)));
    assertFalse(engine.dln().sandbox().isUnrestricted());
    ScriptException e = assertThrows(ScriptException.class, () -> engine.eval("while true:\n    pass\n"));
    assertTrue(e.getMessage().startsWith("timeout error"), e.getMessage());
    assertTrue(((DlnScriptEngine) manager.getEngineByName("dln")).dln().sandbox() == Sandbox.none(),
        "engines from the manager have no file access");
  }

  @Test
  void hostFunctionsRegisteredOnTheEngine() throws ScriptException {
    DlnScriptEngine engine = (DlnScriptEngine) manager.getEngineByName("dln");
    engine.dln().register("twice", args -> ((Long) args[0]) * 2);
    assertEquals(42L, engine.eval("twice(21)"));
    assertFalse(engine.getBindings(ScriptContext.ENGINE_SCOPE).containsKey("twice"), "builtins are not variables");
  }

  @Test
  void contextsCanBeSwapped() throws ScriptException {
    ScriptEngine engine = manager.getEngineByName("dln");
    SimpleScriptContext ctx = new SimpleScriptContext();
    StringWriter w = new StringWriter();
    ctx.setWriter(w);
    ctx.setAttribute("q", 4, ScriptContext.ENGINE_SCOPE);
    engine.eval("print(q + 1)", ctx);
    assertEquals("5\n", w.toString().replace("\r\n", "\n"));
  }
}
