package dln.jupyter;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes and removes the kernelspec ({@code kernels/NAME/kernel.json}) through which Jupyter starts
 * DLN. Its argv is this very JVM's command: the same java, the same options (the launcher's
 * {@code -Xss16m}, GC, native-build choice, {@code DLN_JAVA_OPTS}), the same jar, so a notebook
 * runs exactly as {@code ./dln} does. Locations follow Jupyter's: {@code --user} (the default)
 * is {@code $JUPYTER_DATA_DIR} or {@code ~/.local/share/jupyter}, {@code --prefix P} is
 * {@code P/share/jupyter}.
 */
final class KernelSpec {
  static final String DEFAULT_NAME = "dln";

  private KernelSpec() {}

  /** A wrong command line: the message says what to type instead. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }

  /** The command line's choices. */
  record Options(Path prefix, String name, String displayName) {
    static Options parse(List<String> args) {
      Path prefix = null;
      String name = DEFAULT_NAME;
      String display = null;
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        switch (a) {
          case "--user" -> prefix = null;
          case "--prefix" -> prefix = Path.of(value(args, ++i, a)).toAbsolutePath();
          case "--name" -> name = value(args, ++i, a);
          case "--display-name" -> display = value(args, ++i, a);
          default -> throw new UsageException("unknown option " + a);
        }
      }
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw new UsageException("a kernel name may hold letters, digits, '.', '_' and '-' only, got '" + name + "'");
      }
      return new Options(prefix, name, display != null ? display : name.equals(DEFAULT_NAME) ? "DLN" : "DLN (" + name + ")");
    }

    private static String value(List<String> args, int i, String option) {
      if (i >= args.size()) throw new UsageException(option + " needs a value");
      return args.get(i);
    }

    /** The folder that holds {@code kernel.json}. */
    Path directory() {
      return kernelsRoot(prefix).resolve(name);
    }
  }

  static Path kernelsRoot(Path prefix) {
    if (prefix != null) return prefix.resolve("share").resolve("jupyter").resolve("kernels");
    String data = System.getenv("JUPYTER_DATA_DIR");
    if (data != null && !data.isBlank()) return Path.of(data).resolve("kernels");
    Path home = Path.of(System.getProperty("user.home"));
    if (System.getProperty("os.name", "").toLowerCase().contains("mac")) return home.resolve("Library/Jupyter/kernels");
    String xdg = System.getenv("XDG_DATA_HOME");
    return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : home.resolve(".local/share")).resolve("jupyter").resolve("kernels");
  }

  /** Writes the kernelspec; returns its folder. */
  static Path install(Options o) throws IOException {
    Path dir = o.directory();
    Files.createDirectories(dir);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv());
    spec.put("display_name", o.displayName());
    spec.put("language", DlnKernel.LANGUAGE);
    spec.put("interrupt_mode", "signal");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("OMP_WAIT_POLICY", System.getenv().getOrDefault("OMP_WAIT_POLICY", "passive"));
    String data = System.getenv("DLN_DATA");
    if (data != null && !data.isBlank()) env.put("DLN_DATA", Path.of(data).toAbsolutePath().toString());
    spec.put("env", env);
    spec.put("metadata", Map.of("debugger", false));
    Files.writeString(dir.resolve("kernel.json"), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n",
        StandardCharsets.UTF_8);
    return dir;
  }

  /** Deletes the kernelspec's folder; returns it. */
  static Path remove(Options o) throws IOException {
    Path dir = o.directory();
    if (!Files.isRegularFile(dir.resolve("kernel.json"))) throw new IOException("no kernelspec named '" + o.name() + "' in " + dir.getParent());
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
    return dir;
  }

  /** This JVM's command line with "run {connection_file}" in place of the install arguments. */
  static List<String> argv() {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String opt : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Debug agents and the like belong to this run only.
      if (opt.startsWith("-agentlib") || opt.startsWith("-javaagent") || opt.startsWith("-Xdebug")) continue;
      argv.add(opt);
    }
    Path code = codeLocation();
    if (code.toString().endsWith(".jar")) {
      argv.add("-jar");
      argv.add(code.toString());
    } else {
      argv.add("-cp");
      argv.add(System.getProperty("java.class.path"));
      argv.add(KernelMain.class.getName());
    }
    argv.add("run");
    argv.add("{connection_file}");
    return argv;
  }

  private static Path codeLocation() {
    try {
      return Path.of(KernelMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the kernel's jar: " + e.getMessage());
    }
  }
}
