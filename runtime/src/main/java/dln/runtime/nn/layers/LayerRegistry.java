package dln.runtime.nn.layers;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.InputLayer;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Names;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The table of layer types: one {@link LayerSpec} per layer class, each declared on its class.
 * Converts a layer to JSON ({@code {"class_name": "Dense", "name": "dense", "trainable": true,
 * "config": {...}}}, Keras's snake_case keys) and back.
 */
public final class LayerRegistry {
  private static final Map<String, LayerSpec<?>> TYPES = new LinkedHashMap<>();

  /** Jackson mapper with Keras's snake_case names; shared because it is thread-safe once configured. */
  public static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static {
    register(InputLayer.SPEC);
    register(Dense.SPEC);
    register(Conv2D.SPEC);
    register(MaxPooling2D.SPEC);
    register(AveragePooling2D.SPEC);
    register(GlobalAveragePooling2D.SPEC);
    register(GlobalMaxPooling2D.SPEC);
    register(Flatten.SPEC);
    register(Reshape.SPEC);
    register(Dropout.SPEC);
    register(BatchNormalization.SPEC);
    register(Activation.SPEC);
    register(Softmax.SPEC);
    register(ReLU.SPEC);
    register(LeakyReLU.SPEC);
    register(Add.SPEC);
    register(Concatenate.SPEC);
    register(Embedding.SPEC);
    register(LSTM.SPEC);
    register(ZeroPadding2D.SPEC);
    register(RepeatVector.SPEC);
    register(Multiply.SPEC);
    register(Subtract.SPEC);
    register(Average.SPEC);
    register(Maximum.SPEC);
    register(Permute.SPEC);
    register(Cropping2D.SPEC);
    register(UpSampling2D.SPEC);
    register(GaussianNoise.SPEC);
    register(Masking.SPEC);
    register(SpatialDropout2D.SPEC);
    register(Conv1D.SPEC);
    register(MaxPooling1D.SPEC);
    register(AveragePooling1D.SPEC);
    register(GlobalAveragePooling1D.SPEC);
    register(GlobalMaxPooling1D.SPEC);
    register(SimpleRNN.SPEC);
    register(GRU.SPEC);
    register(LayerNormalization.SPEC);
    register(DepthwiseConv2D.SPEC);
    register(SeparableConv2D.SPEC);
    register(Conv2DTranspose.SPEC);
    register(Bidirectional.SPEC);
    register(TimeDistributed.SPEC);
    register(MultiHeadAttention.SPEC);
    register(Lambda.SPEC);
  }

  private LayerRegistry() {}

  /** Adds a layer type (the list above; tests and extensions may add their own). */
  public static synchronized void register(LayerSpec<?> spec) {
    TYPES.put(spec.type(), spec);
  }

  /** Removes a type added with {@link #register} (a test's or an extension's own layer). */
  public static synchronized void unregister(String type) {
    TYPES.remove(type);
  }

  /** The type names, in registration order. */
  public static Set<String> types() {
    return TYPES.keySet();
  }

  /** Every layer type, in registration order. */
  public static synchronized List<LayerSpec<?>> specs() {
    return List.copyOf(TYPES.values());
  }

  /** The spec of a type name, or a value error naming the closest known type. */
  public static synchronized LayerSpec<?> spec(String type) {
    LayerSpec<?> e = TYPES.get(type);
    if (e == null) throw DlnRuntimeException.value("unknown layer type '" + type + "'", Names.hint(type, TYPES.keySet()));
    return e;
  }

  /** A new layer of a type from its config record (or anything Jackson can convert to it). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Layer create(String type, Object config, String name) {
    LayerSpec spec = spec(type);
    Object cfg = spec.configClass().isInstance(config) ? config : JSON.convertValue(config, spec.configClass());
    return spec.create((Record) cfg, name);
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
    LayerSpec<?> spec = spec(type);
    Object cfg;
    try {
      cfg = JSON.treeToValue(n.path("config"), spec.configClass());
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException ex) {
      throw DlnRuntimeException.value("invalid config for layer type " + type + ": " + ex.getMessage());
    }
    Layer layer = create(type, cfg, n.path("name").asText(null));
    layer.setTrainable(n.path("trainable").asBoolean(true));
    return layer;
  }
}
