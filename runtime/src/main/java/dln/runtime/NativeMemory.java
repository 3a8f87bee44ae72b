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
}
