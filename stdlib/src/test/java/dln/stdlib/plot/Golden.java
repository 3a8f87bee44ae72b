package dln.stdlib.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden text files under src/test/resources/plot. Run with {@code -Dgolden.update=true} to
 * (re)write them after checking the new rendering by eye.
 */
final class Golden {
  private Golden() {}

  static void check(String name, String actual) {
    String file = "plot/" + name + ".txt";
    if (Boolean.getBoolean("golden.update")) {
      try {
        Path p = Path.of("src", "test", "resources", file);
        Files.createDirectories(p.getParent());
        Files.writeString(p, actual + "\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
      return;
    }
    try (InputStream in = Golden.class.getResourceAsStream("/" + file)) {
      if (in == null) throw new AssertionError("missing golden file " + file + " (run with -Dgolden.update=true)");
      String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(expected.stripTrailing(), actual.stripTrailing(), "rendering differs from " + file);
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }
}
