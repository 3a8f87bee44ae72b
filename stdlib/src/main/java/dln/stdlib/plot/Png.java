package dln.stdlib.plot;

import dln.runtime.DlnRuntimeException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Writes PNG files atomically: the picture goes to a temporary file next to the target and is then
 * moved over it, so a viewer never sees half a file and a failed write leaves the old one intact.
 */
public final class Png {
  static {
    // Pictures are drawn off-screen; without this AWT would look for a display (none on servers/CI).
    headless();
  }

  private Png() {}

  /** Forces AWT into headless mode; call before any AWT or JFreeChart class is used. */
  public static void headless() {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }

  /** Writes {@code image} as PNG to {@code path}, creating missing parent folders. */
  public static void write(BufferedImage image, Path path) {
    Path target = path.toAbsolutePath();
    Path tmp = null;
    try {
      Path dir = target.getParent();
      if (dir != null) Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw DlnRuntimeException.io("no PNG writer available in this Java runtime", null);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot write the picture to '" + path + "': " + e.getMessage(),
          "check that the folder exists and is writable");
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the temporary file is hidden and harmless.
        }
      }
    }
  }
}
