package dln.runtime.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Layer;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.Model;
import dln.runtime.nn.ModelSpec;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.InputLayer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's architecture as JSON and back (Keras's {@code to_json} / {@code model_from_json}). The
 * text holds the {@link ModelSpec} (every layer's type, name, trainable flag and config, and the
 * tensors each application consumed) under a format tag and version; no weights. A model rebuilt
 * from it has freshly initialised weights.
 */
public final class ModelJson {
  /** The value of the {@code format} field of an architecture document. */
  public static final String FORMAT = "dln-architecture";

  private ModelJson() {}

  /** The architecture as indented JSON text. */
  public static String toJson(Model model) {
    ObjectNode doc = LayerRegistry.JSON.createObjectNode();
    doc.put("format", FORMAT);
    doc.put("format_version", ModelFiles.FORMAT_VERSION);
    doc.set("model", specTree(model));
    try {
      return LayerRegistry.JSON.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("model config is not serialisable: " + model, e);
    }
  }

  /** A new model (fresh weights) from {@link #toJson} text. */
  public static Model fromJson(String text) {
    JsonNode doc;
    try {
      doc = LayerRegistry.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw DlnRuntimeException.value("not a valid model description (JSON error: " + e.getOriginalMessage() + ")",
          "pass the text returned by model.to_json()");
    }
    if (doc == null || !doc.isObject() || !FORMAT.equals(doc.path("format").asText(null))) {
      throw DlnRuntimeException.value("not a DLN model description: the JSON has no \"format\": \"" + FORMAT + "\"",
          "pass the text returned by model.to_json()");
    }
    int version = doc.path("format_version").asInt(-1);
    if (version > ModelFiles.FORMAT_VERSION) {
      throw DlnRuntimeException.value("the model description was written by a newer DLN (format version " + version
          + "; this DLN reads up to " + ModelFiles.FORMAT_VERSION + ")", "upgrade DLN");
    }
    return build(doc.path("model"));
  }

  /** The model's {@link ModelSpec} as a JSON tree (requires a built graph). */
  public static JsonNode specTree(Model model) {
    model.requireGraph("be saved");
    refuseUnsaveable(model, model);
    return LayerRegistry.JSON.valueToTree(ModelSpec.of(model));
  }

  /** A located-by-the-caller error before anything is written when a layer (at any depth) cannot be saved. */
  private static void refuseUnsaveable(Model saved, Model model) {
    for (dln.runtime.nn.Layer l : model.layers()) {
      if (l instanceof Model inner) refuseUnsaveable(saved, inner);
      else if (l.unsaveableReason() != null) {
        throw DlnRuntimeException.value("cannot save model '" + saved.name() + "': " + l.describe() + " cannot be written to a file: "
            + l.unsaveableReason(), "save the weights with save_weights() and build the model again in code before load_weights()");
      }
    }
  }

  /** Rebuilds a model (fresh weights) from a {@link ModelSpec} JSON tree. */
  public static Model build(JsonNode spec) {
    if (spec == null || !spec.isObject() || !spec.path("layers").isArray()) {
      throw DlnRuntimeException.value("the model description has no layer list", null);
    }
    String type = spec.path("type").asText("Functional");
    String name = spec.path("name").asText(null);
    Map<String, Layer> layers = new LinkedHashMap<>();
    Map<String, JsonNode> inbound = new HashMap<>();
    for (JsonNode ls : spec.path("layers")) {
      Layer l = layer(ls);
      if (layers.put(l.name(), l) != null) {
        throw DlnRuntimeException.value("the model description has two layers named '" + l.name() + "'", null);
      }
      inbound.put(l.name(), ls.path("inbound"));
    }
    return type.equals("Sequential") ? sequential(name, layers) : functional(name, spec, layers, inbound);
  }

