package dln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dln.interp.DlnException;
import dln.interp.Failures;
import dln.interp.Interpreter;
import dln.interp.call.Invoker;
import dln.interp.lib.DatasetRefs;
import dln.interp.value.None;
import dln.interp.value.Range;
import dln.interp.value.Tuple;
import dln.interp.value.Values;
import dln.runtime.DlnRuntimeException;
import dln.runtime.io.SessionFiles;
import dln.runtime.nn.Model;
import dln.runtime.train.History;
import dln.runtime.train.session.TrainingSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code :save} and {@code :load} of a REPL session's state: every variable's value — numbers,
 * strings, none, lists, tuples, dicts, tensors (bit for bit, dtype kept), models with their
 * weights, compile settings, optimiser state and history, History objects, and the tensors of the
 * built-in data sets by reference (the loader call, checked by SHA-256 when loaded) — in one
 * {@link SessionFiles} archive with the transcript. Values that cannot be saved (functions,
 * classes, modules, Java objects an embedder put in, a layer outside a model) are named with the
 * reason, at save and at load. Shared values stay shared: two names for one model or tensor are
 * one model or tensor again after loading.
 */
final class SessionState {
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DEPTH = 100;

  private SessionState() {}

  /** What :save wrote and what it left out (name → why). */
  record Saved(int variables, Map<String, String> skipped) {}

  /** What :load restored (name → value, in the saved order) and what it could not (name → why). */
  record Restored(Map<String, Object> variables, Map<String, String> skipped, String transcript) {}

  // ---------------------------------------------------------------------------------------- save

