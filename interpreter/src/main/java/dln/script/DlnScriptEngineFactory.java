package dln.script;

import dln.Dln;
import dln.interp.value.Values;
import java.util.List;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/**
 * JSR-223 ({@code javax.script}) entry point for DLN, found by {@code ServiceLoader}:
 *
 * <pre>{@code
 * ScriptEngine engine = new ScriptEngineManager().getEngineByName("dln");   // or by extension "dln"
 * engine.put("x", new float[] {1, 2, 3});
 * engine.eval("y = x * 2");
 * INDArray y = (INDArray) engine.get("y");
 * }</pre>
 *
 * <p>Names "dln" and "DLN", extension "dln", MIME type "text/x-dln". Engines made here are
 * sandboxed like {@link Dln#create()} (no file access); {@link #getScriptEngine(Dln.Builder)}
 * takes a configured builder to grant folders, set a timeout or a seed.
 *
 * <p>{@code getParameter("THREADING")} is {@code null}: an engine keeps one interpreter whose
 * variables mirror the engine's bindings, so it must not be used by several threads at once
 * (calls are serialised for safety, but bindings shared across threads would race). Create one
 * engine per thread; engines are independent and run in parallel.
 */
public final class DlnScriptEngineFactory implements ScriptEngineFactory {
  static final String VERSION = "0.1.0";

  @Override
  public String getEngineName() {
    return "DLN";
  }

  @Override
  public String getEngineVersion() {
    return VERSION;
  }

  @Override
  public List<String> getExtensions() {
    return List.of("dln");
  }

  @Override
  public List<String> getMimeTypes() {
    return List.of("text/x-dln");
  }

  @Override
  public List<String> getNames() {
    return List.of("dln", "DLN");
  }

  @Override
  public String getLanguageName() {
    return "DLN";
  }

  @Override
  public String getLanguageVersion() {
    return VERSION;
  }

  @Override
  public Object getParameter(String key) {
    return switch (key) {
      case ScriptEngine.ENGINE -> getEngineName();
      case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
      case ScriptEngine.NAME -> "dln";
      case ScriptEngine.LANGUAGE -> getLanguageName();
      case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
      default -> null; // "THREADING": not thread-safe (see the class comment)
    };
  }

  @Override
  public String getMethodCallSyntax(String obj, String m, String... args) {
    return obj + "." + m + "(" + String.join(", ", args) + ")";
  }

  @Override
  public String getOutputStatement(String toDisplay) {
    return "print(" + Values.quote(toDisplay) + ")";
  }

  @Override
  public String getProgram(String... statements) {
    return String.join("\n", statements) + "\n";
  }

  /** A sandboxed engine with default settings (no file access, no time limit). */
  @Override
  public ScriptEngine getScriptEngine() {
    return new DlnScriptEngine(this, Dln.builder());
  }

  /**
   * An engine whose interpreter is configured by {@code builder} (sandbox, timeout, seed, limits);
   * its output goes to the engine's ScriptContext writers, whatever the builder says.
   */
  public DlnScriptEngine getScriptEngine(Dln.Builder builder) {
    return new DlnScriptEngine(this, builder);
  }
}
