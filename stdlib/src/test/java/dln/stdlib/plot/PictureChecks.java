package dln.stdlib.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;

/** Checks on PNG outputs: size, colours present, and a copy kept in target/ for a look by eye. */
final class PictureChecks {
  private PictureChecks() {}

  static int distinctColours(BufferedImage img) {
    Set<Integer> seen = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) seen.add(img.getRGB(x, y) & 0xffffff);
    }
    return seen.size();
  }

  static boolean hasColour(BufferedImage img, int rgb) {
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xffffff) == rgb) return true;
    }
    return false;
  }

  /** Copies a picture to target/pictures/ so a person can open it after the build. */
  static Path keep(String name, Path file) throws IOException {
    Path dir = Path.of("target", "pictures");
    Files.createDirectories(dir);
    return Files.copy(file, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }
}
