package dln.interp.call;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Attributes and methods of Java-backed values (tensors, layers, models, histories), declared in one
 * table per type. The evaluator looks up {@code x.name} here, walking the Java class hierarchy, so a
 * runtime class gains DLN attributes without knowing the language exists. The same table feeds
 * completion after "." and {@code :help}.
 */
public final class TypeTable {
  /** The declarations for one Java type. */
  public static final class Type<T> {
    final Class<T> cls;
    final String name;
    final Map<String, Function<T, Object>> getters = new LinkedHashMap<>();
    final Map<String, BiConsumer<T, Object>> setters = new LinkedHashMap<>();
    final Map<String, Method> methods = new LinkedHashMap<>();
    Function<T, String> repr;
    CallImpl<T> call;

    Type(Class<T> cls, String name) {
      this.cls = cls;
      this.name = name;
    }

    /** A read-only attribute, e.g. {@code x.shape}. */
    public Type<T> attr(String attr, Function<T, Object> getter) {
      getters.put(attr, getter);
      return this;
    }

    /** A writable attribute, e.g. {@code layer.trainable = false}. */
    public Type<T> setter(String attr, BiConsumer<T, Object> setter) {
      setters.put(attr, setter);
      return this;
    }

    public Type<T> method(String method, String params, String doc, Method.Impl<T> impl) {
      methods.put(method, new Method(method, params, doc, impl));
      return this;
    }

    /**
     * Makes values of this type callable from DLN, as in {@code layer(x)} or {@code x -> model}:
     * runtime classes become callable without depending on the interpreter.
     */
    public Type<T> call(CallImpl<T> impl) {
      this.call = impl;
      return this;
    }

    /** How the REPL prints a value of this type. */
    public Type<T> repr(Function<T, String> fn) {
      this.repr = fn;
      return this;
    }

    public String name() {
      return name;
    }
  }

  /** The body of a call on a value of a declared type (see {@link Type#call}). */
  @FunctionalInterface
  public interface CallImpl<T> {
    Object call(T self, Invoker invoker, List<Object> positional, Map<String, Object> keywords);
  }

  private static final Map<Class<?>, Type<?>> TYPES = new ConcurrentHashMap<>();

  private TypeTable() {}

  /** Declares (or extends) the DLN type for a Java class. */
  @SuppressWarnings("unchecked")
  public static synchronized <T> Type<T> define(Class<T> cls, String name) {
    return (Type<T>) TYPES.computeIfAbsent(cls, c -> new Type<>(cls, name));
  }

  /** The most specific declared type of a value, or null. */
  public static Type<?> typeOf(Object v) {
    if (v == null) return null;
    for (Class<?> c = v.getClass(); c != null; c = c.getSuperclass()) {
      Type<?> t = TYPES.get(c);
      if (t != null) return t;
      for (Class<?> i : c.getInterfaces()) {
        Type<?> ti = TYPES.get(i);
        if (ti != null) return ti;
      }
    }
    return null;
  }

  /** All types that apply to a value, most specific first (for attribute lookup). */
  private static List<Type<?>> chain(Object v) {
    return chain(v.getClass());
  }

  private static List<Type<?>> chain(Class<?> cls) {
    List<Type<?>> out = new ArrayList<>();
    for (Class<?> c = cls; c != null; c = c.getSuperclass()) {
      Type<?> t = TYPES.get(c);
      if (t != null) out.add(t);
      for (Class<?> i : c.getInterfaces()) {
        Type<?> ti = TYPES.get(i);
        if (ti != null && !out.contains(ti)) out.add(ti);
      }
    }
    return out;
  }

  /** The attribute value or bound method, or null when the value has no such attribute. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object getAttr(Object v, String attr) {
    for (Type t : chain(v)) {
      Function getter = (Function) t.getters.get(attr);
      if (getter != null) return getter.apply(v);
      Method m = (Method) t.methods.get(attr);
      if (m != null) return new BoundMethod(v, typeOf(v).name, m);
    }
    return null;
  }

  /** Sets an attribute; returns false when the attribute is not writable. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static boolean setAttr(Object v, String attr, Object value) {
    for (Type t : chain(v)) {
      BiConsumer setter = (BiConsumer) t.setters.get(attr);
      if (setter != null) {
        setter.accept(v, value);
        return true;
      }
    }
    return false;
  }

  /**
   * The value as something callable: itself when it is a {@link Callable}, an adapter when its
   * type declares {@link Type#call}, otherwise null.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Callable callable(Object v) {
    if (v instanceof Callable c) return c;
    if (v == null) return null;
    // An instance of a class that defines (or inherits) __call__, such as a custom layer.
    if (v instanceof dln.interp.value.DlnObject o) return o.get("__call__") instanceof Callable c ? c : null;
    for (Type t : chain(v)) {
      if (t.call == null) continue;
      CallImpl impl = t.call;
      // The value's own type names the call in tracebacks ("calling Lambda", not the Layer that defines calls).
      String name = typeOf(v).name;
      return new Callable() {
        @Override
        public String name() {
          return name;
        }

        @Override
        public Object call(Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
          return impl.call(v, invoker, positional, keywords);
        }
      };
    }
    return null;
  }

  /** Attribute and method names of a value, for completion and "did you mean". */
  public static List<String> attrNames(Object v) {
    List<String> out = new ArrayList<>();
    for (Type<?> t : chain(v)) {
      for (String s : t.getters.keySet()) if (!out.contains(s)) out.add(s);
      for (String s : t.methods.keySet()) if (!out.contains(s)) out.add(s);
    }
    return out;
  }

  /** Names of a value's writable attributes, for "did you mean" when an assignment misses. */
  public static List<String> setterNames(Object v) {
    List<String> out = new ArrayList<>();
    for (Type<?> t : chain(v)) for (String s : t.setters.keySet()) if (!out.contains(s)) out.add(s);
    return out;
  }

  /** The declared method (for help), or null. */
  /**
   * Every declared type's method of this name, by type name (sorted): for help on a method without a
   * value at hand, {@code :help fit} or {@code :help Sequential.fit}.
   */
  public static java.util.SortedMap<String, Method> methodsNamed(String name) {
    java.util.SortedMap<String, Method> out = new java.util.TreeMap<>();
    for (Type<?> t : TYPES.values()) {
      Method m = t.methods.get(name);
      if (m != null) out.put(t.name, m);
    }
    return out;
  }

  /** The method {@code name} of the type called {@code typeName}, inherited ones included ({@code Sequential.fit}); or null. */
  public static Method methodOf(String typeName, String name) {
    for (Type<?> t : TYPES.values()) {
      if (!t.name.equals(typeName)) continue;
      for (Type<?> owner : chain(t.cls)) {
        Method m = owner.methods.get(name);
        if (m != null) return m;
      }
    }
    return null;
  }

  public static Method method(Object v, String name) {
    for (Type<?> t : chain(v)) {
      Method m = t.methods.get(name);
      if (m != null) return m;
    }
    return null;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  public static String repr(Object v) {
    for (Type t : chain(v)) if (t.repr != null) return (String) t.repr.apply(v);
    return null;
  }
}
