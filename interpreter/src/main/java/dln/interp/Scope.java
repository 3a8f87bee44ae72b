package dln.interp;

import java.util.HashMap;
import java.util.Map;

/** Variables of one function call (or the globals), with the scope it closes over. */
public final class Scope {
  private final Map<String, Object> vars = new HashMap<>();
  private final Scope parent;
  /** Names declared global or nonlocal here, with the scope that binds them. */
  private Map<String, Scope> declared;
  /**
   * Names bound to a tensor that an operator made for them and that nothing has read since: the
   * binding is its only holder, so the next {@code name = x op y} may overwrite it. Reading the
   * name (other than as such an operand), rebinding or removing it, or handing out the variables
   * ({@link #vars()}) drops the mark.
   */
  private Map<String, Object> sole;

  public Scope(Scope parent) {
    this.parent = parent;
  }

  public Object lookup(String name) {
    if (declared != null && declared.containsKey(name)) return declared.get(name).lookup(name);
    for (Scope s = this; s != null; s = s.parent) {
      Object v = s.vars.get(name);
      if (v != null) {
        if (s.sole != null) s.sole.remove(name);
        return v;
      }
    }
    return null;
  }

  /**
   * {@link #lookup} for an operand of {@code name = x op y}, which the operator reads and does not
   * keep: the name's {@linkplain #defineSole sole} mark stays.
   */
  public Object lookupOperand(String name) {
    if (declared != null && declared.containsKey(name)) return declared.get(name).lookupOperand(name);
    for (Scope s = this; s != null; s = s.parent) {
      Object v = s.vars.get(name);
      if (v != null) return v;
    }
    return null;
  }

  /** Assignment binds in this scope (Python's rule without global/nonlocal). */
  public void define(String name, Object value) {
    if (declared != null && declared.containsKey(name)) {
      declared.get(name).define(name, value);
      return;
    }
    vars.put(name, value);
    if (sole != null) sole.remove(name);
  }

  /** {@link #define}, the value being a tensor an operator has just made that nothing else holds. */
  public void defineSole(String name, Object value) {
    define(name, value);
    if (declared != null && declared.containsKey(name)) return;
    if (sole == null) sole = new HashMap<>();
    sole.put(name, value);
  }

  /** The value {@link #defineSole} bound to the name here, if nothing has read it since; else null. */
  public Object soleValue(String name) {
    if (sole == null || (declared != null && declared.containsKey(name))) return null;
    Object v = sole.get(name);
    return v != null && vars.get(name) == v ? v : null;
  }

  public boolean remove(String name) {
    if (declared != null && declared.containsKey(name)) return declared.get(name).remove(name);
    if (sole != null) sole.remove(name);
    return vars.remove(name) != null;
  }

  /** {@code global name} / {@code nonlocal name}: assignments here bind in {@code owner}. */
  public void declare(String name, Scope owner) {
    if (owner == this) return;
    if (declared == null) declared = new HashMap<>();
    declared.put(name, owner);
    vars.remove(name);
    if (sole != null) sole.remove(name);
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

  /** The variables bound here; whoever reads them may keep any value, so no binding stays sole. */
  public Map<String, Object> vars() {
    sole = null;
    return vars;
  }

  public Scope parent() {
    return parent;
  }
}
