package dln.interp.call;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * What a builtin may ask of the running interpreter: call back into DLN code (a user's callback
 * function, a sort key), write output, and check for cancellation (Ctrl-C, timeouts).
 */
public interface Invoker {
  Object call(Object callee, List<Object> positional, Map<String, Object> keywords);

  default Object call(Object callee, Object... positional) {
    return call(callee, List.of(positional), Map.of());
  }

  PrintWriter out();

  PrintWriter err();

  /** Throws a DlnException ("interrupted") if the user pressed Ctrl-C or the host cancelled. */
  void checkCancelled();

  /** True when the interpreter has been asked to stop (long loops poll this). */
  boolean cancelRequested();

  /** True when output goes to an interactive terminal (progress bars redraw in place). */
  boolean interactive();
}
