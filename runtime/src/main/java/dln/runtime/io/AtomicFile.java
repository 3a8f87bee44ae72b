package dln.runtime.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old file or the whole new one, never half of it:
 * the content goes to a hidden temporary file in the target's folder (a rename only stays atomic
 * within one file system), is forced to disk, then moved over the target. A failed write deletes
 * the temporary file and leaves the old target untouched. Model files and pictures are written
 * this way.
 */
public final class AtomicFile {
  /** Produces the file's content; the stream is buffered and closed by {@link #write}. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFile() {}

  /**
   * Writes {@code content} to {@code path}, creating missing parent folders.
   *
   * @throws IOException when the folder cannot be created or written; the target is then unchanged
   */
  public static void write(Path path, Content content) throws IOException {
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    if (dir != null) Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
    boolean moved = false;
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        content.writeTo(out);
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the original failure matters more than a left-over hidden temporary file
        }
      }
    }
  }
}
