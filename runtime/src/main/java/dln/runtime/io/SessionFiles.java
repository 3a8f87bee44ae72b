package dln.runtime.io;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Model;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Session files ({@code .dlns}, format "dln-session"): a saved interpreter session in the model
 * file's machinery (see docs/model-format.md) — one zip {@link Archive}, written atomically, every
 * entry listed with its SHA-256 in checksums.json and verified before anything is decoded. Entries:
 *
 * <ul>
 *   <li>{@code session.json}: the variables, as the language encodes them (opaque here);
 *   <li>{@code tensors.bin}: the tensors the variables refer to, bit for bit, dtype kept;
 *   <li>{@code model<i>.model.json}, {@code .weights.bin}, {@code .optimizer.bin},
 *       {@code .history.json}: each model exactly as a model file holds it (optimiser state included);
 *   <li>{@code transcript.dln}: the entries typed, for reading.
 * </ul>
 *
 * The runtime knows nothing of the language: the caller turns its values into {@link Image}'s parts.
 */
public final class SessionFiles {
  /** The format tag in checksums.json. */
  public static final String FORMAT = "dln-session";
  /** Sessions hold many models (four entries each). */
  static final int MAX_ENTRIES = 4096;

  static final String STATE = "session.json";
  static final String TENSORS = "tensors.bin";
  static final String TRANSCRIPT = "transcript.dln";

  private SessionFiles() {}

  /**
   * What a session file holds.
   *
   * @param state the language's description of the variables (UTF-8 JSON)
   * @param tensors tensors by the ids {@code state} uses
   * @param models models in the order {@code state} numbers them
   * @param transcript the session's entries as text
   */
  public record Image(byte[] state, Map<String, INDArray> tensors, List<Model> models, String transcript) {}

  /** Writes the session atomically: a crash leaves the old file or the new one, never half of one. */
  public static void save(Path path, Image image) {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(STATE, image.state());
    entries.put(TENSORS, TensorBlob.write(image.tensors()));
    for (int i = 0; i < image.models().size(); i++) entries.putAll(ModelFiles.entries(image.models().get(i), true, prefix(i)));
    entries.put(TRANSCRIPT, image.transcript().getBytes(StandardCharsets.UTF_8));
    ModelFiles.writeArchive(path, FORMAT, entries);
  }

  /**
   * Reads and verifies a session file completely (checksums, entries, every model built) before
   * returning, so that a caller can refuse a bad file without having changed anything.
   *
   * @throws DlnRuntimeException (kind io) for a missing, foreign, truncated or corrupted file
   */
  public static Image load(Path path) {
    String where = "'" + path + "'";
    Map<String, byte[]> entries = ModelFiles.readArchive(path, FORMAT);
    Set<String> expected = new TreeSet<>(List.of(STATE, TENSORS, TRANSCRIPT));
    int n = 0;
    while (entries.containsKey(prefix(n) + ModelFiles.MODEL_JSON)) expected.addAll(ModelFiles.expectedEntries(entries, prefix(n++), where));
    for (String e : expected) {
      if (!entries.containsKey(e)) throw DlnRuntimeException.io(where + " is incomplete: entry " + e + " is missing", null);
    }
    for (String p : entries.keySet()) {
      if (!expected.contains(p)) throw DlnRuntimeException.io(where + " has an unexpected entry '" + p + "'", "restore only files written by :save");
    }
    List<Model> models = new ArrayList<>();
    for (int i = 0; i < n; i++) models.add(ModelFiles.fromEntries(entries, prefix(i), where));
    // Parsed here only to refuse a damaged file early; the caller decodes it.
    ModelFiles.parse(entries.get(STATE), where, STATE);
    return new Image(entries.get(STATE), TensorBlob.read(entries.get(TENSORS), TENSORS), models,
        new String(entries.get(TRANSCRIPT), StandardCharsets.UTF_8));
  }

  private static String prefix(int i) {
    return "model" + i + ".";
  }
}
