package dln.runtime.nn;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.AveragePooling2D;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Concatenate;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.GlobalMaxPooling2D;
import dln.runtime.nn.layers.InputLayer;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.nn.layers.Reshape;
import dln.runtime.nn.layers.Softmax;
import dln.runtime.nn.layers.ZeroPadding2D;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The table of layer types: one entry per layer (type name, config record class, constructor).
 * Converts a layer to JSON ({@code {"class_name": "Dense", "name": "dense", "trainable": true,
 * "config": {...}}}, Keras's snake_case keys) and back.
 */
public final class LayerRegistry {
  /** One layer type: how to read its config and construct it. */
  public record Entry<C>(String type, Class<C> configClass, BiFunction<C, String, Layer> factory) {}

  private static final Map<String, Entry<?>> TYPES = new LinkedHashMap<>();

  /** Jackson mapper with Keras's snake_case names; shared because it is thread-safe once configured. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static {
    register("InputLayer", InputLayer.Config.class, InputLayer::new);
    register("Dense", Dense.Config.class, Dense::new);
    register("Conv2D", Conv2D.Config.class, Conv2D::new);
    register("MaxPooling2D", MaxPooling2D.Config.class, MaxPooling2D::new);
    register("AveragePooling2D", AveragePooling2D.Config.class, AveragePooling2D::new);
    register("GlobalAveragePooling2D", GlobalAveragePooling2D.Config.class, GlobalAveragePooling2D::new);
    register("GlobalMaxPooling2D", GlobalMaxPooling2D.Config.class, GlobalMaxPooling2D::new);
    register("Flatten", Flatten.Config.class, Flatten::new);
    register("Reshape", Reshape.Config.class, Reshape::new);
    register("Dropout", Dropout.Config.class, Dropout::new);
    register("BatchNormalization", BatchNormalization.Config.class, BatchNormalization::new);
    register("Activation", Activation.Config.class, Activation::new);
    register("Softmax", Softmax.Config.class, Softmax::new);
    register("ReLU", ReLU.Config.class, ReLU::new);
    register("Add", Add.Config.class, Add::new);
    register("Concatenate", Concatenate.Config.class, Concatenate::new);
    register("Embedding", Embedding.Config.class, Embedding::new);
    register("LSTM", LSTM.Config.class, LSTM::new);
    register("ZeroPadding2D", ZeroPadding2D.Config.class, ZeroPadding2D::new);
  }

  private LayerRegistry() {}

  /** Adds a layer type (one line per layer class). */
  public static synchronized <C> void register(String type, Class<C> configClass, BiFunction<C, String, Layer> factory) {
    TYPES.put(type, new Entry<>(type, configClass, factory));
  }

  public static Set<String> types() {
    return TYPES.keySet();
  }

  public static Entry<?> entry(String type) {
    Entry<?> e = TYPES.get(type);
    if (e == null) throw DlnRuntimeException.value("unknown layer type '" + type + "'", Names.hint(type, TYPES.keySet()));
    return e;
  }

  /** A new layer of a type from its config record (or anything Jackson can convert to it). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Layer create(String type, Object config, String name) {
    Entry e = entry(type);
    Object cfg = e.configClass().isInstance(config) ? config : JSON.convertValue(config, e.configClass());
    return (Layer) e.factory().apply(cfg, name);
  }

  /** The layer's type, name, trainable flag and config as a JSON tree. */
  public static ObjectNode toTree(Layer layer) {
    ObjectNode n = JSON.createObjectNode();
    n.put("class_name", layer.typeName());
    n.put("name", layer.name());
    n.put("trainable", layer.isTrainable());
    n.set("config", JSON.valueToTree(layer.config()));
    return n;
  }

  public static String toJson(Layer layer) {
    try {
      return JSON.writeValueAsString(toTree(layer));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("layer config is not serialisable: " + layer, e);
    }
  }

  /** A new (unbuilt) layer from {@link #toJson} output. */
  public static Layer fromJson(String json) {
    try {
      return fromTree(JSON.readTree(json));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw DlnRuntimeException.value("not a valid layer description: " + e.getOriginalMessage());
    }
  }

  public static Layer fromTree(JsonNode n) {
    String type = n.path("class_name").asText(null);
    if (type == null) throw DlnRuntimeException.value("layer description without class_name");
    Entry<?> e = entry(type);
    Object cfg;
    try {
      cfg = JSON.treeToValue(n.path("config"), e.configClass());
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException ex) {
      throw DlnRuntimeException.value("invalid config for layer type " + type + ": " + ex.getMessage());
    }
    Layer layer = create(type, cfg, n.path("name").asText(null));
    layer.setTrainable(n.path("trainable").asBoolean(true));
    return layer;
  }
}
