package dln.stdlib.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Locates the shared MNIST / Fashion-MNIST files the way CI does. */
final class TestData {
  private TestData() {}

  /** {@code $DLN_DATA}, else the repository's neighbour {@code ../shared/data} seen from the module dir. */
  static Path dir() {
    Path p = dln.runtime.DataDir.fromEnvironment();
    assertTrue(Files.isDirectory(p.resolve("mnist")), "test data not found at " + p.toAbsolutePath());
    return p;
  }

  /** Locations reading only the shared folder: no home cache, no downloads. */
  static DataLocations locations() {
    return DataLocations.of(Map.of(DataLocations.ENV, dir().toString()), null);
  }
}
