package dln.runtime.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.Model;
import dln.runtime.Shapes;
import dln.runtime.nn.Weight;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.History;
import dln.runtime.train.ModelSaver;
import dln.runtime.train.Optimizer;
import dln.runtime.train.session.TrainingSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DLN model files ({@code .dlnm}): one zip archive holding
 *
 * <ul>
 *   <li>{@code model.json}: format tag and version, the architecture ({@link ModelJson}), the
 *       compile settings (optimiser with its hyper-parameters, losses, metrics) and the optimiser's
 *       step count;
 *   <li>{@code weights.bin}: every weight in the model's order, named {@code layer/weight}, in the
 *       {@link TensorBlob} layout;
 *   <li>{@code optimizer.bin} (only when saved with the optimiser): the optimiser's state arrays,
 *       named {@code layer/weight/0}, {@code layer/weight/1}, ...;
 *   <li>{@code history.json}: the last {@code fit}'s per-epoch values (empty when never trained);
 *   <li>{@code checksums.json}: format tag and version, and the SHA-256 of every other entry.
 * </ul>
 *
 * Files are written to a temporary file in the target's folder and moved into place, so a crash
 * never leaves a half-written model. Reading checks, in order: the archive is a zip, entry names
 * are plain file names, entry sizes are within limits (zip bombs), the format tag and version,
 * the set of entries, every checksum; only then is anything decoded. A weights-only file
 * ({@link #saveWeights}) has the same structure with {@code weights.bin} and
 * {@code checksums.json} only.
 */
public final class ModelFiles {
  /** The model format version this code writes and the newest it reads. */
  public static final int FORMAT_VERSION = 1;
  static final String MODEL_FORMAT = "dln-model";
  static final String WEIGHTS_FORMAT = "dln-weights";

  static final String MODEL_JSON = "model.json";
  static final String WEIGHTS = "weights.bin";
  static final String OPTIMIZER = "optimizer.bin";
  static final String HISTORY = "history.json";
  static final String CHECKSUMS = "checksums.json";

  private ModelFiles() {}

  // ---------------------------------------------------------------- save

  /** Writes the whole model (architecture, compile settings, weights, history, optionally optimiser state). */
  public static void save(Model model, Path path, boolean includeOptimizer) {
    writeArchive(path, MODEL_FORMAT, entries(model, includeOptimizer, ""));
  }

  /**
   * A model file's entries (without checksums.json), each name preceded by {@code prefix}: a session
   * file holds several models as {@code model0.model.json}, {@code model0.weights.bin}, ...
   */
  static Map<String, byte[]> entries(Model model, boolean includeOptimizer, String prefix) {
    JsonNode spec = ModelJson.specTree(model);
    ObjectNode doc = LayerRegistry.JSON.createObjectNode();
    doc.put("format", MODEL_FORMAT);
    doc.put("format_version", FORMAT_VERSION);
    doc.set("model", spec);
    TrainingSession session = TrainingSession.of(model);
    CompileConfig cc = session.compileConfig();
    doc.set("compile", cc == null ? null : LayerRegistry.JSON.valueToTree(cc));
    boolean withOptimizer = includeOptimizer && cc != null;
    doc.put("optimizer_state", withOptimizer);
    if (withOptimizer) doc.put("optimizer_iterations", cc.optimizer().iterations());

    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(prefix + MODEL_JSON, json(doc));
    entries.put(prefix + WEIGHTS, TensorBlob.write(weightsOf(model)));
    if (withOptimizer) entries.put(prefix + OPTIMIZER, TensorBlob.write(optimizerState(model, cc.optimizer())));
    entries.put(prefix + HISTORY, json(historyTree(session.history())));
    return entries;
  }

  /** Writes only the weights (Keras's {@code save_weights}). */
  public static void saveWeights(Model model, Path path) {
    model.requireGraph("save its weights");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(WEIGHTS, TensorBlob.write(weightsOf(model)));
    writeArchive(path, WEIGHTS_FORMAT, entries);
  }

  /** A {@link ModelSaver} writing this format (with the optimiser state), for {@code ModelCheckpoint}. */
  public static ModelSaver saver() {
    return (model, p) -> save(model, Path.of(p), true);
  }

  static Map<String, INDArray> weightsOf(Model model) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Weight w : model.weightList()) {
      if (out.put(w.fullName(), w.value()) != null) {
        throw DlnRuntimeException.value("model '" + model.name() + "' has two weights named '" + w.fullName()
            + "', so its file would be ambiguous", "give the layers distinct names (name='...')");
      }
    }
    return out;
  }

  private static Map<String, INDArray> optimizerState(Model model, Optimizer opt) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    for (Weight w : model.weightList()) {
      List<INDArray> st = opt.state(w);
      for (int i = 0; i < st.size(); i++) out.put(w.fullName() + "/" + i, st.get(i));
    }
    return out;
  }

  static JsonNode historyTree(History h) {
    ObjectNode n = LayerRegistry.JSON.createObjectNode();
    ArrayNode epochs = n.putArray("epoch");
    ObjectNode values = n.putObject("history");
    if (h != null) {
      for (int e : h.epochs()) epochs.add(e);
      for (Map.Entry<String, List<Double>> e : h.history().entrySet()) {
        ArrayNode a = values.putArray(e.getKey());
        for (Double d : e.getValue()) a.add(d);
      }
    }
    return n;
  }

  static byte[] json(JsonNode n) {
    try {
      return LayerRegistry.JSON.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise model file entry", e);
    }
  }

  /**
   * Writes the entries plus checksums.json as an {@link Archive}, atomically: a crash leaves the old
   * file or the new one.
   */
  static void writeArchive(Path path, String format, Map<String, byte[]> entries) {
    ObjectNode sums = LayerRegistry.JSON.createObjectNode();
    sums.put("format", format);
    sums.put("format_version", FORMAT_VERSION);
    sums.put("algorithm", "SHA-256");
    ObjectNode list = sums.putObject("entries");
    for (Map.Entry<String, byte[]> e : entries.entrySet()) list.put(e.getKey(), sha256(e.getValue()));
    Map<String, byte[]> all = new LinkedHashMap<>(entries);
    all.put(CHECKSUMS, json(sums));

    try {
      Archive.write(path, all);
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot write '" + path + "': " + e.getMessage(), "check the folder exists and is writable");
    }
  }

  // ---------------------------------------------------------------- load

  /** Reads a model saved by {@link #save}: same architecture, weights, compile settings, optimiser state. */
  public static Model load(Path path) {
    Map<String, byte[]> entries = readArchive(path, MODEL_FORMAT);
    String where = "'" + path + "'";
    Set<String> expected = new TreeSet<>(expectedEntries(entries, "", where));
    checkEntrySet(where, entries.keySet(), expected);
    return fromEntries(entries, "", where);
  }

  /** The entries a model stored under {@code prefix} must have (its model.json says whether the optimiser's is one). */
  static Set<String> expectedEntries(Map<String, byte[]> entries, String prefix, String where) {
    if (!entries.containsKey(prefix + MODEL_JSON)) {
      throw DlnRuntimeException.io(where + " is incomplete: entry " + prefix + MODEL_JSON + " is missing", null);
    }
    JsonNode doc = parse(entries.get(prefix + MODEL_JSON), where, prefix + MODEL_JSON);
    Set<String> expected = new TreeSet<>(List.of(prefix + MODEL_JSON, prefix + WEIGHTS, prefix + HISTORY));
    if (doc.path("optimizer_state").asBoolean(false)) expected.add(prefix + OPTIMIZER);
    return expected;
  }

  /** Builds the model stored under {@code prefix} in verified entries (see {@link #entries}). */
  static Model fromEntries(Map<String, byte[]> entries, String prefix, String where) {
    for (String e : expectedEntries(entries, prefix, where)) {
      if (!entries.containsKey(e)) throw DlnRuntimeException.io(where + " is incomplete: entry " + e + " is missing", null);
    }
    JsonNode doc = parse(entries.get(prefix + MODEL_JSON), where, prefix + MODEL_JSON);
    boolean withOptimizer = doc.path("optimizer_state").asBoolean(false);
    Model model = ModelJson.build(doc.path("model"));
    assign(model, TensorBlob.read(entries.get(prefix + WEIGHTS), prefix + WEIGHTS), where, true);
    JsonNode compile = doc.get("compile");
    if (compile != null && !compile.isNull()) {
      CompileConfig cc;
      try {
        cc = LayerRegistry.JSON.treeToValue(compile, CompileConfig.class);
      } catch (JsonProcessingException | IllegalArgumentException e) {
        throw DlnRuntimeException.io(where + " has invalid compile settings: " + e.getMessage(), null);
      }
      TrainingSession.of(model).compile(cc);
      if (withOptimizer) restoreOptimizer(model, cc.optimizer(), TensorBlob.read(entries.get(prefix + OPTIMIZER), prefix + OPTIMIZER),
          doc.path("optimizer_iterations").asLong(0), where);
    }
    TrainingSession.of(model).setHistory(history(parse(entries.get(prefix + HISTORY), where, prefix + HISTORY)));
    return model;
  }

  /** Loads weights saved by {@link #saveWeights} (or the weights of a whole model file) into a model. */
  public static void loadWeights(Model model, Path path) {
    model.requireGraph("load weights");
    Map<String, byte[]> entries = readArchive(path, null);
    String where = "'" + path + "'";
    if (!entries.containsKey(WEIGHTS)) throw DlnRuntimeException.io(where + " is incomplete: entry " + WEIGHTS + " is missing", null);
    assign(model, TensorBlob.read(entries.get(WEIGHTS), WEIGHTS), where, false);
  }

  /**
   * Copies saved weights into the model. Names must match, or (for weights of a renamed but
   * identical model) the count and every shape in order. Everything is checked before anything
   * is copied.
   */
  private static void assign(Model model, Map<String, INDArray> saved, String where, boolean strictNames) {
    List<Weight> ws = model.weightList();
    List<INDArray> values = new ArrayList<>();
    boolean byName = true;
    for (Weight w : ws) byName &= saved.containsKey(w.fullName());
    byName &= saved.size() == ws.size();
    if (byName) {
      for (Weight w : ws) values.add(saved.get(w.fullName()));
    } else {
      if (strictNames || saved.size() != ws.size()) {
        throw DlnRuntimeException.value(where + " holds " + saved.size() + " weight arrays " + preview(saved.keySet())
            + " but model '" + model.name() + "' has " + ws.size() + " " + preview(fullNames(ws)),
            "load weights into the same architecture they were saved from");
      }
      values.addAll(saved.values());
    }
    for (int i = 0; i < ws.size(); i++) {
      if (!Arrays.equals(ws.get(i).shape(), values.get(i).shape())) {
        throw DlnRuntimeException.shape("weight '" + ws.get(i).fullName() + "' has shape " + Shapes.format(ws.get(i).shape())
            + " but " + where + " holds shape " + Shapes.format(values.get(i).shape()),
            "load weights into the same architecture they were saved from");
      }
    }
    for (int i = 0; i < ws.size(); i++) ws.get(i).set(values.get(i));
  }

  private static void restoreOptimizer(Model model, Optimizer opt, Map<String, INDArray> saved, long iterations, String where) {
    for (Weight w : model.weightList()) {
      List<INDArray> arrays = new ArrayList<>();
      for (int i = 0; saved.containsKey(w.fullName() + "/" + i); i++) arrays.add(saved.get(w.fullName() + "/" + i));
      if (!arrays.isEmpty()) opt.restoreState(w, arrays);
    }
    opt.setIterations(iterations);
  }

  static History history(JsonNode n) {
    History h = new History();
    JsonNode epochs = n.path("epoch");
    JsonNode values = n.path("history");
    for (int i = 0; i < epochs.size(); i++) {
      Map<String, Double> logs = new LinkedHashMap<>();
      for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        JsonNode v = values.path(k).path(i);
        if (v.isNumber()) logs.put(k, v.asDouble());
      }
      h.append(epochs.get(i).asInt(), logs);
    }
    return h;
  }

  static JsonNode parse(byte[] bytes, String where, String entry) {
    try {
      JsonNode n = LayerRegistry.JSON.readTree(bytes);
      if (n == null || !n.isObject()) throw DlnRuntimeException.io(where + " is damaged: " + entry + " is not a JSON object", null);
      return n;
    } catch (IOException e) {
      throw DlnRuntimeException.io(where + " is damaged: " + entry + " is not valid JSON", null);
    }
  }

  /**
   * Opens and verifies an archive: the {@link Archive} checks (a zip, safe entry names, sizes
   * within limits), then the format tag
   * and version in checksums.json, no missing or extra entries, every SHA-256 matching.
   *
   * @param format the required format tag, or null for either a model or a weights file
   * @return every entry except checksums.json, verified
   */
  static Map<String, byte[]> readArchive(Path path, String format) {
    String where = "'" + path + "'";
    boolean session = SessionFiles.FORMAT.equals(format);
    Map<String, byte[]> raw = Archive.read(path, session ? SessionFiles.MAX_ENTRIES : Archive.MAX_ENTRIES);
    byte[] sumsBytes = raw.remove(CHECKSUMS);
    if (sumsBytes == null) {
      throw DlnRuntimeException.io(where + " is not a DLN model file: the zip archive has no " + CHECKSUMS,
          "load files written by model.save(...)");
    }
    JsonNode sums = parse(sumsBytes, where, CHECKSUMS);
    String tag = sums.path("format").asText("");
    if (tag.equals(SessionFiles.FORMAT) && !session) {
      throw DlnRuntimeException.io(where + " is a DLN session file (from :save), not a model file", "restore it with :load at the REPL");
    }
    if (session && !tag.equals(SessionFiles.FORMAT)) {
      throw DlnRuntimeException.io(where + " is not a DLN session file: its format is '" + tag + "'",
          tag.equals(MODEL_FORMAT) ? "load a model with load_model(path)" : "restore files written by :save");
    }
    if (!session && !tag.equals(MODEL_FORMAT) && !tag.equals(WEIGHTS_FORMAT)) {
      throw DlnRuntimeException.io(where + " is not a DLN model file: its format is '" + tag + "'", null);
    }
    int version = sums.path("format_version").asInt(-1);
    if (version > FORMAT_VERSION) {
      throw DlnRuntimeException.io(where + " was written by a newer DLN (model format version " + version
          + "; this DLN reads versions up to " + FORMAT_VERSION + ")", "upgrade DLN to load it");
    }
    if (version < 1) throw DlnRuntimeException.io(where + " is damaged: invalid format version in " + CHECKSUMS, null);
    if (format != null && !session && !tag.equals(format)) {
      throw DlnRuntimeException.io(where + " is a DLN " + (tag.equals(WEIGHTS_FORMAT) ? "weights file (from save_weights)" : "model file")
          + ", not a " + (format.equals(WEIGHTS_FORMAT) ? "weights file" : "whole model"),
          tag.equals(WEIGHTS_FORMAT) ? "build the model, then call model.load_weights(path)" : "use load_model(path)");
    }
    JsonNode listed = sums.path("entries");
    Set<String> names = new LinkedHashSet<>();
    listed.fieldNames().forEachRemaining(names::add);
    checkEntrySet(where, raw.keySet(), names);
    for (String name : names) {
      if (!sha256(raw.get(name)).equals(listed.path(name).asText())) {
        throw DlnRuntimeException.io(where + " is corrupted: the SHA-256 checksum of " + name + " does not match",
            "the file was damaged after it was written; use a good copy or save the model again");
      }
    }
    if (tag.equals(MODEL_FORMAT) && !raw.containsKey(MODEL_JSON)) {
      throw DlnRuntimeException.io(where + " is incomplete: entry " + MODEL_JSON + " is missing", null);
    }
    return raw;
  }

  private static void checkEntrySet(String where, Set<String> present, Set<String> expected) {
    for (String e : expected) {
      if (!present.contains(e)) throw DlnRuntimeException.io(where + " is incomplete: entry " + e + " is missing", "save the model again");
    }
    for (String p : present) {
      if (!expected.contains(p)) {
        throw DlnRuntimeException.io(where + " has an unexpected entry '" + p + "'", "load only files written by model.save(...)");
      }
    }
  }

  private static List<String> fullNames(List<Weight> ws) {
    List<String> out = new ArrayList<>();
    for (Weight w : ws) out.add(w.fullName());
    return out;
  }

  private static String preview(java.util.Collection<String> names) {
    List<String> l = new ArrayList<>(names);
    return "(" + String.join(", ", l.subList(0, Math.min(4, l.size()))) + (l.size() > 4 ? ", ..." : "") + ")";
  }

  static String sha256(byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
