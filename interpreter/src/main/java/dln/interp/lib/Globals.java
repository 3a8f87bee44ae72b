package dln.interp.lib;

import dln.interp.call.Builtin;
import dln.interp.value.Namespace;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The builtin table: every name a fresh interpreter starts with. One table feeds name lookup,
 * {@code :help}, and completion.
 */
public final class Globals {
  private final Map<String, Object> values = new LinkedHashMap<>();
  private final Map<String, String> docs = new LinkedHashMap<>();
  private final Map<String, Namespace> modules = new LinkedHashMap<>();

  /** Defines a builtin function. See {@link dln.interp.call.Params} for the parameter syntax. */
  public Builtin def(String name, String params, String doc, Builtin.Impl impl) {
    Builtin b = new Builtin(name, params, doc, impl);
    values.put(name, b);
    return b;
  }

  /** Defines a builtin inside a namespace such as {@code np}. */
  public Builtin def(Namespace ns, String name, String params, String doc, Builtin.Impl impl) {
    Builtin b = new Builtin(ns.name() + "." + name, params, doc, impl);
    ns.put(name, b);
    return b;
  }

  /** A second name for an existing builtin (e.g. DropOut for Dropout). */
  public void alias(String alias, String name) {
    Object v = values.get(name);
    if (v == null) throw new IllegalStateException("alias of unknown builtin " + name);
    values.put(alias, v);
  }

  /** A value (constant or namespace). */
  public void set(String name, Object value, String doc) {
    values.put(name, value);
    if (doc != null) docs.put(name, doc);
  }

  /** The namespace of that name, created on first use. */
  public Namespace namespace(String name) {
    Object v = values.get(name);
    if (v instanceof Namespace ns) return ns;
    Namespace ns = new Namespace(name);
    values.put(name, ns);
    return ns;
  }

  /**
   * The importable module of that dotted path (keras.layers), created with its parents on first use;
   * a child is also a member of its parent (keras.layers is keras's member layers).
   */
  public Namespace module(String path) {
    Namespace ns = modules.get(path);
    if (ns != null) return ns;
    int dot = path.lastIndexOf('.');
    ns = new Namespace(path);
    if (dot > 0) module(path.substring(0, dot)).put(path.substring(dot + 1), ns);
    modules.put(path, ns);
    return ns;
  }

  /** Makes an existing namespace importable under a module path as well (np is the module numpy). */
  public void module(String path, Namespace ns) {
    int dot = path.lastIndexOf('.');
    if (dot > 0) module(path.substring(0, dot)).put(path.substring(dot + 1), ns);
    modules.put(path, ns);
  }

  /**
   * Makes builtins already defined here members of a module too: the same objects, so that after
   * {@code import keras}, {@code keras.layers.Dense is Dense}.
   */
  public void export(String module, String... names) {
    Namespace ns = module(module);
    for (String name : names) {
      Object v = values.get(name);
      if (v == null) throw new IllegalStateException("export of unknown builtin " + name + " to " + module);
      ns.put(name, v);
    }
  }

  /** Every importable module by its dotted path. */
  public Map<String, Namespace> modules() {
    return modules;
  }

  /** Parameter names of a builtin parameter spec ("a, b?, *rest" gives a, b). */
  public static java.util.List<String> paramNames(String spec) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (dln.interp.call.Params.Param p : dln.interp.call.Params.parse(spec).params()) out.add(p.name());
    return out;
  }

  public Object get(String name) {
    return values.get(name);
  }

  public Map<String, Object> values() {
    return values;
  }

  /** Doc string for a non-function value, or null. */
  public String doc(String name) {
    return docs.get(name);
  }
}
