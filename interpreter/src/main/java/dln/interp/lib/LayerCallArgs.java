package dln.interp.lib;

import dln.interp.call.Args;
import dln.interp.call.Callable;
import dln.interp.DlnException;
import dln.runtime.nn.GraphFunction;
import dln.runtime.nn.LayerArgs;

/**
 * The interpreter's arguments of a layer call seen through the runtime's {@link LayerArgs}, so
 * that a layer's {@link dln.runtime.nn.LayerSpec} reads them with the interpreter's own
 * conversions and error messages.
 */
final class LayerCallArgs implements LayerArgs {
  private final Args a;

  LayerCallArgs(Args a) {
    this.a = a;
  }

  @Override
  public boolean has(String name) {
    return a.has(name);
  }

  @Override
  public int intValue(String name) {
    return a.intValue(name);
  }

  @Override
  public int[] ints(String name) {
    return a.ints(name, 0);
  }

  @Override
  public long[] shape(String name) {
    return a.shape(name);
  }

  @Override
  public double number(String name) {
    return a.number(name);
  }

  @Override
  public boolean bool(String name) {
    return a.bool(name, false);
  }

  @Override
  public String name(String name) {
    return a.nameLike(name);
  }

  @Override
  public boolean isName(String name) {
    Object v = a.get(name);
    return v instanceof String || v instanceof Callable;
  }

  @Override
  public boolean isFunction(String name) {
    return a.get(name) instanceof Callable;
  }

  @Override
  public GraphFunction function(String name) {
    Object v = a.get(name);
    if (!(v instanceof Callable c)) {
      throw new DlnException("type error", "argument '" + name + "' must be a function, got " + dln.interp.value.Values.typeName(v),
          "e.g. Lambda(lambda x: x * 2)", null);
    }
    return new DlnGraphFunction(c, a.invoker());
  }

  @Override
  public Object raw(String name) {
    return a.get(name);
  }
}
