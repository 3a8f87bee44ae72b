package dln.runtime.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Hand-made and tampered model files for the tests of bad input (here and in the interpreter's tests). */
public final class CraftedFiles {
  private CraftedFiles() {}

  /** Writes a zip archive holding these entries, in the map's order. */
  public static void writeZip(Path p, Map<String, byte[]> entries) throws Exception {
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue());
        z.closeEntry();
      }
    }
  }

  /** Where {@code needle} first stands in {@code hay}; fails the test where it does not. */
  public static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    throw new AssertionError("not found");
  }
}
