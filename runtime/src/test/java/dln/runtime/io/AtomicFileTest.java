package dln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic writes: the whole new content or the untouched old file, and no temporary file left behind. */
class AtomicFileTest {
  @TempDir Path dir;

  @Test
  void writesAndReplacesCreatingParentFolders() throws IOException {
    Path p = dir.resolve("sub/folder/out.txt");
    AtomicFile.write(p, out -> out.write("first".getBytes(StandardCharsets.UTF_8)));
    assertEquals("first", Files.readString(p));
    AtomicFile.write(p, out -> out.write("second".getBytes(StandardCharsets.UTF_8)));
    assertEquals("second", Files.readString(p));
    assertEquals(List.of("out.txt"), names(p.getParent()));
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path p = dir.resolve("out.txt");
    Files.writeString(p, "old");
    IOException e = assertThrows(IOException.class, () -> AtomicFile.write(p, out -> {
      out.write("half of the new".getBytes(StandardCharsets.UTF_8));
      throw new IOException("disk full");
    }));
    assertEquals("disk full", e.getMessage());
    assertEquals("old", Files.readString(p));
    assertEquals(List.of("out.txt"), names(dir));
  }

  private static List<String> names(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.map(f -> f.getFileName().toString()).sorted().toList();
    }
  }
}
