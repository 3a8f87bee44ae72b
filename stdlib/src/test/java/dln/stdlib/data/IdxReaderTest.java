package dln.stdlib.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
  @TempDir Path tmp;

  private static final Path MNIST = TestData.dir().resolve("mnist");

  @Test
  void readsRealMnistTrainLabels() {
    IdxArray labels = IdxReader.read(MNIST.resolve("train-labels-idx1-ubyte.gz"));
    assertArrayEquals(new int[] {60000}, labels.dims());
    byte[] d = labels.data();
    assertArrayEquals(new byte[] {5, 0, 4, 1, 9}, Arrays.copyOf(d, 5));
    int[] hist = new int[10];
    for (byte b : d) hist[b]++;
    assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, hist);
  }

  @Test
  void readsRealMnistTestImagesAndLabels() {
    IdxArray images = IdxReader.read(MNIST.resolve("t10k-images-idx3-ubyte.gz"));
    assertArrayEquals(new int[] {10000, 28, 28}, images.dims());
    assertEquals(784, images.itemSize());
    assertEquals(10000 * 784, images.data().length);
    int[] hist = new int[10];
    for (byte b : IdxReader.read(MNIST.resolve("t10k-labels-idx1-ubyte.gz")).data()) hist[b]++;
    assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, hist);
  }

  @Test
  void readsPlainAndGzipTheSame() throws IOException {
    byte[] idx = idx(new int[] {3, 2}, new byte[] {1, 2, 3, 4, 5, (byte) 255});
    Path plain = write("a-idx2-ubyte", idx);
    Path gz = write("a-idx2-ubyte.gz", gzip(idx));
    for (Path p : new Path[] {plain, gz}) {
      IdxArray a = IdxReader.read(p);
      assertArrayEquals(new int[] {3, 2}, a.dims());
      assertArrayEquals(new byte[] {1, 2, 3, 4, 5, (byte) 255}, a.data());
    }
  }

  @Test
  void rejectsTruncatedGzip() throws IOException {
    byte[] real = Files.readAllBytes(MNIST.resolve("t10k-labels-idx1-ubyte.gz"));
    Path cut = write("t10k-labels-idx1-ubyte.gz", Arrays.copyOf(real, real.length / 2));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> IdxReader.read(cut));
    assertEquals("file error", e.kind());
    assertEquals("cannot load " + cut + ": it is truncated: the gzip stream ends early (Unexpected end of ZLIB input stream)", e.getMessage());
  }

  @Test
  void rejectsCorruptGzipData() throws IOException {
    byte[] real = Files.readAllBytes(MNIST.resolve("t10k-labels-idx1-ubyte.gz"));
    byte[] bad = real.clone();
    for (int i = 200; i < 260; i++) bad[i] ^= 0x5a;
    Path p = write("bad.gz", bad);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> IdxReader.read(p));
    assertTrue(e.getMessage().startsWith("cannot load " + p + ": its gzip data is corrupt ("), e.getMessage());
  }

  @Test
  void rejectsFlippedPayloadByteThroughGzipCrc() throws IOException {
    // The deflate stream stays valid but the CRC-32 in the trailer no longer matches.
    byte[] idx = idx(new int[] {4}, new byte[] {1, 2, 3, 4});
    byte[] gz = gzip(idx);
    gz[gz.length - 8] ^= 1; // first byte of the stored CRC
    Path p = write("crc.gz", gz);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> IdxReader.read(p));
    assertEquals("cannot load " + p + ": its gzip data is corrupt (Corrupt GZIP trailer)", e.getMessage());
  }

  @Test
  void rejectsTruncatedPlainPayload() throws IOException {
    byte[] idx = idx(new int[] {10, 28, 28}, new byte[10 * 784]);
    Path p = write("short-idx3-ubyte", Arrays.copyOf(idx, idx.length - 100));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> IdxReader.read(p));
    assertEquals("cannot load " + p + ": it is truncated: its header [10, 28, 28] promises 7840 bytes of data but the file holds 7740",
        e.getMessage());
    assertEquals("delete the file so it is downloaded again, or replace it with the original", e.hint());
  }

  @Test
  void rejectsTruncatedGzipPayload() throws IOException {
    byte[] idx = idx(new int[] {10, 28, 28}, new byte[10 * 784]);
    Path p = write("short.gz", gzip(Arrays.copyOf(idx, idx.length - 100)));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> IdxReader.read(p));
    assertEquals("cannot load " + p + ": it is truncated: its header [10, 28, 28] promises 7840 bytes of data but the file holds 7740",
        e.getMessage());
  }

  @Test
  void rejectsExtraBytes() throws IOException {
    byte[] idx = idx(new int[] {2}, new byte[] {1, 2});
    byte[] longer = Arrays.copyOf(idx, idx.length + 3);
    Path plain = write("long-idx1-ubyte", longer);
    assertEquals("cannot load " + plain + ": it is too long: its header [2] promises 2 bytes of data but the file holds 5",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(plain)).getMessage());
    Path gz = write("long.gz", gzip(longer));
    assertEquals("cannot load " + gz + ": it is too long: it has more than the 2 bytes of data its header [2] promises",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(gz)).getMessage());
  }

  @Test
  void rejectsBadMagicTypeAndRank() throws IOException {
    Path text = write("notes.txt", "hello world, not idx".getBytes());
    assertEquals("cannot load " + text + ": it is not an IDX file: it starts with bytes 68 65 6c 6c, not 00 00 08 ..",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(text)).getMessage());
    Path floats = write("f-idx1", new byte[] {0, 0, 0x0d, 1, 0, 0, 0, 0});
    assertEquals("cannot load " + floats + ": its element type is 0x0d; only unsigned bytes (0x08) are supported",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(floats)).getMessage());
    Path rank0 = write("r0", new byte[] {0, 0, 8, 0});
    assertEquals("cannot load " + rank0 + ": its header says 0 dimensions (expected 1 to 8)",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(rank0)).getMessage());
  }

  @Test
  void rejectsEmptyAndHeaderOnlyFiles() throws IOException {
    Path empty = write("empty", new byte[0]);
    assertEquals("cannot load " + empty + ": it is empty",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(empty)).getMessage());
    Path header = write("header", new byte[] {0, 0, 8, 3, 0, 0});
    assertEquals("cannot load " + header + ": it is truncated inside its header",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(header)).getMessage());
  }

  @Test
  void hugeHeaderIsRejectedWithoutAllocating() throws IOException {
    // 2^31-1 x 28 x 28 bytes would be 1.6 TB: refused from the header alone.
    Path p = write("huge.gz", gzip(idx(new int[] {Integer.MAX_VALUE, 28, 28}, new byte[0])));
    assertEquals("cannot load " + p + ": its header [2147483647, 28, 28] promises more than 2 GB of data",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(p)).getMessage());
    // A header claiming 1.9 GB over a 10-byte payload fails as truncated, having allocated only
    // what the stream held (the test runs with -Xmx4g, well below what trusting the header needs
    // in addition to the rest of the suite).
    Path q = write("big.gz", gzip(idx(new int[] {1900_000_000}, new byte[10])));
    assertEquals("cannot load " + q + ": it is truncated: its header [1900000000] promises 1900000000 bytes of data but the file holds 10",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(q)).getMessage());
  }

  @Test
  void missingFileIsAClearError() {
    Path p = tmp.resolve("nope.gz");
    assertEquals("cannot read " + p + ": the file does not exist",
        assertThrows(DlnRuntimeException.class, () -> IdxReader.read(p)).getMessage());
  }

  static byte[] idx(int[] dims, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(0);
    out.write(8);
    out.write(dims.length);
    for (int d : dims) {
      out.write(d >>> 24);
      out.write(d >>> 16);
      out.write(d >>> 8);
      out.write(d);
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(data);
    }
    return bytes.toByteArray();
  }

  private Path write(String name, byte[] data) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, data);
    return p;
  }
}
