package dln.interp.call;

import java.util.List;
import java.util.Map;

/**
 * A function implemented in Java. {@code doc} is shown by {@code :help NAME}: a first line of
 * description, then optionally an example.
 */
public final class Builtin implements Callable {
  /** The body of a builtin. */
  @FunctionalInterface
  public interface Impl {
    Object call(Args args);
  }

  private final String name;
  private final Params params;
  private final Impl impl;
  private final String doc;
  /** True for the builtins that are Python's classes (int, str, list…): what type(x) returns. */
  private boolean isType;

  public Builtin(String name, String params, String doc, Impl impl) {
    this.name = name;
    this.params = Params.parse(params);
    this.impl = impl;
    this.doc = doc;
  }

  @Override
  public String name() {
    return name;
  }

  public Params params() {
    return params;
  }

  public String doc() {
    return doc;
  }

  /** Marks this builtin as a class, so type(3) is int and it prints as {@code <class 'int'>}. */
  public Builtin asType() {
    isType = true;
    return this;
  }

  public boolean isType() {
    return isType;
  }

  /** The name without its namespace ({@code zeros} for np.zeros), as Python's {@code __name__}. */
  public String shortName() {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** "Dense(units, activation?, ...)" for help and completion. */
  public String signature() {
    return name + "(" + params + ")";
  }

  @Override
  public Object call(Invoker invoker, List<Object> positional, Map<String, Object> keywords) {
    Object r = impl.call(Args.bind(name, params, invoker, positional, keywords));
    return r == null ? dln.interp.value.None.NONE : r;
  }

  @Override
  public String toString() {
    return isType ? "<class '" + name + "'>" : "<builtin " + name + ">";
  }
}
