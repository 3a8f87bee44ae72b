package dln.runtime.io;

import dln.runtime.DlnRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The zip container of DLN model files, read defensively: a file from elsewhere may be damaged or
 * hostile. Reading checks that the file is a zip, that it has a handful of entries at most, that
 * every entry name is a plain file name (no path traversal) and appears once, and that no entry
 * unpacks beyond its size limit or with a zip-bomb ratio; the declared sizes are not trusted.
 * What the entries mean (format tag, checksums) is {@link ModelFiles}'s business.
 */
final class Archive {
  /** More entries than a model file ever has (it has five at most). */
  static final int MAX_ENTRIES = 64;
  /** Largest entry accepted when unpacking (JSON entries are far smaller). */
  static final long MAX_BINARY_ENTRY = 1L << 30;
  static final long MAX_JSON_ENTRY = 64L << 20;
  /** Compression ratio above which a large entry is taken for a zip bomb (weights are stored uncompressed). */
  static final long MAX_RATIO = 100;

  private Archive() {}

  /** Writes the entries, in order, atomically ({@link AtomicFile}); {@code .bin} entries are stored, the rest deflated. */
  static void write(Path path, Map<String, byte[]> entries) throws IOException {
    AtomicFile.write(path, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry z = new ZipEntry(e.getKey());
        if (e.getKey().endsWith(".bin")) {
          // Weights hardly compress; stored entries are faster to read and keep the ratio check simple.
          z.setMethod(ZipEntry.STORED);
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          z.setCrc(crc.getValue());
          z.setSize(e.getValue().length);
          z.setCompressedSize(e.getValue().length);
        }
        z.setTime(0);
        zip.putNextEntry(z);
        zip.write(e.getValue());
        zip.closeEntry();
      }
      zip.finish();
    });
  }

  /**
   * Reads every entry of the archive at {@code path}, in the archive's order, after the checks
   * described above.
   *
   * @throws DlnRuntimeException (an I/O error) naming the file and what is wrong with it
   */
  static Map<String, byte[]> read(Path path) {
    return read(path, MAX_ENTRIES);
  }

  /** {@link #read(Path)} with another limit on the number of entries (a session file holds many models). */
  static Map<String, byte[]> read(Path path, int maxEntries) {
    String where = "'" + path + "'";
    byte[] head = new byte[4];
    int got;
    try (InputStream in = Files.newInputStream(path)) {
      got = in.readNBytes(head, 0, 4);
    } catch (NoSuchFileException e) {
      throw DlnRuntimeException.io("model file " + where + " does not exist", "check the path, or save the model first");
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot read " + where + ": " + e.getMessage(), null);
    }
    if (got == 0) throw DlnRuntimeException.io(where + " is empty: it is truncated, not a DLN model file", "save the model again");
    if (got < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4) {
      throw DlnRuntimeException.io(where + " is not a DLN model file: it is not a zip archive",
          "load files written by model.save(...)");
    }
    Map<String, byte[]> raw = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(path.toFile())) {
      if (zip.size() > maxEntries) {
        throw DlnRuntimeException.io(where + " is rejected: it has " + zip.size() + " entries (a DLN " + (maxEntries == MAX_ENTRIES ? "model" : "session") + " file has at most "
            + maxEntries + ")", "load only files written by model.save(...)");
      }
      List<ZipEntry> list = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
        ZipEntry e = en.nextElement();
        checkName(where, e.getName());
        list.add(e);
      }
      for (ZipEntry e : list) {
        if (raw.containsKey(e.getName())) throw DlnRuntimeException.io(where + " is damaged: entry " + e.getName() + " appears twice", null);
        raw.put(e.getName(), readEntry(zip, e, where));
      }
    } catch (ZipException e) {
      throw DlnRuntimeException.io(where + " is truncated or damaged: its zip structure cannot be read (" + e.getMessage() + ")",
          "the file was probably not copied completely; save the model again");
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot read " + where + ": " + e.getMessage(), null);
    }
    return raw;
  }

  /** Entry names must be plain names: no folders, no "..", no absolute or drive paths. */
  private static void checkName(String where, String name) {
    if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.contains("..") || name.contains(":")
        || name.chars().anyMatch(c -> c < 32)) {
      throw DlnRuntimeException.io(where + " is rejected: entry name '" + name + "' is an unsafe path (path traversal)",
          "load only files written by model.save(...)");
    }
  }

  /** Reads one entry, refusing sizes above the limits (declared or actual) and zip-bomb ratios. */
  private static byte[] readEntry(ZipFile zip, ZipEntry e, String where) throws IOException {
    long cap = e.getName().endsWith(".json") ? MAX_JSON_ENTRY : MAX_BINARY_ENTRY;
    long declared = e.getSize();
    long packed = e.getCompressedSize();
    if (declared > cap) throw bomb(where, e.getName(), declared, cap);
    if (declared > (1 << 20) && packed > 0 && declared / packed > MAX_RATIO) {
      throw DlnRuntimeException.io(where + " is rejected: entry " + e.getName() + " would unpack " + packed + " bytes into "
          + declared + " (ratio " + declared / packed + ":1): a possible zip bomb", "load only files written by model.save(...)");
    }
    try (InputStream in = zip.getInputStream(e)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
      byte[] buf = new byte[65536];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        // The declared size can lie: count what actually comes out.
        if (total > cap || (declared >= 0 && total > declared)) throw bomb(where, e.getName(), total, Math.min(cap, declared >= 0 ? declared : cap));
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (ZipException ex) {
      throw DlnRuntimeException.io(where + " is corrupted: entry " + e.getName() + " cannot be unpacked (" + ex.getMessage() + ")",
          "the file was damaged after it was written; use a good copy or save the model again");
    } catch (EOFException ex) {
      throw DlnRuntimeException.io(where + " is truncated: entry " + e.getName() + " ends early", "save the model again");
    }
  }

  private static DlnRuntimeException bomb(String where, String entry, long size, long cap) {
    return DlnRuntimeException.io(where + " is rejected: entry " + entry + " unpacks to more than " + cap
        + " bytes (" + size + " seen): a possible zip bomb", "load only files written by model.save(...)");
  }
}
