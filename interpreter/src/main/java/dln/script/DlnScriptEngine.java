package dln.script;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.Scope;
import dln.interp.call.Callable;
import dln.interp.call.TypeTable;
import dln.interp.value.JavaValues;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

/**
 * DLN as a JSR-223 script engine, {@link Compilable} and {@link Invocable}.
 *
 * <p><b>Bindings are variables.</b> Before each eval the DLN globals are made to mirror the
 * context's bindings ({@code GLOBAL_SCOPE} first, {@code ENGINE_SCOPE} overriding it; keys that
 * are not DLN names, such as {@code javax.script.filename}, and Java objects DLN cannot hold are
 * left out); afterwards every DLN global is written back to {@code ENGINE_SCOPE} (a global-scope
 * value the script did not change stays only there). Values convert as in {@link JavaValues}: a
 * {@code float[]} put in goes in as a tensor and comes out as an {@code INDArray}; ints come out
 * as {@code Long}, floats as {@code Double}.
 *
 * <p>{@code print} writes to the context's writer, warnings to its error writer. Errors are
 * {@link ScriptException}s with file, line and column, whose cause is the {@link DlnException}.
 *
 * <p>{@link #invokeFunction} calls a DLN function by name, {@link #invokeMethod} a method of a
 * DLN object (e.g. a model's {@code predict}), and {@link #getInterface(Class)} implements a
 * Java interface with DLN functions of the same names, converting results to the declared return
 * types ({@code float[]}, {@code double}…).
 *
 * <p>Not thread-safe (factory parameter THREADING is null): use one engine per thread.
 */
public final class DlnScriptEngine extends AbstractScriptEngine implements Compilable, Invocable {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final DlnScriptEngineFactory factory;
  private final RedirectingWriter out;
  private final RedirectingWriter err;
  private final Dln dln;
  /** What each variable was last exported as (Java value, DLN value), so unchanged values keep their identity. */
  private final Map<String, Object[]> exported = new HashMap<>();
  /** Values imported from GLOBAL_SCOPE (DLN form), not written back to ENGINE_SCOPE unless changed. */
  private final Map<String, Object> fromGlobal = new HashMap<>();

  DlnScriptEngine(DlnScriptEngineFactory factory, Dln.Builder builder) {
    this.factory = factory;
    ScriptContext ctx = getContext();
    this.out = new RedirectingWriter(ctx.getWriter());
    this.err = new RedirectingWriter(ctx.getErrorWriter());
    this.dln = builder.out(out).err(err).build();
  }

  /** The interpreter behind this engine: register host functions, cancel a running script. */
  public Dln dln() {
    return dln;
  }

  @Override
  public Object eval(String script, ScriptContext context) throws ScriptException {
    String name = fileName(context);
    return runWith(context, d -> d.eval(script, name));
  }

  @Override
  public Object eval(Reader reader, ScriptContext context) throws ScriptException {
    return eval(read(reader), context);
  }

  @Override
  public Bindings createBindings() {
    return new SimpleBindings();
  }

  @Override
  public ScriptEngineFactory getFactory() {
    return factory;
  }

  // --------------------------------------------------------------------------------- Compilable

  @Override
  public CompiledScript compile(String script) throws ScriptException {
    try {
      return new DlnCompiledScript(this, dln.parse(script, fileName(context)));
    } catch (DlnException e) {
      throw scriptException(e);
    }
  }

  @Override
  public CompiledScript compile(Reader script) throws ScriptException {
    return compile(read(script));
  }

  // ---------------------------------------------------------------------------------- Invocable

  @Override
  public Object invokeFunction(String name, Object... args) throws ScriptException, NoSuchMethodException {
    if (name == null) throw new NullPointerException("name");
    List<Object> list = args == null ? List.of() : Arrays.asList(args);
    try {
      return runWith(context, d -> {
        Object fn = d.interpreter().globals().lookup(name);
        if (!(fn instanceof Callable)) throw new NoSuchFunction(name);
        return d.invoke(fn, list, Map.of());
      });
    } catch (NoSuchFunction e) {
      throw new NoSuchMethodException(e.getMessage());
    }
  }

  @Override
  public Object invokeMethod(Object thiz, String name, Object... args) throws ScriptException, NoSuchMethodException {
    if (thiz == null) throw new IllegalArgumentException("invokeMethod needs an object, got null");
    if (name == null) throw new NullPointerException("name");
    List<Object> list = args == null ? List.of() : Arrays.asList(args);
    Object target = JavaValues.toDln(thiz);
    try {
      return runWith(context, d -> {
        Object m = TypeTable.getAttr(target, name);
        if (!(m instanceof Callable)) throw new NoSuchFunction(name);
        return d.invoke(m, list, Map.of());
      });
    } catch (NoSuchFunction e) {
      throw new NoSuchMethodException(e.getMessage());
    }
  }

  @Override
  public <T> T getInterface(Class<T> type) {
    return implement(null, type);
  }

  @Override
  public <T> T getInterface(Object thiz, Class<T> type) {
    if (thiz == null) throw new IllegalArgumentException("getInterface needs an object, got null");
    return implement(thiz, type);
  }

