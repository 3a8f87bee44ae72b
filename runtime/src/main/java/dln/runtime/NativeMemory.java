package dln.runtime;

import org.bytedeco.javacpp.Pointer;

/**
 * Keeps the garbage of native tensor memory from piling up.
 *
 * <p>ND4J frees a tensor's native buffer only after the small Java object holding it has been
 * garbage-collected, and nothing tells the collector about the native side: a loop that makes a
 * 1 MB tensor per iteration ({@code c = a + b} on 512×512) filled 12.7 GB of native memory in
 * 20,000 iterations before the Java heap asked for a collection. Loops, calls and training steps
 * call {@link #poll()}; every 32nd call reads the process's resident size (a few microseconds) and,
 * above {@link #FLOOR}, asks for a collection when it grew by more than {@link #STEP} since the
 * last reading. Freed buffers go back to the C allocator, which reuses them but does not shrink the
 * process, so what this bounds is growth: the same loop now stays near 1.5 GB.
 */
public final class NativeMemory {
  private static final int EVERY = 32;
  /** Resident sizes below this never trigger a collection. */
  static final long FLOOR = 1L << 30;
  /** Growth between two readings that triggers a collection. */
  static final long STEP = 16L << 20;

  private static int calls;
  private static long lastResident;

  private NativeMemory() {}

  /** Cheap enough for every loop iteration; racy counting between threads is harmless here. */
  public static void poll() {
    if (++calls % EVERY != 0) return;
    check();
  }

  static synchronized void check() {
    long resident = Pointer.physicalBytes();
    long grown = resident - lastResident;
    lastResident = resident;
    if (resident > FLOOR && grown > STEP) System.gc();
  }

  /**
   * Hands the C allocator's free memory back to the system ({@code malloc_trim(0)} on Linux, through
   * JavaCPP's {@code Pointer.trimMemory}, which it keeps private, hence reflection; a no-op where
   * that is not available). glibc returns freed memory only from the top of each heap, so a process
   * that allocates and frees many buffers of assorted sizes per step (the SameDiff engine: a fresh
   * array for every op's output, every step) keeps the holes resident: its resident size crept up
   * ≈ 1 MiB per epoch of the MNIST MLP, about 230 MiB above what trimming leaves. Costs a pass
   * over the allocator's free lists (about a millisecond here), so call it every few hundred steps,
   * not every step.
   */
  public static void trim() {
    if (TRIM == null) return;
    try {
      TRIM.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Nothing to undo: the memory simply stays with the allocator.
    }
  }

  private static final java.lang.reflect.Method TRIM = trimMethod();

  private static java.lang.reflect.Method trimMethod() {
    try {
      java.lang.reflect.Method m = Pointer.class.getDeclaredMethod("trimMemory");
      m.setAccessible(true);
      return m;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Native bytes a new allocation may still take: the smaller of what JavaCPP's off-heap limit
   * leaves ({@code maxBytes − totalBytes}: ND4J's buffers are JavaCPP allocations, and past the
   * limit ND4J fails with an OutOfMemoryError deep inside an op), what its resident-size limit
   * leaves ({@code maxPhysicalBytes − physicalBytes}), and the memory the system still has
   * available. {@code Long.MAX_VALUE} when none of them is known.
   */
  public static long available() {
    long left = Long.MAX_VALUE;
    long max = Pointer.maxBytes();
    if (max > 0) left = Math.min(left, max - Pointer.totalBytes());
    long maxPhysical = Pointer.maxPhysicalBytes();
    if (maxPhysical > 0) left = Math.min(left, maxPhysical - Pointer.physicalBytes());
    long system = Pointer.availablePhysicalBytes();
    if (system > 0) left = Math.min(left, system);
    return Math.max(0, left);
  }

  /**
   * Refuses, before anything is allocated, a tensor of {@code shape} float32 values that could not
   * be allocated now: a "memory error" naming {@code what}, the shape and the size needed against
   * what is left, instead of minutes of swapping or a native OutOfMemoryError half-way through
   * building a model.
   */
  public static void checkFits(String what, long[] shape, int bytesPerValue) {
    long values = 1;
    try {
      for (long d : shape) values = Math.multiplyExact(values, Math.max(0, d));
      long bytes = Math.multiplyExact(values, (long) bytesPerValue);
      long left = available();
      if (bytes <= left) return;
      throw new DlnRuntimeException("memory error", what + " needs " + bytes(bytes) + " ("
          + dims(shape) + " = " + String.format(java.util.Locale.ROOT, "%,d", values) + " values of " + bytesPerValue
          + " bytes), but this process has " + bytes(left) + " of native memory left (off-heap limit "
          + bytes(Pointer.maxBytes()) + ")", HINT);
    } catch (ArithmeticException e) {
      throw new DlnRuntimeException("memory error", what + " would hold " + dims(shape) + " values, more than any memory",
          HINT);
    }
  }

  private static final String HINT = "use a smaller input or fewer units (a Dense layer after Flatten of a large image is a "
      + "common cause); the off-heap limit follows -Xmx and can be raised with -Dorg.bytedeco.javacpp.maxbytes=... "
      + "(DLN_JAVA_OPTS for ./dln)";

  private static String dims(long[] shape) {
    StringBuilder b = new StringBuilder();
    for (long d : shape) b.append(b.length() == 0 ? "" : " × ").append(String.format(java.util.Locale.ROOT, "%,d", d));
    return b.length() == 0 ? "1" : b.toString();
  }

  /** A size as people read it: "1.5 GiB", "12.0 MiB", "300 bytes". */
  public static String bytes(long n) {
    if (n < 1024) return n + " bytes";
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
