package dln.interp.value;

import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An instance of a {@link DlnClass}: its own attributes, then its class's members. */
public final class DlnObject {
  private final DlnClass cls;
  private final Map<String, Object> attrs = new LinkedHashMap<>();
  private Object peer;
  /** The interpreter that made it, which runs its {@code __str__}/{@code __repr__} when it prints. */
  private final Invoker invoker;

  DlnObject(DlnClass cls, Invoker invoker) {
    this.cls = cls;
    this.invoker = invoker;
  }

  /**
   * The runtime object a builtin base class made for this instance (a custom layer's runtime
   * layer), whose attributes the instance also has; null for plain classes.
   */
  public Object peer() {
    return peer;
  }

  public void setPeer(Object peer) {
    this.peer = peer;
  }

  public DlnClass cls() {
    return cls;
  }

  public Map<String, Object> attrs() {
    return attrs;
  }

  /** An attribute of the instance, else a member of the class (methods bound to this object); null if none. */
  public Object get(String name) {
    Object v = attrs.get(name);
    if (v != null) return v;
    Object m = cls.find(name);
    if (m instanceof Property p) return p.getter().call(invoker, List.of(this), Map.of());
    if (m != null) return bind(this, m);
    return peer == null ? null : dln.interp.call.TypeTable.getAttr(peer, name);
  }

  /** str(obj): the class's {@code __str__}, else its repr, as in Python. */
  public String str() {
    String s = callDunder("__str__");
    return s != null ? s : repr();
  }

  /** repr(obj): the class's {@code __repr__}, else {@code <Name object>}. */
  public String repr() {
    String s = callDunder("__repr__");
    return s != null ? s : "<" + cls.name() + " object>";
  }

  private String callDunder(String method) {
    Object m = cls.find(method);
    if (!(m instanceof Callable) || m instanceof NoOp || invoker == null) return null;
    Object r = ((Callable) bind(this, m)).call(invoker, List.of(), Map.of());
    if (!(r instanceof String s)) {
      throw new dln.interp.DlnException("type error", method + " returned " + Values.typeName(r) + ", not a string", null, null);
    }
    return s;
  }

  /** A class member as seen from {@code self}: functions become methods with self bound first. */
  public static Object bind(Object self, Object member) {
    if (!(member instanceof Callable fn) || member instanceof DlnClass || member instanceof ExceptionType) return member;
    return new Callable() {
      @Override
      public String name() {
        return fn.name();
      }

      @Override
      public Object call(Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
        List<Object> args = new ArrayList<>(positional.size() + 1);
        args.add(self);
        args.addAll(positional);
        return fn.call(invoker, args, keywords);
      }
    };
  }

  /** Calls a method if the class defines one other than the builtin base's; returns null if none. */
  public Object callIfDefined(Invoker invoker, String method, List<Object> args) {
    Object m = cls.find(method);
    if (m == null || m instanceof NoOp) return null;
    return ((Callable) bind(this, m)).call(invoker, args, Map.of());
  }

  /** A method of a builtin base class that does nothing (Callback.on_epoch_end, object.__init__…). */
  public record NoOp(String name) implements Callable {
    @Override
    public Object call(Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
      return None.NONE;
    }
  }
}
