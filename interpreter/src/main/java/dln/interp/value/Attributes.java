package dln.interp.value;

import dln.interp.DlnException;
import dln.interp.call.TypeTable;
import dln.runtime.nn.Names;
import java.util.Collection;

/**
 * {@code x.name} and {@code x.name = v}: namespace members, and the attributes and methods that
 * {@link TypeTable} declares for runtime values. A miss suggests the closest name the value has.
 * Errors carry no position: the evaluator adds the position of the attribute.
 */
public final class Attributes {
  private Attributes() {}

  /** The attribute's value (a bound method for methods); an "attribute error" when there is none. */
  public static Object get(Object obj, String name) {
    obj = instance(obj);
    if (obj instanceof Namespace ns) {
      Object v = ns.get(name);
      if (v != null) return v;
      String close = Names.closest(name, ns.members().keySet());
      throw new DlnException("attribute error", ns.name() + " has no member '" + name + "'",
          close != null ? "did you mean '" + ns.name() + "." + close + "'?" : null, null);
    }
    if (obj instanceof DlnObject o) {
      Object v = o.get(name);
      if (v != null) return v;
      throw new DlnException("attribute error", "'" + o.cls().name() + "' object has no attribute '" + name + "'",
          didYouMean(name, names(o)), null);
    }
    if (obj instanceof DlnClass c) {
      Object v = name.equals("__name__") ? c.name() : c.find(name);
      if (v != null) return v;
      throw new DlnException("attribute error", "class '" + c.name() + "' has no attribute '" + name + "'",
          didYouMean(name, c.memberNames()), null);
    }
    if (obj instanceof ExceptionValue e) {
      Object v = e.get(name);
      if (v != null) return v;
    }
    if (obj instanceof ExceptionType t && !name.equals("__name__")) {
      Object v = t.find(name);
      if (v != null) return v;
    }
    if (obj instanceof Super s) {
      Object v = s.get(name);
      if (v != null) return v;
      throw new DlnException("attribute error", "'super' object has no attribute '" + name + "'", null, null);
    }
    Object v = TypeTable.getAttr(obj, name);
    if (v != null) return v;
    throw new DlnException("attribute error", Values.typeName(obj) + " has no attribute '" + name + "'",
        didYouMean(name, TypeTable.attrNames(obj)), null);
  }

  /** Sets a writable attribute; a "type error" when the value has no such writable attribute. */
  public static void set(Object obj, String name, Object value) {
    obj = instance(obj);
    if (obj instanceof DlnObject o) {
      // layer.trainable = False reaches the runtime layer; everything else is the instance's own.
      if (o.peer() != null && TypeTable.setterNames(o.peer()).contains(name)) TypeTable.setAttr(o.peer(), name, value);
      else o.attrs().put(name, value);
      return;
    }
    if (obj instanceof DlnClass c) {
      c.setMember(name, value);
      return;
    }
    if (obj instanceof ExceptionValue e && !name.equals("args")) {
      e.attrs().put(name, value);
      return;
    }
    if (obj instanceof Namespace || !TypeTable.setAttr(obj, name, value)) {
      String hint = obj instanceof Namespace ? null : didYouMean(name, TypeTable.setterNames(obj));
      throw new DlnException("type error", "cannot set attribute '" + name + "' of " + Values.typeName(obj), hint, null);
    }
  }

  /** dir(obj): the attribute and method names obj has, sorted. */
  public static java.util.List<String> dir(Object obj) {
    java.util.TreeSet<String> out = new java.util.TreeSet<>();
    if (obj instanceof Namespace ns) out.addAll(ns.members().keySet());
    else if (obj instanceof DlnObject o) out.addAll(names(o));
    else if (obj instanceof DlnClass c) out.addAll(c.memberNames());
    else if (obj instanceof ExceptionType t) out.addAll(t.memberNames());
    else if (obj instanceof ExceptionValue e) {
      out.addAll(e.attrs().keySet());
      out.addAll(e.type().memberNames());
    }
    out.addAll(TypeTable.attrNames(obj));
    return new java.util.ArrayList<>(out);
  }

  private static java.util.List<String> names(DlnObject o) {
    java.util.List<String> out = new java.util.ArrayList<>(o.attrs().keySet());
    out.addAll(o.cls().memberNames());
    if (o.peer() != null) out.addAll(TypeTable.attrNames(o.peer()));
    return out;
  }

  /**
   * A runtime layer made by a {@code class} statement, found in a model's layers, is seen as the
   * user's instance, with the attributes its methods set.
   */
  private static Object instance(Object obj) {
    return obj instanceof dln.runtime.nn.ScriptedLayer s && s.body().owner() instanceof DlnObject o ? o : obj;
  }

  private static String didYouMean(String name, Collection<String> known) {
    String close = Names.closest(name, known);
    return close != null ? "did you mean '" + close + "'?" : null;
  }
}