  static Saved save(Path path, Map<String, Object> variables, String transcript) {
    Encoder enc = new Encoder();
    ObjectNode vars = JSON.createObjectNode();
    Map<String, String> skipped = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : variables.entrySet()) {
      try {
        vars.set(e.getKey(), enc.value(e.getValue(), 0));
      } catch (Unsaveable u) {
        skipped.put(e.getKey(), u.getMessage());
      }
    }
    ObjectNode doc = JSON.createObjectNode();
    doc.put("format", "dln-session-state");
    doc.put("format_version", FORMAT_VERSION);
    doc.set("variables", vars);
    doc.set("datasets", enc.datasets);
    ObjectNode not = doc.putObject("not_saved");
    skipped.forEach(not::put);
    byte[] state;
    try {
      state = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    } catch (IOException e) {
      throw Failures.internal(e);
    }
    try {
      SessionFiles.save(path, new SessionFiles.Image(state, enc.tensors, enc.models, transcript));
    } catch (DlnRuntimeException r) {
      throw new DlnException(r.kind(), r.getMessage(), r.hint(), null);
    }
    return new Saved(vars.size(), skipped);
  }

  /** A value that has no saved form; the message says why (and what to do). */
  private static final class Unsaveable extends RuntimeException {
    Unsaveable(String why) {
      super(why, null, false, false);
    }
  }

  private static final class Encoder {
    final Map<String, INDArray> tensors = new LinkedHashMap<>();
    final List<Model> models = new ArrayList<>();
    final ArrayNode datasets = JSON.createArrayNode();
    private final Map<Object, String> tensorIds = new IdentityHashMap<>();
    private final Map<Object, Integer> modelIds = new IdentityHashMap<>();
    private final Map<Object, Integer> datasetIds = new IdentityHashMap<>();

    JsonNode value(Object v, int depth) {
      if (depth > MAX_DEPTH) throw new Unsaveable("nested more than " + MAX_DEPTH + " levels deep (or a list that holds itself)");
      if (v == null || v == None.NONE) return typed("none");
      if (v instanceof Boolean b) return JSON.getNodeFactory().booleanNode(b);
      if (v instanceof Long l) return JSON.getNodeFactory().numberNode(l);
      if (v instanceof Double d) {
        if (Double.isFinite(d)) return JSON.getNodeFactory().numberNode(d);
        return typed("float").put("value", Values.formatFloat(d));
      }
      if (v instanceof String s) return JSON.getNodeFactory().textNode(s);
      if (v instanceof Range) throw new Unsaveable("a range (type it again, e.g. r = range(10))");
      if (v instanceof List<?> l) return items(typed("list"), l, depth);
      if (v instanceof Tuple t) return items(typed("tuple"), t.items(), depth);
      if (v instanceof Map<?, ?> m) {
        ObjectNode n = typed("dict");
        ArrayNode pairs = n.putArray("items");
        for (Map.Entry<?, ?> e : m.entrySet()) {
          ArrayNode p = pairs.addArray();
          p.add(value(e.getKey(), depth + 1));
          p.add(value(e.getValue(), depth + 1));
        }
        return n;
      }
      if (v instanceof INDArray t) return tensor(t);
      if (v instanceof Model m) return typed("model").put("id", model(m));
      if (v instanceof History h) return history(h);
      throw new Unsaveable(why(v));
    }

    private ObjectNode items(ObjectNode n, List<?> xs, int depth) {
      ArrayNode a = n.putArray("items");
      for (Object x : xs) a.add(value(x, depth + 1));
      return n;
    }

    private JsonNode tensor(INDArray t) {
      DatasetRefs.Ref ref = DatasetRefs.of(t);
      if (ref != null) {
        Integer id = datasetIds.get(t);
        if (id == null) {
          id = datasets.size();
          datasetIds.put(t, id);
          ObjectNode d = datasets.addObject();
          d.put("loader", ref.loader());
          ObjectNode o = d.putObject("options");
          ref.options().forEach((k, x) -> {
            if (x instanceof Boolean b) o.put(k, b);
            else o.put(k, ((Number) x).longValue());
          });
          d.put("split", ref.split());
          d.put("part", ref.part());
          d.put("sha256", sha256(t));
        }
        return typed("dataset").put("id", id);
      }
      String id = tensorIds.get(t);
      if (id == null) {
        id = "t" + tensorIds.size();
        tensorIds.put(t, id);
        tensors.put(id, t);
      }
      return typed("tensor").put("id", id);
    }

    private int model(Model m) {
      Integer id = modelIds.get(m);
      if (id == null) {
        id = models.size();
        modelIds.put(m, id);
        models.add(m);
      }
      return id;
    }

    private JsonNode history(History h) {
      // The History a model's last fit returned is that model's: saved with it, linked on load.
      for (Model m : models) if (TrainingSession.of(m).history() == h) return typed("history").put("model", modelIds.get(m));
      ObjectNode n = typed("history");
      ArrayNode epochs = n.putArray("epoch");
      h.epochs().forEach(epochs::add);
      ObjectNode values = n.putObject("history");
      h.history().forEach((k, xs) -> {
        ArrayNode a = values.putArray(k);
        for (Double d : xs) a.add(d);
      });
      return n;
    }
  }

  private static String why(Object v) {
    String type = Values.typeName(v);
    if (v instanceof dln.interp.UserFunction) return "a function (its def is in the transcript; run it again)";
    if (v instanceof dln.interp.call.Callable) return "a " + type + " (built-in or bound functions are not saved)";
    if (v instanceof dln.interp.value.Namespace) return "a module (import it again)";
    if (v instanceof dln.interp.value.DlnClass || v instanceof dln.interp.value.DlnObject) {
      return "a class or an instance of one (" + type + "); its definition is in the transcript";
    }
    if (v instanceof dln.runtime.nn.Layer) return "a layer outside a model (save the model that holds it)";
    if (v.getClass().getName().startsWith("dln.")) return "a " + type + " (this kind of value has no saved form)";
    return "a Java object (" + v.getClass().getName() + ") put in by the application; only DLN values are saved";
  }

  private static ObjectNode typed(String t) {
    ObjectNode n = JSON.createObjectNode();
    n.put("t", t);
    return n;
  }

  static String sha256(INDArray t) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(t.dataType().name().getBytes(StandardCharsets.UTF_8));
      for (long d : t.shape()) md.update(Long.toString(d).getBytes(StandardCharsets.UTF_8));
      INDArray c = t.dup('c');
      java.nio.ByteBuffer b = c.data().asNio();
      md.update(b);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------- load

  /**
   * Reads and decodes the whole file before returning; nothing of the current session is touched,
   * so a corrupt or foreign file is refused with the session as it was.
   */
  static Restored load(Path path, Interpreter interpreter) {
    SessionFiles.Image image;
    try {
      image = SessionFiles.load(path);
    } catch (DlnRuntimeException r) {
      throw new DlnException(r.kind(), r.getMessage(), r.hint(), null);
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(image.state());
    } catch (IOException e) {
      throw new DlnException("io error", "'" + path + "' is damaged: session.json is not valid JSON", null, null);
    }
    if (!"dln-session-state".equals(doc.path("format").asText()) || doc.path("format_version").asInt(-1) > FORMAT_VERSION) {
      throw new DlnException("io error", "'" + path + "' holds a session state this DLN does not read (format "
          + doc.path("format").asText("?") + " version " + doc.path("format_version").asText("?") + ")", "upgrade DLN to load it", null);
    }
    Decoder dec = new Decoder(image, doc.path("datasets"), interpreter, path);
    Map<String, Object> vars = new LinkedHashMap<>();
    Map<String, String> skipped = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("not_saved").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      skipped.put(e.getKey(), "not saved: " + e.getValue().asText());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = doc.path("variables").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        vars.put(e.getKey(), dec.value(e.getValue()));
      } catch (Unsaveable u) {
        skipped.put(e.getKey(), u.getMessage());
      }
    }
    return new Restored(vars, skipped, image.transcript());
  }

  private static final class Decoder {
    private final SessionFiles.Image image;
    private final JsonNode datasets;
    private final Interpreter interpreter;
    private final String where;
    private final Map<String, Object> loaded = new LinkedHashMap<>();

    Decoder(SessionFiles.Image image, JsonNode datasets, Interpreter interpreter, Path path) {
      this.image = image;
      this.datasets = datasets;
      this.interpreter = interpreter;
      this.where = "'" + path + "'";
    }

    Object value(JsonNode n) {
      if (n.isBoolean()) return n.booleanValue();
      if (n.isIntegralNumber()) return n.longValue();
      if (n.isNumber()) return n.doubleValue();
      if (n.isTextual()) return n.textValue();
      String t = n.path("t").asText("");
      switch (t) {
        case "none":
          return None.NONE;
        case "float":
          return switch (n.path("value").asText()) {
            case "nan" -> Double.NaN;
            case "inf" -> Double.POSITIVE_INFINITY;
            default -> Double.NEGATIVE_INFINITY;
          };
        case "list": {
          List<Object> out = new ArrayList<>();
          for (JsonNode x : n.path("items")) out.add(value(x));
          return out;
        }
        case "tuple": {
          List<Object> out = new ArrayList<>();
          for (JsonNode x : n.path("items")) out.add(value(x));
          return new Tuple(out);
        }
        case "dict": {
          Map<Object, Object> out = new LinkedHashMap<>();
          for (JsonNode p : n.path("items")) out.put(value(p.path(0)), value(p.path(1)));
          return out;
        }
        case "tensor": {
          INDArray a = image.tensors().get(n.path("id").asText());
          if (a == null) throw damaged("tensor " + n.path("id").asText() + " is missing from tensors.bin");
          return a;
        }
        case "model": {
          int id = n.path("id").asInt(-1);
          if (id < 0 || id >= image.models().size()) throw damaged("model " + id + " is missing");
          return image.models().get(id);
        }
        case "history": {
          if (n.has("model")) {
            int id = n.path("model").asInt(-1);
            if (id < 0 || id >= image.models().size()) throw damaged("model " + id + " is missing");
            return TrainingSession.of(image.models().get(id)).history();
          }
          History h = new History();
          JsonNode values = n.path("history");
          JsonNode epochs = n.path("epoch");
          for (int i = 0; i < epochs.size(); i++) {
            Map<String, Double> logs = new LinkedHashMap<>();
            for (Iterator<String> it = values.fieldNames(); it.hasNext(); ) {
              String k = it.next();
              if (values.path(k).path(i).isNumber()) logs.put(k, values.path(k).path(i).asDouble());
            }
            h.append(epochs.get(i).asInt(), logs);
          }
          return h;
        }
        case "dataset":
          return dataset(n.path("id").asInt(-1));
        default:
          throw damaged("a value of unknown kind '" + t + "'");
      }
    }

    /** Repeats the loader call (once per call) and checks the tensor is the one that was saved. */
    private Object dataset(int id) {
      JsonNode d = datasets.path(id);
      if (d.isMissingNode()) throw damaged("data set " + id + " is missing");
      String loader = d.path("loader").asText();
      String call = loader + "(" + options(d.path("options")) + ")";
      Object result = loaded.computeIfAbsent(loader + d.path("options"), k -> {
        try {
          Object fn = interpreter.globals().lookup(loader);
          Map<String, Object> kw = new LinkedHashMap<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = d.path("options").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            kw.put(e.getKey(), e.getValue().isBoolean() ? (Object) e.getValue().booleanValue() : (Object) e.getValue().longValue());
          }
          return ((Invoker) interpreter).call(fn, List.of(), kw);
        } catch (RuntimeException e) {
          return Failures.located(e, null);
        }
      });
      if (result instanceof DlnException e) throw new Unsaveable("its data set " + call + " could not be loaded: " + e.getMessage());
      INDArray t = (INDArray) ((Tuple) ((Tuple) result).get(d.path("split").asInt())).get(d.path("part").asInt());
      if (!sha256(t).equals(d.path("sha256").asText())) {
        throw new Unsaveable("it was a tensor of " + call + " but differs from what " + call
            + " gives now (changed in place before :save, or the data set files changed)");
      }
      return t;
    }

    private static String options(JsonNode o) {
      List<String> parts = new ArrayList<>();
      o.fields().forEachRemaining(e -> {
        if (!e.getValue().isBoolean() || e.getValue().booleanValue()) parts.add(e.getKey() + "=" + (e.getValue().isBoolean() ? "true" : e.getValue().asText()));
      });
      return String.join(", ", parts);
    }

    private DlnException damaged(String what) {
      return new DlnException("io error", where + " is damaged: " + what, "restore only files written by :save", null);
    }
  }
}
