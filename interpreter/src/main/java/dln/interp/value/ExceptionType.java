package dln.interp.value;

import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python exception class such as {@code ValueError}, or one a {@code class MyError(ValueError):}
 * statement derives from it: calling it makes an {@link ExceptionValue} to raise (running the
 * nearest {@code __init__}, BaseException's by default), and {@code except ValueError} catches the
 * DLN errors {@link PythonErrors} maps onto it and every class derived from it.
 */
public final class ExceptionType implements Callable {
  private final String name;
  private final ExceptionType parent;
  private final String doc;
  /** Methods and class attributes: a user class's body; BaseException's own {@code __init__}. */
  private final Map<String, Object> members = new LinkedHashMap<>();

  ExceptionType(String name, ExceptionType parent, String doc) {
    this.name = name;
    this.parent = parent;
    this.doc = doc;
  }

  /** The class a {@code class name(parent):} statement makes, with its body's variables as members. */
  public static ExceptionType subclass(String name, ExceptionType parent, Map<String, Object> members, String doc) {
    ExceptionType t = new ExceptionType(name, parent, doc == null ? parent.doc : doc);
    t.members.putAll(members);
    return t;
  }

  /** The member of this class or the nearest base that defines it, or null. */
  public Object find(String member) {
    for (ExceptionType t = this; t != null; t = t.parent) {
      Object v = t.members.get(member);
      if (v != null) return v;
    }
    return null;
  }

  /** Member names of the class and its bases, for dir(). */
  public List<String> memberNames() {
    List<String> out = new java.util.ArrayList<>();
    for (ExceptionType t = this; t != null; t = t.parent) for (String k : t.members.keySet()) if (!out.contains(k)) out.add(k);
    return out;
  }

  void setMember(String member, Object value) {
    members.put(member, value);
  }

  @Override
  public String name() {
    return name;
  }

  /** The class it derives from; null for BaseException. */
  public ExceptionType parent() {
    return parent;
  }

  public String doc() {
    return doc;
  }

  /** True when this class is {@code other} or derives from it. */
  public boolean isSubclassOf(ExceptionType other) {
    for (ExceptionType t = this; t != null; t = t.parent) if (t == other) return true;
    return false;
  }

  @Override
  public Object call(Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
    ExceptionValue value = new ExceptionValue(this, new Tuple(List.copyOf(positional)), invoker);
    ((Callable) DlnObject.bind(value, find("__init__"))).call(invoker, positional, keywords);
    return value;
  }

  @Override
  public String toString() {
    return "<class '" + name + "'>";
  }
}
