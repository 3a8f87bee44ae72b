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

  /**
   * Called often (every 64 KiB) while a data set's local files are read, so that a long read can
   * be stopped: an implementation may throw (Ctrl-C, a host's cancel) and the exception propagates.
   */
  default void reading() {}
}
