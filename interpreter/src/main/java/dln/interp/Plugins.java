package dln.interp;

import dln.interp.lib.Library;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Libraries of optional modules found on the class path with {@link ServiceLoader}
 * ({@code META-INF/services/dln.interp.lib.Library}), e.g. dln-spark's {@code spark(...)}. Kept
 * out of {@code interp.lib}, whose builtins use no host class-loading APIs.
 */
public final class Plugins {
  private Plugins() {}

  /** The plugin libraries, in class-path order. */
  public static List<Library> libraries() {
    List<Library> out = new ArrayList<>();
    for (Library lib : ServiceLoader.load(Library.class, Plugins.class.getClassLoader())) out.add(lib);
    return List.copyOf(out);
  }
}
