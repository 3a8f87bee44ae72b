package dln.interp.value;

import dln.interp.DlnException;
import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A class made by a {@code class} statement (or a builtin base such as {@code Callback}): its
 * members (methods and class attributes) and single base class. Calling it makes a
 * {@link DlnObject} and runs {@code __init__} on it.
 */
public final class DlnClass implements Callable {
  private final String name;
  private final DlnClass base;
  private final Map<String, Object> members;
  private final String doc;
  private final Setup setup;
  /** What calling this very class makes instead of an instance (keras.Model(inputs, outputs)); null for an instance. */
  private Callable factory;

  /** What a builtin base class does to each new instance before {@code __init__} runs (gives it a peer). */
  public interface Setup {
    void prepare(Invoker invoker, DlnObject instance);
  }

  public DlnClass(String name, DlnClass base, Map<String, Object> members, String doc) {
    this(name, base, members, doc, null);
  }

  public DlnClass(String name, DlnClass base, Map<String, Object> members, String doc, Setup setup) {
    this.name = name;
    this.base = base;
    this.members = new LinkedHashMap<>(members);
    this.doc = doc;
    this.setup = setup;
  }

  @Override
  public String name() {
    return name;
  }

  public DlnClass base() {
    return base;
  }

  public String doc() {
    return doc;
  }

  /** The member of this class or the nearest base that defines it, or null. */
  public Object find(String member) {
    for (DlnClass c = this; c != null; c = c.base) {
      Object v = c.members.get(member);
      if (v != null) return v;
    }
    return null;
  }

  /** The class (this one or a base) that defines {@code member}, or null. */
  public DlnClass definer(String member) {
    for (DlnClass c = this; c != null; c = c.base) if (c.members.containsKey(member)) return c;
    return null;
  }

  public boolean isSubclassOf(DlnClass other) {
    for (DlnClass c = this; c != null; c = c.base) if (c == other) return true;
    return false;
  }

  /** Member names of the class and its bases, for dir() and "did you mean". */
  public List<String> memberNames() {
    List<String> out = new java.util.ArrayList<>();
    for (DlnClass c = this; c != null; c = c.base) for (String k : c.members.keySet()) if (!out.contains(k)) out.add(k);
    return out;
  }

  /**
   * Makes calling this class itself (not a subclass) run {@code f}: a builtin class that is also a
   * function, as Keras's {@code Model} builds a functional model when called and is a base class.
   */
  public DlnClass withFactory(Callable f) {
    this.factory = f;
    return this;
  }

  public void setMember(String member, Object value) {
    members.put(member, value);
  }

  @Override
  public Object call(Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
    if (factory != null) return factory.call(invoker, positional, keywords);
    DlnObject self = new DlnObject(this, invoker);
    for (DlnClass c = this; c != null; c = c.base) {
      if (c.setup != null) {
        c.setup.prepare(invoker, self);
        break;
      }
    }
    Object init = find("__init__");
    if (init instanceof Callable c) {
      List<Object> args = new java.util.ArrayList<>(positional.size() + 1);
      args.add(self);
      args.addAll(positional);
      c.call(invoker, args, keywords);
    } else if (!positional.isEmpty() || !keywords.isEmpty()) {
      throw DlnException.argument(name + "() takes no arguments", "define __init__(self, …) to accept arguments");
    }
    return self;
  }

  @Override
  public String toString() {
    return "<class '" + name + "'>";
  }
}
