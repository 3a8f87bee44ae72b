package dln.interp.value;

import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exception object: what {@code ValueError('bad')} or a user class {@code MyError('bad')} makes
 * and {@code except … as e} binds. Like a Python exception it has {@code args} (set by
 * BaseException's {@code __init__}), attributes a user {@code __init__} assigns, and the class's
 * methods; {@code __str__}/{@code __repr__} defined by a user class decide how it prints.
 */
public final class ExceptionValue {
  private final ExceptionType type;
  private Tuple args;
  private final Map<String, Object> attrs = new LinkedHashMap<>();
  /** The interpreter that made it, which runs a user {@code __str__}; null for DLN's own errors. */
  private final Invoker invoker;

  public ExceptionValue(ExceptionType type, Tuple args) {
    this(type, args, null);
  }

  ExceptionValue(ExceptionType type, Tuple args, Invoker invoker) {
    this.type = type;
    this.args = args;
    this.invoker = invoker;
  }

  public ExceptionType type() {
    return type;
  }

  public Tuple args() {
    return args;
  }

  void setArgs(Tuple args) {
    this.args = args;
  }

  /** Attributes set on the exception ({@code self.code = code}, {@code __cause__}). */
  public Map<String, Object> attrs() {
    return attrs;
  }

  /** An attribute of the exception, else a member of its class bound to it; null if none. */
  public Object get(String name) {
    Object v = attrs.get(name);
    if (v != null) return v;
    Object m = type.find(name);
    return m == null ? null : DlnObject.bind(this, m);
  }

  /** str(e): a user {@code __str__}, else the message as in Python (one argument as text, several as their tuple). */
  public String message() {
    String user = callUser("__str__");
    if (user != null) return user;
    if (args.size() == 0) return "";
    if (args.size() == 1) return Values.str(args.get(0));
    return Values.repr(args);
  }

  /** repr(e): a user {@code __repr__}, else e.g. {@code ValueError('bad')}. */
  public String repr() {
    String user = callUser("__repr__");
    if (user != null) return user;
    if (args.size() == 1) return type.name() + "(" + Values.repr(args.get(0)) + ")";
    return type.name() + Values.repr(args);
  }

  private String callUser(String method) {
    Object m = type.find(method);
    if (!(m instanceof Callable) || invoker == null) return null;
    return Values.str(((Callable) DlnObject.bind(this, m)).call(invoker, List.of(), Map.of()));
  }
}
