package dln.stdlib.data;

/**
 * Receives download progress. Called often (every few tens of kilobytes); implementations redraw a
 * progress bar and may throw to cancel the download (the partial file is then deleted).
 */
@FunctionalInterface
public interface DownloadProgress {
  /** No output. */
  DownloadProgress NONE = (file, done, total) -> {};

  /**
   * @param file  the file being downloaded, e.g. "train-images-idx3-ubyte.gz"
   * @param done  bytes received so far
   * @param total expected size in bytes, or -1 if the server did not say
   */
  void update(String file, long done, long total);
}