  private static Layer layer(JsonNode ls) {
    String type = ls.path("type").asText(null);
    String layerName = ls.path("name").asText(null);
    if (type == null || layerName == null) throw DlnRuntimeException.value("a layer in the model description has no type or name", null);
    Layer l;
    if (type.equals("Functional") || type.equals("Sequential")) {
      l = build(ls.path("config"));
      l.setName(layerName);
    } else {
      try {
        l = LayerRegistry.create(type, ls.path("config"), layerName);
      } catch (IllegalArgumentException e) {
        throw DlnRuntimeException.value("invalid config for layer '" + layerName + "' (" + type + "): " + e.getMessage());
      }
    }
    l.setTrainable(ls.path("trainable").asBoolean(true));
    return l;
  }

  private static Model sequential(String name, Map<String, Layer> layers) {
    Sequential seq = new Sequential(List.of(), name);
    for (Layer l : layers.values()) {
      if (l instanceof InputLayer il) seq.add(il.apply(List.of()).get(0));
      else seq.add(l);
    }
    return seq;
  }

  /**
   * Re-applies every layer to the tensors it consumed. A shared layer's later application can
   * depend on layers listed after it, so applications run as soon as their inputs exist, each
   * layer's applications in their saved order (which keeps node indices the same).
   */
  private static Model functional(String name, JsonNode spec, Map<String, Layer> layers, Map<String, JsonNode> inbound) {
    Map<String, List<List<SymbolicTensor>>> produced = new HashMap<>();
    Map<String, Integer> applied = new HashMap<>();
    for (Layer l : layers.values()) {
      produced.put(l.name(), new ArrayList<>());
      applied.put(l.name(), 0);
      if (l instanceof InputLayer) produced.get(l.name()).add(l.apply(List.of()));
    }
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Layer l : layers.values()) {
        JsonNode apps = inbound.get(l.name());
        int next = applied.get(l.name());
        while (next < apps.size()) {
          List<SymbolicTensor> args = resolveAll(apps.get(next), produced);
          if (args == null) break;
          produced.get(l.name()).add(l.apply(args));
          applied.put(l.name(), ++next);
          progress = true;
        }
      }
    }
    for (Layer l : layers.values()) {
      if (applied.get(l.name()) < inbound.get(l.name()).size()) {
        throw DlnRuntimeException.value("the model description is inconsistent: layer '" + l.name()
            + "' consumes a tensor that no layer produces", null);
      }
    }
    List<SymbolicTensor> ins = resolveAll(spec.path("inputs"), produced);
    List<SymbolicTensor> outs = resolveAll(spec.path("outputs"), produced);
    if (ins == null || outs == null) {
      throw DlnRuntimeException.value("the model description names inputs or outputs that no layer produces", null);
    }
    return new Model(ins, outs, name, keys(spec.path("input_keys")), keys(spec.path("output_keys")));
  }

  /** The saved names of a model's inputs or outputs given by name; null where they were given in order (or by an older DLN). */
  private static List<String> keys(JsonNode node) {
    if (!node.isArray()) return null;
    List<String> out = new ArrayList<>();
    for (JsonNode k : node) out.add(k.asText());
    return out;
  }

  private static List<SymbolicTensor> resolveAll(JsonNode refs, Map<String, List<List<SymbolicTensor>>> produced) {
    List<SymbolicTensor> out = new ArrayList<>();
    for (JsonNode r : refs) {
      List<List<SymbolicTensor>> nodes = produced.get(r.path("layer").asText());
      if (nodes == null) {
        throw DlnRuntimeException.value("the model description refers to an unknown layer '" + r.path("layer").asText() + "'", null);
      }
      int node = r.path("node_index").asInt();
      int index = r.path("tensor_index").asInt();
      if (node >= nodes.size()) return null;
      if (index < 0 || index >= nodes.get(node).size()) {
        throw DlnRuntimeException.value("the model description refers to output " + index + " of layer '"
            + r.path("layer").asText() + "', which does not exist", null);
      }
      out.add(nodes.get(node).get(index));
    }
    return out;
  }
}
