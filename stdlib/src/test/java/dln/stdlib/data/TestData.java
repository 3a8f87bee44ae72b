package dln.stdlib.data;

import dln.runtime.SharedData;
import java.nio.file.Path;
import java.util.Map;

/** Locates the shared MNIST / Fashion-MNIST files the way CI does. */
final class TestData {
  private TestData() {}

  /** The shared data folder holding mnist/ ({@link SharedData#require}: fails in CI when missing). */
  static Path dir() {
    return SharedData.require("mnist").getParent();
  }

  /** Locations reading only the shared folder: no home cache, no downloads. */
  static DataLocations locations() {
    return DataLocations.of(Map.of(DataLocations.ENV, dir().toString()), null);
  }
}
