package dln.stdlib.data;

import dln.runtime.DlnRuntimeException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files of unsigned bytes (the MNIST format), gzip-compressed or plain.
 *
 * <p>The format: two zero bytes, a type byte ({@code 0x08} = unsigned byte), a byte with the number
 * of dimensions, one big-endian int32 per dimension, then the payload. Every file is checked in
 * full before anything is returned: magic, type, dimensions, and that the payload holds exactly as
 * many bytes as the header promises. A gzip stream also checks its CRC at the end, so corrupt
 * compressed data is caught too. A file that fails any check raises a {@link DlnRuntimeException}
 * naming the file and the problem; nothing is ever half-loaded.
 */
public final class IdxReader {
  /** Type code of unsigned bytes, the only element type MNIST-style data sets use. */
  static final int UBYTE = 0x08;
  /** No real data set needs more; a larger count means a corrupt header. */
  private static final int MAX_DIMS = 8;
  /** Java arrays stop a little below 2^31. */
  private static final long MAX_PAYLOAD = Integer.MAX_VALUE - 16;
  private static final int BUFFER = 1 << 16;

  private IdxReader() {}

  /** Reads and checks a whole IDX file; gzip is detected from the file's first bytes. */
  public static IdxArray read(Path file) {
    return read(file, () -> {});
  }

  /**
   * Reads and checks a whole IDX file, running {@code checkpoint} after every 64 KiB of data: it may
   * throw to stop the read (Ctrl-C in the REPL, a host's cancel), which then propagates as is.
   */
  public static IdxArray read(Path file, Runnable checkpoint) {
    boolean gzip = isGzip(file);
    try (InputStream raw = Files.newInputStream(file);
         InputStream in = gzip ? new GZIPInputStream(new BufferedInputStream(raw, BUFFER), BUFFER)
             : new BufferedInputStream(raw, BUFFER)) {
      return read(in, file, gzip ? -1 : Files.size(file), checkpoint);
    } catch (DlnRuntimeException e) {
      throw e;
    } catch (ZipException e) {
      throw corrupt(file, "its gzip data is corrupt (" + e.getMessage() + ")");
    } catch (EOFException e) {
      throw corrupt(file, "it is truncated: the gzip stream ends early (" + e.getMessage() + ")");
    } catch (NoSuchFileException e) {
      throw DlnRuntimeException.io("cannot read " + file + ": the file does not exist", null);
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot read " + file + ": " + e.getMessage(), null);
    }
  }

  /**
   * Reads an IDX stream. {@code plainSize} is the file length for an uncompressed file (checked
   * against the header before the payload is allocated), or -1 when the length is unknown.
   */
  static IdxArray read(InputStream in, Path file, long plainSize, Runnable checkpoint) throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4) {
      throw corrupt(file, magic.length == 0 ? "it is empty" : "it is truncated: only " + magic.length + " bytes, not even a header");
    }
    if (magic[0] != 0 || magic[1] != 0) {
      throw corrupt(file, String.format("it is not an IDX file: it starts with bytes %02x %02x %02x %02x, not 00 00 08 ..",
          magic[0] & 0xff, magic[1] & 0xff, magic[2] & 0xff, magic[3] & 0xff));
    }
    if ((magic[2] & 0xff) != UBYTE) {
      throw corrupt(file, String.format("its element type is 0x%02x; only unsigned bytes (0x08) are supported", magic[2] & 0xff));
    }
    int rank = magic[3] & 0xff;
    if (rank < 1 || rank > MAX_DIMS) {
      throw corrupt(file, "its header says " + rank + " dimensions (expected 1 to " + MAX_DIMS + ")");
    }
    byte[] dimBytes = in.readNBytes(4 * rank);
    if (dimBytes.length < 4 * rank) {
      throw corrupt(file, "it is truncated inside its header");
    }
    int[] dims = new int[rank];
    for (int i = 0; i < rank; i++) {
      int b = 4 * i;
      dims[i] = ((dimBytes[b] & 0xff) << 24) | ((dimBytes[b + 1] & 0xff) << 16) | ((dimBytes[b + 2] & 0xff) << 8) | (dimBytes[b + 3] & 0xff);
      if (dims[i] < 0) throw corrupt(file, "its header has a negative dimension " + dims[i]);
    }
    long payload = 1;
    for (int d : dims) {
      payload *= d;
      if (payload > MAX_PAYLOAD) {
        throw corrupt(file, "its header " + describe(dims, rank) + " promises more than 2 GB of data");
      }
    }
    long headerSize = 4 + 4L * rank;
    if (plainSize >= 0 && plainSize != headerSize + payload) {
      throw lengthMismatch(file, dims, payload, plainSize - headerSize);
    }
    byte[] data = readPayload(in, (int) payload, checkpoint);
    if (data.length < payload) {
      throw lengthMismatch(file, dims, payload, data.length);
    }
    if (in.read() != -1) {
      // Not counted: a hostile stream could go on for gigabytes.
      throw corrupt(file, "it is too long: it has more than the " + payload + " bytes of data its header " + describe(dims, rank) + " promises");
    }
    return new IdxArray(dims, data);
  }

  /**
   * Reads up to {@code expected} bytes. The buffer grows with the data actually present rather
   * than trusting the header up front, so a corrupt header cannot make us allocate gigabytes for
   * a small file.
   */
  private static byte[] readPayload(InputStream in, int expected, Runnable checkpoint) throws IOException {
    int capacity = Math.min(expected, 64 << 20);
    byte[] buf = new byte[capacity];
    int n = 0;
    while (n < expected) {
      if (n == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(expected, 2L * buf.length));
      checkpoint.run();
      int r = in.read(buf, n, Math.min(BUFFER, buf.length - n));
      if (r < 0) break;
      n += r;
    }
    return n == buf.length ? buf : Arrays.copyOf(buf, n);
  }

  private static boolean isGzip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    } catch (NoSuchFileException e) {
      throw DlnRuntimeException.io("cannot read " + file + ": the file does not exist", null);
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot read " + file + ": " + e.getMessage(), null);
    }
  }

  private static DlnRuntimeException lengthMismatch(Path file, int[] dims, long expected, long actual) {
    String what = actual < expected ? "it is truncated" : "it is too long";
    return corrupt(file, what + ": its header " + describe(dims, dims.length) + " promises " + expected
        + " bytes of data but the file holds " + actual);
  }

  private static String describe(int[] dims, int upTo) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < upTo; i++) {
      if (i > 0) sb.append(", ");
      sb.append(dims[i]);
    }
    return sb.append(']').toString();
  }

  static DlnRuntimeException corrupt(Path file, String problem) {
    return DlnRuntimeException.io("cannot load " + file + ": " + problem,
        "delete the file so it is downloaded again, or replace it with the original");
  }
}
