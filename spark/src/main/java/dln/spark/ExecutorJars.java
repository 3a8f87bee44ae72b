package dln.spark;

import dln.runtime.DlnRuntimeException;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.SparkContext;

/**
 * The jars a driver started outside {@code spark-submit} (the {@code ./dln} launcher, an IDE)
 * ships to a cluster's executors as {@code spark.jars}: its class path less Spark's own jars,
 * which the cluster already has. A class directory (a build's {@code target/classes}) becomes a
 * temporary jar, since Spark ships only files. Where a shipped jar holds classes Spark also
 * brings (Jackson, commons-lang3), the executor loads Spark's: user jars come after its own.
 */
final class ExecutorJars {
  private ExecutorJars() {}

  /** The comma-separated {@code spark.jars} for this JVM's class path. */
  static String forThisDriver() {
    Path sparkDir = sparkJarsDirectory();
    List<String> jars = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      if (entry.isEmpty()) continue;
      Path p = Path.of(entry).toAbsolutePath().normalize();
      if (Files.isDirectory(p)) {
        jars.add(packDirectory(p).toString());
      } else if (Files.isRegularFile(p) && p.toString().endsWith(".jar")
          && !(sparkDir != null && sparkDir.equals(p.getParent()))) {
        jars.add(p.toString());
      }
    }
    return String.join(",", jars);
  }

  /** The directory of the jar that holds Spark itself; null when Spark comes from a class directory. */
  private static Path sparkJarsDirectory() {
    try {
      Path p = Path.of(SparkContext.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.isRegularFile(p) ? p.getParent() : null;
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      return null;
    }
  }

  /** A class directory as a temporary jar (deleted when the driver exits). */
  private static Path packDirectory(Path dir) {
    try {
      Path jar = Files.createTempFile("dln-classes-", ".jar");
      jar.toFile().deleteOnExit();
      try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
          Stream<Path> files = Files.walk(dir)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
          Files.copy(f, out);
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot pack " + dir + " for the cluster's executors: " + e.getMessage(), null);
    }
  }
}
