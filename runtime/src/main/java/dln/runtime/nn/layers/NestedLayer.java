package dln.runtime.nn.layers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import dln.runtime.nn.Layer;
import java.io.IOException;

/**
 * A wrapped layer inside a wrapper's config (Bidirectional, TimeDistributed), written as Keras
 * writes it: the inner layer's own {@code {"class_name", "name", "trainable", "config"}}.
 */
final class NestedLayer {
  private NestedLayer() {}

  /** Writes the wrapped layer through the registry. */
  static final class Writer extends JsonSerializer<Layer> {
    @Override
    public void serialize(Layer layer, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeTree(LayerRegistry.toTree(layer));
    }
  }

  /** Reads the wrapped layer through the registry (a new, unbuilt layer). */
  static final class Reader extends JsonDeserializer<Layer> {
    @Override
    public Layer deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode n = p.getCodec().readTree(p);
      return LayerRegistry.fromTree(n);
    }
  }
}
