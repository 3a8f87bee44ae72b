package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Callable;
import dln.interp.call.Invoker;
import dln.interp.value.Values;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import dln.runtime.nn.GraphFunction;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A DLN function as the runtime's {@link GraphFunction} (a Lambda layer's): called on the layer's
 * input as a {@link Traced} tensor, so the operators and math functions it uses add graph
 * operations (as inside {@code grad}); an error in it is located in the user's code, with the
 * traceback, by the interpreter's own call.
 */
final class DlnGraphFunction implements GraphFunction {
  private final Callable function;
  private final Invoker invoker;

  DlnGraphFunction(Callable function, Invoker invoker) {
    this.function = function;
    this.invoker = invoker;
  }

  @Override
  public SDVariable apply(SDVariable input) {
    Object r = invoker.call(function, List.of(new Traced(input)), Map.of());
    if (r instanceof Variable v) r = v.current();
    if (r instanceof Traced t) return t.var();
    throw new DlnException("type error", "Lambda's function " + describe() + " must return a tensor computed from its input, got "
        + Values.typeName(r), "e.g. Lambda(lambda x: x * 2) or Lambda(lambda x: relu(x) - 1)", null);
  }

  @Override
  public String describe() {
    return function.name();
  }
}
