package dln.runtime;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared test data (MNIST, Fashion-MNIST, ONNX fixtures) for the tests of every module (this
 * class ships in dln-runtime's test jar). One rule for all of them: where {@code $DLN_DATA} is set
 * (CI sets it) a missing file fails the test loudly; only a checkout without {@code $DLN_DATA}
 * and without the neighbouring {@code shared/data} skips the tests that need it.
 */
public final class SharedData {
  private SharedData() {}

  /** The data folder as DLN itself finds it ({@link DataDir#fromEnvironment()}); may not exist. */
  public static Path dir() {
    return DataDir.fromEnvironment();
  }

  /**
   * {@code dir().resolve(relative)}, which must exist.
   *
   * @throws org.opentest4j.AssertionFailedError when it is missing and {@code $DLN_DATA} is set
   * @throws org.opentest4j.TestAbortedException (the test is skipped) when it is missing and {@code $DLN_DATA} is unset
   */
  public static Path require(String relative) {
    Path p = dir().resolve(relative);
    if (Files.exists(p)) return p;
    String env = System.getenv(DataDir.ENV);
    if (env != null && !env.isBlank()) {
      fail(DataDir.ENV + "=" + env + " is set but " + p.toAbsolutePath() + " is missing: the shared test data is incomplete");
    }
    Assumptions.abort("shared test data " + p.toAbsolutePath() + " not found and " + DataDir.ENV
        + " is unset: skipped (with " + DataDir.ENV + " set, as in CI, this test fails instead)");
    return p;
  }
}