  /** A proxy calling DLN functions (or methods of {@code thiz}), or null when one is missing. */
  private <T> T implement(Object thiz, Class<T> type) {
    if (type == null || !type.isInterface()) throw new IllegalArgumentException(type + " is not an interface");
    try {
      runWith(context, d -> {
        for (Method m : type.getMethods()) {
          if (!Modifier.isAbstract(m.getModifiers())) continue;
          Object fn = thiz == null ? d.interpreter().globals().lookup(m.getName()) : TypeTable.getAttr(JavaValues.toDln(thiz), m.getName());
          if (!(fn instanceof Callable)) throw new NoSuchFunction(m.getName());
        }
        return null;
      });
    } catch (NoSuchFunction | ScriptException e) {
      return null;
    }
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) return objectMethod(proxy, method, args, type);
      if (method.isDefault()) return InvocationHandler.invokeDefault(proxy, method, args);
      Object r;
      try {
        r = thiz == null ? invokeFunction(method.getName(), args) : invokeMethod(thiz, method.getName(), args);
      } catch (ScriptException e) {
        throw e.getCause() instanceof DlnException d ? d : new IllegalStateException(e);
      }
      if (method.getReturnType() == void.class) return null;
      return JavaValues.toJava(JavaValues.toDln(r), method.getReturnType(), "the result of " + method.getName() + "()");
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static Object objectMethod(Object proxy, Method method, Object[] args, Class<?> type) {
    return switch (method.getName()) {
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      default -> "DLN implementation of " + type.getName();
    };
  }

  // ------------------------------------------------------------------------------------ running

  /** Thrown inside a run to report a missing function as NoSuchMethodException. */
  private static final class NoSuchFunction extends RuntimeException {
    NoSuchFunction(String name) {
      super("no DLN function named '" + name + "'", null, false, false);
    }
  }

  interface Body {
    Object run(Dln dln);
  }

  /** Imports the bindings, runs, exports the variables: everything an engine call does. */
  synchronized Object runWith(ScriptContext context, Body body) throws ScriptException {
    if (context == null) throw new NullPointerException("context");
    out.target(context.getWriter());
    err.target(context.getErrorWriter());
    importBindings(context);
    try {
      return body.run(dln);
    } catch (DlnException e) {
      throw scriptException(e);
    } finally {
      exportBindings(context);
      try {
        context.getWriter().flush();
        context.getErrorWriter().flush();
      } catch (IOException ignored) {
        // the host's writer failing to flush is not the script's error
      }
    }
  }

  private void importBindings(ScriptContext context) {
    Map<String, Object> wanted = new LinkedHashMap<>();
    Map<String, Object> globalValues = new HashMap<>();
    Bindings global = context.getBindings(ScriptContext.GLOBAL_SCOPE);
    if (global != null) {
      global.forEach((k, v) -> {
        if (IDENTIFIER.matcher(k).matches()) {
          wanted.put(k, v);
          globalValues.put(k, v);
        }
      });
    }
    Bindings engine = context.getBindings(ScriptContext.ENGINE_SCOPE);
    if (engine != null) {
      engine.forEach((k, v) -> {
        if (IDENTIFIER.matcher(k).matches()) {
          wanted.put(k, v);
          globalValues.remove(k);
        }
      });
    }
    Scope globals = dln.interpreter().globals();
    for (String name : new ArrayList<>(globals.vars().keySet())) {
      if (!wanted.containsKey(name)) globals.remove(name);
    }
    fromGlobal.clear();
    for (Map.Entry<String, Object> e : wanted.entrySet()) {
      Object[] prev = exported.get(e.getKey());
      Object value;
      if (prev != null && prev[0] == e.getValue()) {
        value = prev[1];
      } else {
        try {
          value = JavaValues.toDln(e.getValue());
        } catch (DlnException notRepresentable) {
          continue; // a host object meant for other engines: invisible to DLN
        }
      }
      globals.define(e.getKey(), value);
      if (globalValues.containsKey(e.getKey())) fromGlobal.put(e.getKey(), value);
    }
  }

  private void exportBindings(ScriptContext context) {
    Bindings engine = context.getBindings(ScriptContext.ENGINE_SCOPE);
    if (engine == null) return;
    exported.clear();
    for (Map.Entry<String, Object> e : dln.interpreter().globals().vars().entrySet()) {
      if (fromGlobal.get(e.getKey()) == e.getValue()) continue;
      Object java = JavaValues.toJava(e.getValue());
      engine.put(e.getKey(), java);
      exported.put(e.getKey(), new Object[] {java, e.getValue()});
    }
  }

  private static String fileName(ScriptContext context) {
    Object f = context == null ? null : context.getAttribute(ScriptEngine.FILENAME);
    return f == null ? "<script>" : f.toString();
  }

  private static String read(Reader reader) throws ScriptException {
    StringWriter w = new StringWriter();
    try {
      reader.transferTo(w);
    } catch (IOException e) {
      throw new ScriptException(e);
    }
    return w.toString();
  }

  private static ScriptException scriptException(DlnException e) {
    String msg = e.kind() + ": " + e.getMessage() + (e.hint() == null ? "" : " (hint: " + e.hint() + ")");
    ScriptException s = e.pos() == null ? new ScriptException(msg, null, -1, -1)
        : new ScriptException(msg, e.pos().source().name(), e.pos().line(), e.pos().col() + 1);
    s.initCause(e);
    return s;
  }
}
