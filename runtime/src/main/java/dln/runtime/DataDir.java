package dln.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the data sets live: {@code $DLN_DATA}. CI sets a relative {@code ../shared/data}, meant from
 * the repository root, but Maven runs each module's tests inside the module folder and users run
 * scripts from anywhere: a relative path that does not exist from the current folder is also tried
 * from its parents.
 */
public final class DataDir {
  public static final String ENV = "DLN_DATA";

  private DataDir() {}

  /** $DLN_DATA resolved as described, or the nearest ancestor's {@code shared/data} when unset; may not exist. */
  public static Path fromEnvironment() {
    String env = System.getenv(ENV);
    return resolve(Path.of(env != null && !env.isBlank() ? env : "../shared/data"));
  }

  /** A relative path from the current folder, else from the nearest of its two parents where it exists. */
  public static Path resolve(Path p) {
    if (p.isAbsolute() || Files.isDirectory(p)) return p;
    Path cwd = Path.of("").toAbsolutePath();
    int up = 0;
    for (Path base = cwd.getParent(); base != null && up < 2; base = base.getParent(), up++) {
      Path candidate = base.resolve(p).normalize();
      if (Files.isDirectory(candidate)) return candidate;
    }
    return p;
  }
}
