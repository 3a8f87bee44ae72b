package dln.stdlib.plot;

import dln.runtime.DlnRuntimeException;
import dln.runtime.io.AtomicFile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes PNG files atomically ({@link AtomicFile}): a viewer never sees half a file and a failed
 * write leaves the old one intact.
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

  /** Writes {@code image} as PNG to {@code path} ({@link AtomicFile}), creating missing parent folders. */
  public static void write(BufferedImage image, Path path) {
    try {
      AtomicFile.write(path, out -> {
        // An in-memory image stream: ImageIO's default for streams would add a cache file in java.io.tmpdir.
        try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
          if (!ImageIO.write(image, "png", png)) {
            throw DlnRuntimeException.io("no PNG writer available in this Java runtime", null);
          }
        }
      });
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot write the picture to '" + path + "': " + e.getMessage(),
          "check that the folder exists and is writable");
    }
  }
}
