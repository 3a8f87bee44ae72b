package dln.interp.sandbox;

import dln.interp.DlnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/** The one implementation of {@link Sandbox}: immutable lists of granted folders. */
public final class Grants implements Sandbox {
  static final Grants UNRESTRICTED = new Grants(true, List.of(), List.of(), null);
  static final Grants NONE = new Grants(false, List.of(), List.of(), null);

  private final boolean unrestricted;
  private final List<Path> readRoots;
  private final List<Path> writeRoots;
  private final Path dataDirectory;

  private Grants(boolean unrestricted, List<Path> readRoots, List<Path> writeRoots, Path dataDirectory) {
    this.unrestricted = unrestricted;
    this.readRoots = List.copyOf(readRoots);
    this.writeRoots = List.copyOf(writeRoots);
    this.dataDirectory = dataDirectory;
  }

  /** These grants plus read access under {@code dir}. */
  public Grants allowRead(Path dir) {
    requireRestricted();
    List<Path> r = new ArrayList<>(readRoots);
    r.add(root(dir));
    return new Grants(false, r, writeRoots, dataDirectory);
  }

  /** These grants plus read and write access under {@code dir}. */
  public Grants allowWrite(Path dir) {
    requireRestricted();
    List<Path> w = new ArrayList<>(writeRoots);
    w.add(root(dir));
    return new Grants(false, readRoots, w, dataDirectory);
  }

  /**
   * These grants plus read access under {@code dir}, which also becomes the folder data-set
   * builtins look in (it holds {@code mnist/}, {@code fashion-mnist/}… like {@code $DLN_DATA}).
   */
  public Grants allowData(Path dir) {
    requireRestricted();
    Path root = root(dir);
    List<Path> r = new ArrayList<>(readRoots);
    r.add(root);
    return new Grants(false, r, writeRoots, root);
  }

  private void requireRestricted() {
    if (unrestricted) throw new IllegalStateException("an unrestricted sandbox needs no grants");
  }

  /** True when no checks are made (command line, REPL). */
  @Override
  public boolean isUnrestricted() {
    return unrestricted;
  }

  /** True when builtins may use the network (downloads): only when unrestricted. */
  @Override
  public boolean allowsNetwork() {
    return unrestricted;
  }

  /** The granted data folder, if any (empty when unrestricted: builtins use their usual lookup). */
  @Override
  public Optional<Path> dataDirectory() {
    return Optional.ofNullable(dataDirectory);
  }

  /** Folders that may be read (read grants, write grants and the data folder). */
  @Override
  public List<Path> readRoots() {
    List<Path> all = new ArrayList<>(readRoots);
    all.addAll(writeRoots);
    return all;
  }

  /** Folders that may be written. */
  @Override
  public List<Path> writeRoots() {
    return writeRoots;
  }

  /**
   * The folder relative paths resolve against: the first write grant, else the first read grant,
   * else the process's working directory (where nothing is granted anyway). Unrestricted
   * sandboxes leave relative paths to the process's working directory.
   */
  @Override
  public Path baseDirectory() {
    if (!writeRoots.isEmpty()) return writeRoots.get(0);
    if (!readRoots.isEmpty()) return readRoots.get(0);
    return Path.of("").toAbsolutePath();
  }

  /**
   * The path a script may read, resolved and with links followed; throws a {@code "sandbox error"}
   * DlnException when it lies outside every granted folder.
   */
  @Override
  public Path checkRead(String path) {
    return check(path, readRoots(), "reading");
  }

  /** Like {@link #checkRead}, for files the script writes, creates or replaces. */
  @Override
  public Path checkWrite(String path) {
    return check(path, writeRoots, "writing");
  }

  private Path check(String path, List<Path> roots, String verb) {
    if (path == null) throw DlnException.type("a file path is needed, got none");
    Path p;
    try {
      p = Path.of(path);
    } catch (InvalidPathException e) {
      throw new DlnException("value error", "'" + path + "' is not a valid file path: " + e.getReason());
    }
    if (unrestricted) return p;
    Path real = realPath(baseDirectory().resolve(p).toAbsolutePath().normalize());
    for (Path root : roots) {
      if (real.startsWith(root)) return real;
    }
    String granted;
    if (roots.isEmpty()) {
      granted = readRoots().isEmpty() ? "this interpreter has no file access"
          : "this interpreter may not write files (it may read under " + list(readRoots()) + ")";
    } else {
      granted = "this interpreter may " + (verb.equals("reading") ? "read" : "write") + " only under " + list(roots);
    }
    String shown = real.toString().equals(path) ? "'" + path + "'" : "'" + path + "' (" + real + ")";
    return fail(verb + " " + shown + " is not allowed: " + granted);
  }

  private static Path fail(String message) {
    throw new DlnException("sandbox error", message,
        "the application embedding DLN decides which folders scripts may use (Sandbox.allowRead / allowWrite)", null);
  }

  private static String list(List<Path> roots) {
    StringJoiner j = new StringJoiner(", ");
    for (Path r : roots) j.add(r.toString());
    return j.toString();
  }

  /** A granted folder as an absolute real path, so links in the grant itself compare correctly. */
  private static Path root(Path dir) {
    if (dir == null) throw new IllegalArgumentException("a sandbox grant needs a folder");
    return realPath(dir.toAbsolutePath().normalize());
  }

  /**
   * The real path of the longest existing prefix (links followed) joined with the rest, so a file
   * about to be created is checked by where its folder really is.
   */
  private static Path realPath(Path absolute) {
    Path existing = absolute;
    List<Path> rest = new ArrayList<>();
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      rest.add(0, existing.getFileName());
      existing = existing.getParent();
    }
    if (existing == null) return absolute;
    Path real;
    try {
      real = existing.toRealPath();
    } catch (IOException e) {
      // A dangling link or an unreadable parent: treat the path as given, which can only be
      // allowed if it already lies under a granted root textually.
      real = existing;
    }
    for (Path part : rest) real = real.resolve(part);
    return real.normalize();
  }

  @Override
  public String toString() {
    if (unrestricted) return "Sandbox.unrestricted()";
    return "Sandbox(read=" + readRoots + ", write=" + writeRoots + (dataDirectory == null ? "" : ", data=" + dataDirectory) + ")";
  }
}
