package dln.interp.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Which files a DLN interpreter may touch, and whether it may use the network.
 *
 * <p>The command line and the REPL run with {@link #unrestricted()} (the user's own rights).
 * Interpreters made through the embedding API ({@link dln.Dln}, the JSR-223 engine) start with
 * {@link #none()}: no file may be read or written until the host grants a folder. Grants chain and
 * are immutable:
 *
 * <pre>{@code
 * Dln dln = Dln.builder()
 *     .sandbox(Sandbox.allowRead(modelsDir).allowWrite(outputDir).allowData(datasetsDir))
 *     .build();
 * }</pre>
 *
 * <p>Paths are checked after resolving them against the {@linkplain #baseDirectory() base
 * directory}, removing {@code .} and {@code ..}, and following symbolic links of every part of the
 * path that exists, so neither {@code ../../etc/passwd} nor a link pointing out of a granted folder
 * escapes it. A denied access throws a {@link dln.interp.DlnException} of kind
 * {@code "sandbox error"} naming the path and the granted folders; it is never a silent failure.
 *
 * <p>A sandboxed interpreter never uses the network (data sets are not downloaded) and never reads
 * environment variables; {@link #allowsNetwork()} says so to builtins. Scripts have no builtin
 * that reaches Java classes, processes, the network or the environment; a host that wants to give
 * them such power registers a Java function of its own ({@link dln.Dln#register}).
 *
 * <h2>What builtins must do</h2>
 * <ul>
 *   <li>Every builtin that opens a file passes the string the script gave to
 *       {@code invoker.checkRead(path)} or {@code invoker.checkWrite(path)} (see
 *       {@link dln.interp.call.Invoker}) and opens only the returned {@link Path}. Writing includes
 *       creating temporary files next to the target and moving them into place: check the target.
 *   <li>A data-set builtin ({@code mnist()}) reads {@code $DLN_DATA}, the home-folder cache and
 *       downloads only when {@link #isUnrestricted()}; otherwise it looks in
 *       {@link #dataDirectory()} alone (an error saying the host granted no data folder when
 *       empty) and checks each file with {@code checkRead}.
 *   <li>Nothing may reach the network unless {@link #allowsNetwork()}.
 * </ul>
 */
public interface Sandbox {
  /** No checks at all: the process's own rights (the command line and the REPL). */
  static Grants unrestricted() {
    return Grants.UNRESTRICTED;
  }

  /** No file access and no network: the default of embedded interpreters. */
  static Grants none() {
    return Grants.NONE;
  }

  /** A sandbox that may read files under {@code dir} and its subfolders; chain more grants. */
  static Grants allowRead(Path dir) {
    return Grants.NONE.allowRead(dir);
  }

  /** A sandbox that may read and write files under {@code dir} and its subfolders. */
  static Grants allowWrite(Path dir) {
    return Grants.NONE.allowWrite(dir);
  }

  /**
   * A sandbox whose data-set builtins ({@code mnist()}…) read from {@code dir}, which holds
   * {@code mnist/}, {@code fashion-mnist/}… like {@code $DLN_DATA} does; read access only.
   */
  static Grants allowData(Path dir) {
    return Grants.NONE.allowData(dir);
  }

  /** True when no checks are made (command line, REPL). */
  boolean isUnrestricted();

  /** True when builtins may use the network (data-set downloads): only when unrestricted. */
  boolean allowsNetwork();

  /** The granted data folder, if any; empty when unrestricted (builtins use their usual lookup). */
  Optional<Path> dataDirectory();

  /** Folders that may be read: read grants, write grants and the data folder. */
  List<Path> readRoots();

  /** Folders that may be written. */
  List<Path> writeRoots();

  /**
   * The folder relative paths resolve against: the first write grant, else the first read grant,
   * else the process's working directory (where nothing is granted anyway).
   */
  Path baseDirectory();

  /**
   * The path a script may read, made absolute with links followed (as given when unrestricted);
   * throws a {@code "sandbox error"} DlnException when it lies outside every granted folder.
   */
  Path checkRead(String path);

  /** Like {@link #checkRead}, for files the script writes, creates or replaces. */
  Path checkWrite(String path);
}
