package dln.interp.sandbox;

import dln.interp.DlnException;
import dln.runtime.NativeMemory;
import java.util.Locale;
import org.bytedeco.javacpp.Pointer;

/**
 * Size limits of one interpreter, so that a script asking for {@code zeros(100000, 100000)} gets a
 * clear "memory error" before anything is allocated, instead of an OutOfMemoryError that may take
 * the host application down with it.
 *
 * <p>Tensor-creating builtins call {@code invoker.checkAllocation(shape, bytesPerElement, what)}
 * (see {@link dln.interp.call.Invoker}) before they allocate.
 *
 * @param maxTensorBytes the largest single tensor a script may create, in bytes
 */
public record ResourceLimits(long maxTensorBytes) {
  /** Never above 4 GiB by default, even on big machines: embedded scripts should stay modest. */
  private static final long DEFAULT_CAP = 4L << 30;

  public ResourceLimits {
    if (maxTensorBytes <= 0) throw new IllegalArgumentException("maxTensorBytes must be positive, got " + maxTensorBytes);
  }

  /**
   * Half of ND4J's off-heap limit (JavaCPP's {@code maxBytes}, which follows {@code -Xmx} unless
   * {@code -Dorg.bytedeco.javacpp.maxbytes} sets it), at most 4 GiB: a tensor larger than half the
   * off-heap memory leaves no room for the result of the first operation on it.
   */
  public static ResourceLimits defaults() {
    long offHeap = Pointer.maxBytes();
    if (offHeap <= 0) offHeap = Runtime.getRuntime().maxMemory();
    return new ResourceLimits(Math.max(1, Math.min(DEFAULT_CAP, offHeap / 2)));
  }

  /**
   * Throws a {@code "memory error"} DlnException when a tensor of {@code shape} with elements of
   * {@code bytesPerElement} bytes would exceed {@link #maxTensorBytes}; {@code what} names it in
   * the message (e.g. "zeros(100000, 100000)").
   */
  public void checkAllocation(long[] shape, int bytesPerElement, String what) {
    long elements = 1;
    boolean overflow = false;
    for (long d : shape) {
      if (d < 0) return; // negative dimensions are the creating builtin's own error
      try {
        elements = Math.multiplyExact(elements, d);
      } catch (ArithmeticException e) {
        overflow = true;
      }
    }
    if (overflow) {
      throw new DlnException("memory error", what + " would hold more than " + Long.MAX_VALUE + " values",
          "use a smaller shape", null);
    }
    checkAllocation(elements, bytesPerElement, what);
  }

  /** Like {@link #checkAllocation(long[], int, String)} for a known element count. */
  public void checkAllocation(long elements, int bytesPerElement, String what) {
    long bytes;
    try {
      bytes = Math.multiplyExact(elements, (long) bytesPerElement);
    } catch (ArithmeticException e) {
      bytes = Long.MAX_VALUE;
    }
    if (bytes > maxTensorBytes) {
      throw new DlnException("memory error", what + " needs " + NativeMemory.bytes(bytes) + " (" + String.format(Locale.ROOT, "%,d", elements)
          + " values of " + bytesPerElement + " bytes), over this interpreter's limit of " + NativeMemory.bytes(maxTensorBytes) + " per tensor",
          "use a smaller shape or smaller batches; the host application sets the limit (Dln.builder().maxTensorBytes(...))", null);
    }
  }

}
