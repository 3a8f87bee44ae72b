package dln.interp;

import java.util.HashMap;
import java.util.Map;

/** Variables of one function call (or the globals), with the scope it closes over. */
public final class Scope {
  private final Map<String, Object> vars = new HashMap<>();
  private final Scope parent;
  /** Names declared global or nonlocal here, with the scope that binds them. */
  private Map<String, Scope> declared;

  public Scope(Scope parent) {
    this.parent = parent;
  }

  public Object lookup(String name) {
    if (declared != null && declared.containsKey(name)) return declared.get(name).lookup(name);
    for (Scope s = this; s != null; s = s.parent) {
      Object v = s.vars.get(name);
      if (v != null) return v;
    }
    return null;
  }

  /** Assignment binds in this scope (Python's rule without global/nonlocal). */
  public void define(String name, Object value) {
    if (declared != null && declared.containsKey(name)) declared.get(name).define(name, value);
    else vars.put(name, value);
  }

  public boolean remove(String name) {
    if (declared != null && declared.containsKey(name)) return declared.get(name).remove(name);
    return vars.remove(name) != null;
  }

  /** {@code global name} / {@code nonlocal name}: assignments here bind in {@code owner}. */
  public void declare(String name, Scope owner) {
    if (owner == this) return;
    if (declared == null) declared = new HashMap<>();
    declared.put(name, owner);
    vars.remove(name);
  }

  /** The module (global) scope this scope belongs to: the one just inside the builtins. */
  public Scope moduleScope() {
    Scope s = this;
    while (s.parent != null && s.parent.parent != null) s = s.parent;
    return s;
  }

  /** The nearest enclosing function scope that binds {@code name}, below the module; null if none. */
  public Scope enclosingBinding(String name) {
    Scope module = moduleScope();
    for (Scope s = parent; s != null && s != module; s = s.parent) if (s.vars.containsKey(name)) return s;
    return null;
  }

  public Map<String, Object> vars() {
    return vars;
  }

  public Scope parent() {
    return parent;
  }
}
