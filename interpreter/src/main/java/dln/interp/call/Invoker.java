package dln.interp.call;

import dln.interp.sandbox.ResourceLimits;
import dln.interp.sandbox.Sandbox;
import java.io.PrintWriter;
import java.nio.file.Path;
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

  /** The terminal's current width in columns (80 when unknown), for displays that redraw in place. */
  default int columns() {
    return 80;
  }

  /** The rich front end that shows pictures and progress itself (a notebook), or null to draw text. */
  default RichDisplay display() {
    return null;
  }

  // ---- sandbox and resource guards (see dln.interp.sandbox) ------------------------------------

  /**
   * The files this interpreter may touch. Implementations that run scripts for an embedding host
   * override it; this default (no checks) suits tools and tests.
   */
  default Sandbox sandbox() {
    return Sandbox.unrestricted();
  }

  /**
   * The path to open for reading the file a script named: every builtin that reads a file calls
   * this and opens only the result. Throws a "sandbox error" DlnException naming the path and
   * the granted folders when the sandbox forbids it.
   */
  default Path checkRead(String path) {
    return sandbox().checkRead(path);
  }

  /** Like {@link #checkRead} for files a builtin writes, creates or replaces. */
  default Path checkWrite(String path) {
    return sandbox().checkWrite(path);
  }

  /** This interpreter's size limits. */
  default ResourceLimits limits() {
    return ResourceLimits.defaults();
  }

  /**
   * Called by every builtin that creates a tensor from a shape the script chose (zeros, ones,
   * rand, full, eye…) before allocating: a "memory error" DlnException when a tensor of
   * {@code shape} with {@code bytesPerElement}-byte elements exceeds the interpreter's limit.
   * {@code what} names the request in the message, e.g. "zeros(100000, 100000)".
   */
  default void checkAllocation(long[] shape, int bytesPerElement, String what) {
    limits().checkAllocation(shape, bytesPerElement, what);
  }
}
