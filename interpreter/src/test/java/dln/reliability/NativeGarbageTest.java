package dln.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import java.io.StringWriter;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * A loop that makes a large tensor per iteration does not fill the machine with native garbage:
 * ND4J frees native buffers only after garbage collection, which the tiny Java objects alone do not
 * trigger (20,000 iterations of a 512×512 add once reached 12.7 GB resident). Issue 8, "no
 * unbounded memory".
 */
class NativeGarbageTest {
  @Test
  void sixGigabytesOfTemporaryTensorsDoNotStayResident() {
    Dln d = Dln.builder().out(new StringWriter()).err(new StringWriter()).build();
    d.eval("a = randn(512, 512)\nb = randn(512, 512)\nc = a + b");
    long before = Pointer.physicalBytes();
    long peak = before;
    // 6,000 iterations × 1 MiB results, sampled every 500 iterations.
    for (int k = 0; k < 12; k++) {
      d.eval("for i in range(500):\n    c = a + b\n");
      peak = Math.max(peak, Pointer.physicalBytes());
    }
    long grownMiB = (peak - before) >> 20;
    assertTrue(grownMiB < 2500, "resident size grew by " + grownMiB + " MiB for 6,000 MiB of temporaries");
  }
}
