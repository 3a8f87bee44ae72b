package dln.stdlib.data;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where data set files come from: {@code $DLN_DATA/<name>/}, then {@code ~/.dln/datasets/<name>/},
 * then (if allowed) a download from the data set's mirror into {@code ~/.dln/datasets/<name>/}.
 *
 * <p>The environment and home folder are explicit so that tests and embedders can point the lookup
 * elsewhere or switch downloads off (a sandboxed host may want neither network nor home folder).
 */
public final class DataLocations {
  /** Environment variable naming a folder that holds {@code mnist/}, {@code fashion-mnist/}... */
  public static final String ENV = "DLN_DATA";

  private final Path dataDir;
  private final Path home;
  private final boolean downloads;
  private final URI mirrorOverride;

  private DataLocations(Path dataDir, Path home, boolean downloads, URI mirrorOverride) {
    this.dataDir = dataDir;
    this.home = home;
    this.downloads = downloads;
    this.mirrorOverride = mirrorOverride;
  }

  /** System property read when {@code DLN_DATA} is not set (for embedding hosts and tests that cannot set the environment). */
  public static final String PROPERTY = "dln.data";

  /**
   * The process environment ({@code DLN_DATA}, else the system property {@code dln.data}) and the
   * user's home folder, downloads allowed.
   */
  public static DataLocations system() {
    String home = System.getProperty("user.home");
    Map<String, String> env = System.getenv();
    String prop = System.getProperty(PROPERTY);
    if ((env.get(ENV) == null || env.get(ENV).isBlank()) && prop != null && !prop.isBlank()) env = Map.of(ENV, prop);
    return of(env, home == null || home.isEmpty() ? null : Path.of(home));
  }

  /**
   * Lookup from an explicit environment map (only {@code DLN_DATA} is read) and home folder;
   * {@code home} may be null for no cache and no downloads.
   */
  public static DataLocations of(Map<String, String> env, Path home) {
    String d = env.get(ENV);
    Path dataDir = d == null || d.isBlank() ? null : resolveRelative(Path.of(d));
    return new DataLocations(dataDir, home, home != null, null);
  }

  static Path resolveRelative(Path p) {
    return dln.runtime.DataDir.resolve(p);
  }

  /** The same lookup with downloads switched off: missing files are an error. */
  public DataLocations withoutDownloads() {
    return new DataLocations(dataDir, home, false, mirrorOverride);
  }

  /** The same lookup downloading every data set from {@code base} instead of its mirror (tests, local mirrors). */
  public DataLocations withMirror(URI base) {
    return new DataLocations(dataDir, home, downloads, base);
  }

  /** True when missing files may be downloaded into {@link #cacheFolder}. */
  public boolean downloadsAllowed() {
    return downloads && home != null;
  }

  /** The folder downloads go to, {@code ~/.dln/datasets/<name>}, or null without a home folder. */
  public Path cacheFolder(ImageDataset ds) {
    return home == null ? null : home.resolve(".dln").resolve("datasets").resolve(ds.folder());
  }

  /** The base URL to download {@code ds} from. */
  public URI mirror(ImageDataset ds) {
    return mirrorOverride != null ? mirrorOverride : ds.mirror();
  }

  /** The folders searched for {@code ds}, in order. */
  public List<Path> searchFolders(ImageDataset ds) {
    List<Path> out = new ArrayList<>();
    if (dataDir != null) out.add(dataDir.resolve(ds.folder()));
    Path cache = cacheFolder(ds);
    if (cache != null) out.add(cache);
    return out;
  }

  /** The first existing copy of {@code f}, gzip or uncompressed, in the search folders. */
  public Optional<Path> find(ImageDataset ds, ImageDataset.DataFile f) {
    for (Path folder : searchFolders(ds)) {
      for (String name : List.of(f.name(), f.plainName())) {
        Path p = folder.resolve(name);
        if (Files.isRegularFile(p)) return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** How the search folders were configured, for error messages. */
  String describeSearch(ImageDataset ds) {
    List<String> parts = new ArrayList<>();
    parts.add(dataDir != null ? "$" + ENV + "/" + ds.folder() + " (" + dataDir.resolve(ds.folder()) + ")"
        : "$" + ENV + "/" + ds.folder() + " ($" + ENV + " is not set)");
    Path cache = cacheFolder(ds);
    if (cache != null) parts.add(cache.toString());
    return String.join(" and ", parts);
  }
}
