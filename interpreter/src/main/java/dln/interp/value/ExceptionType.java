package dln.interp.value;

import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import java.util.List;
import java.util.Map;

/**
 * A Python exception class such as {@code ValueError}: calling it makes an {@link ExceptionValue}
 * to raise, and {@code except ValueError} catches the DLN errors {@link PythonErrors} maps onto it.
 */
public final class ExceptionType implements Callable {
  private final String name;
  private final ExceptionType parent;
  private final String doc;

  ExceptionType(String name, ExceptionType parent, String doc) {
    this.name = name;
    this.parent = parent;
    this.doc = doc;
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
    if (!keywords.isEmpty()) {
      throw dln.interp.DlnException.argument(name + "() takes no keyword arguments");
    }
    return new ExceptionValue(this, new Tuple(List.copyOf(positional)));
  }

  @Override
  public String toString() {
    return "<class '" + name + "'>";
  }
}
