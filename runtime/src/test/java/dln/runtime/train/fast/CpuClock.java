package dln.runtime.train.fast;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time of every thread of this process (Java and native, OpenMP's included) in
 * nanoseconds, from Linux's {@code /proc/self/task/TID/schedstat}: the process CPU time the
 * management bean gives moves in 10 ms ticks, too coarse for one pass of a few milliseconds, and
 * wall time on a shared machine counts the time other processes held the cores. For the benches.
 */
final class CpuClock {
  private CpuClock() {}

  /** Nanoseconds run so far by this process's live threads (a thread that ended takes its time with it). */
  static long nanos() {
    long sum = 0;
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        try {
          String s = Files.readString(t.resolve("schedstat"));
          sum += Long.parseLong(s.substring(0, s.indexOf(' ')));
        } catch (IOException gone) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sum;
  }
}
