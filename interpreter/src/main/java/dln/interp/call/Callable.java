package dln.interp.call;

import java.util.List;
import java.util.Map;

/** Anything a DLN program can call: builtins, user functions, bound methods, layers, models. */
public interface Callable {
  /** The name used in error messages, e.g. "Dense" or "model.fit". */
  String name();

  /**
   * Calls with evaluated arguments. Positional arguments in order, keyword arguments by name (in
   * source order). Errors are {@link dln.interp.DlnException}s without a position; the caller adds it.
   */
  Object call(Invoker invoker, List<Object> positional, Map<String, Object> keywords);
}
