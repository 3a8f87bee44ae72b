package dln.interp;

import java.util.HashMap;
import java.util.Map;

/** Variables of one function call (or the globals), with the scope it closes over. */
public final class Scope {
  private final Map<String, Object> vars = new HashMap<>();
  private final Scope parent;

  public Scope(Scope parent) {
    this.parent = parent;
  }

  public Object lookup(String name) {
    for (Scope s = this; s != null; s = s.parent) {
      Object v = s.vars.get(name);
      if (v != null) return v;
    }
    return null;
  }

  /** Assignment binds in this scope (Python's rule without global/nonlocal). */
  public void define(String name, Object value) {
    vars.put(name, value);
  }

  public boolean remove(String name) {
    return vars.remove(name) != null;
  }

  public Map<String, Object> vars() {
    return vars;
  }

  public Scope parent() {
    return parent;
  }
}
