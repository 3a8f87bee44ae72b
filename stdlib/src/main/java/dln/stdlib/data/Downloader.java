package dln.stdlib.data;

import dln.runtime.DlnRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads one file with checksum verification. The bytes go to a temporary {@code .part} file
 * next to the target, are hashed on the way, and the file is moved into place only when its md5
 * matches: a failed, cancelled or corrupt download never leaves a file that looks complete.
 */
final class Downloader {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(15))
      .followRedirects(HttpClient.Redirect.NORMAL)
      .build();

  private Downloader() {}

  /** Thrown when the server cannot be reached at all (offline, DNS, refused), as opposed to a bad file. */
  static final class Unreachable extends IOException {
    Unreachable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Downloads {@code url} to {@code target}, checking its md5; returns the target. */
  static Path download(URI url, Path target, String md5, DownloadProgress progress) throws Unreachable {
    Path part = target.resolveSibling(target.getFileName() + ".part");
    try {
      Files.createDirectories(target.getParent());
      HttpResponse<InputStream> response;
      try {
        response = CLIENT.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        throw new Unreachable(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DlnRuntimeException.io("download of " + url + " was interrupted", null);
      }
      if (response.statusCode() != 200) {
        response.body().close();
        throw new Unreachable("the server answered HTTP " + response.statusCode(), null);
      }
      long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      String name = target.getFileName().toString();
      MessageDigest digest = md5();
      try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(part)) {
        byte[] buf = new byte[1 << 16];
        long done = 0;
        progress.update(name, 0, total);
        for (int r; (r = in.read(buf)) >= 0; ) {
          out.write(buf, 0, r);
          digest.update(buf, 0, r);
          done += r;
          progress.update(name, done, total);
        }
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equalsIgnoreCase(md5)) {
        throw DlnRuntimeException.io("the download of " + url + " is corrupt: its md5 is " + actual
            + ", expected " + md5 + "; the file was discarded", "try again; if it keeps failing, download the file by hand");
      }
      Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (Unreachable e) {
      throw e;
    } catch (IOException e) {
      throw DlnRuntimeException.io("download of " + url + " to " + target + " failed: " + e.getMessage(), null);
    } finally {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // Best effort: a leftover .part file is never mistaken for data (wrong name).
      }
    }
  }

  /** The md5 of a file as lower-case hex. */
  static String md5(Path file) throws IOException {
    MessageDigest digest = md5();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) >= 0; ) digest.update(buf, 0, r);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides MD5", e);
    }
  }
}
