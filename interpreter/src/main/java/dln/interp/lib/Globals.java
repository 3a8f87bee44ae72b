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
