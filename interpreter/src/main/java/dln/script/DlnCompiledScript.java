package dln.script;

import dln.interp.ast.Stmt;
import java.util.List;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptException;

/** A DLN script parsed once ({@link DlnScriptEngine#compile}) and run any number of times. */
public final class DlnCompiledScript extends CompiledScript {
  private final DlnScriptEngine engine;
  private final List<Stmt> program;

  DlnCompiledScript(DlnScriptEngine engine, List<Stmt> program) {
    this.engine = engine;
    this.program = program;
  }

  /** Runs the parsed statements with the context's bindings as variables. */
  @Override
  public Object eval(ScriptContext context) throws ScriptException {
    return engine.runWith(context, dln -> dln.run(program));
  }

  @Override
  public ScriptEngine getEngine() {
    return engine;
  }
}
