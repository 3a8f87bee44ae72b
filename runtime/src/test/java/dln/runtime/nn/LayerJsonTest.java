package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.layers.LayerRegistry;
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
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.Pooling2D;
import dln.runtime.nn.layers.LeakyReLU;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.nn.layers.Reshape;
import dln.runtime.nn.layers.Softmax;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every layer's config survives a JSON round trip through the registry. */
class LayerJsonTest {
  @Test
  void everyLayerRoundTrips() {
    List<Layer> layers = List.of(
        new Dense(new Dense.Config(7, "relu", false, "he_normal", "ones", Regularizer.l2(0.01), null), "d"),
        new Conv2D(new Conv2D.Config(16, new int[] {5, 3}, new int[] {2, 1}, "same", "elu", true, "he_uniform", null, Regularizer.l1(0.1)), null),
        new MaxPooling2D(new Pooling2D.Config(new int[] {3, 3}, new int[] {2, 2}, "same"), null),
        new AveragePooling2D(2), new GlobalAveragePooling2D(), new GlobalMaxPooling2D(), new Flatten(),
        new Reshape(7, 4, -1), new Dropout(0.3), new BatchNormalization(new BatchNormalization.Config(0.9, 1e-5, true, false), null),
        new Activation("gelu"), new Softmax(), new ReLU(new ReLU.Config(6.0, 0.1, 0.5), null), new LeakyReLU(new LeakyReLU.Config(0.2), null), new Add(), new Concatenate(),
        new Embedding(100, 8), new LSTM(16, true), new dln.runtime.nn.layers.RepeatVector(5),
        new dln.runtime.nn.layers.ZeroPadding2D(new dln.runtime.nn.layers.ZeroPadding2D.Config(new int[] {1, 2, 3, 0}, -1.5), null),
        new dln.runtime.nn.layers.Multiply(), new dln.runtime.nn.layers.Subtract(), new dln.runtime.nn.layers.Average(),
        new dln.runtime.nn.layers.Maximum(), new dln.runtime.nn.layers.Permute(3, 1, 2),
        new dln.runtime.nn.layers.Cropping2D(1, 2, 0, 3), new dln.runtime.nn.layers.UpSampling2D(2, 3),
        new dln.runtime.nn.layers.GaussianNoise(0.25), new dln.runtime.nn.layers.SpatialDropout2D(0.2), new dln.runtime.nn.layers.Masking(-1.0),
        new dln.runtime.nn.layers.Conv1D(new dln.runtime.nn.layers.Conv1D.Config(8, new int[] {5}, new int[] {2}, "causal", "relu", false,
            "he_normal", null, Regularizer.l2(0.01)), null),
        new dln.runtime.nn.layers.MaxPooling1D(new dln.runtime.nn.layers.Pooling1D.Config(new int[] {3}, new int[] {1}, "same"), null),
        new dln.runtime.nn.layers.AveragePooling1D(2), new dln.runtime.nn.layers.GlobalAveragePooling1D(),
        new dln.runtime.nn.layers.GlobalMaxPooling1D(),
        new dln.runtime.nn.layers.SimpleRNN(new dln.runtime.nn.layers.SimpleRNN.Config(5, "relu", false, true, "he_normal", "glorot_uniform", false), null),
        new dln.runtime.nn.layers.GRU(new dln.runtime.nn.layers.GRU.Config(6, "tanh", "sigmoid", true, true, "glorot_uniform", "orthogonal", false, false), null),
        new dln.runtime.nn.layers.LayerNormalization(new dln.runtime.nn.layers.LayerNormalization.Config(1e-5, false, true), null),
        new dln.runtime.nn.layers.DepthwiseConv2D(new dln.runtime.nn.layers.DepthwiseConv2D.Config(new int[] {3, 5}, new int[] {2},
            "same", 3, "relu", false, "he_normal", null), null),
        new dln.runtime.nn.layers.SeparableConv2D(new dln.runtime.nn.layers.SeparableConv2D.Config(8, new int[] {3}, null, "same", 2,
            "elu", true, null, "he_uniform", "ones"), null),
        new dln.runtime.nn.layers.Conv2DTranspose(new dln.runtime.nn.layers.Conv2DTranspose.Config(4, new int[] {2, 3}, new int[] {2, 1},
            "valid", "tanh", false, "he_normal", null), null),
        new dln.runtime.nn.layers.Bidirectional(new dln.runtime.nn.layers.Bidirectional.Config(
            new dln.runtime.nn.layers.GRU(4, true), "ave"), null),
        new dln.runtime.nn.layers.TimeDistributed(new Dense(3, "relu")),
        new dln.runtime.nn.layers.MultiHeadAttention(new dln.runtime.nn.layers.MultiHeadAttention.Config(3, 4, 5, 0.1, false, 7,
            "he_normal", "ones"), null));
    for (Layer l : layers) {
      l.setTrainable(false);
      String json = LayerRegistry.toJson(l);
      Layer back = LayerRegistry.fromJson(json);
      assertEquals(l.getClass(), back.getClass());
      assertEquals(l.name(), back.name());
      assertFalse(back.isTrainable());
      assertEquals(json, LayerRegistry.toJson(back), "round trip of " + l);
    }
    // Lambda is the exception: its function is code, not config, so reading it back is refused.
    dln.runtime.nn.GraphFunction twice = new dln.runtime.nn.GraphFunction() {
      @Override
      public org.nd4j.autodiff.samediff.SDVariable apply(org.nd4j.autodiff.samediff.SDVariable input) {
        return input.mul(2);
      }

      @Override
      public String describe() {
        return "twice";
      }
    };
    String lambda = LayerRegistry.toJson(new dln.runtime.nn.layers.Lambda(twice));
    dln.runtime.DlnRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(dln.runtime.DlnRuntimeException.class,
        () -> LayerRegistry.fromJson(lambda));
    assertTrue(e.getMessage().contains("Lambda needs a function"), e.getMessage());
    assertEquals(LayerRegistry.types().size(), layers.size() + 2, "one test entry per registered layer besides InputLayer and Lambda");
  }

  @Test
  void jsonUsesKerasNames() {
    String json = LayerRegistry.toJson(new Dense(new Dense.Config(3, "relu"), "out"));
    assertTrue(json.contains("\"class_name\" : \"Dense\""), json);
    assertTrue(json.contains("\"use_bias\" : true") && json.contains("\"kernel_initializer\" : \"glorot_uniform\""), json);
  }

  @Test
  void invalidConfigsAreUserErrors() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class,
        () -> LayerRegistry.fromJson("{\"class_name\": \"Dense\", \"config\": {\"units\": 4, \"activation\": \"rleu\"}}"));
    assertTrue(e.getMessage().contains("rleu") || e.hint().contains("relu"), e.getMessage());
    DlnRuntimeException t = assertThrows(DlnRuntimeException.class, () -> LayerRegistry.fromJson("{\"class_name\": \"Dence\"}"));
    assertTrue(t.hint().contains("Dense"), t.hint());
    DlnRuntimeException a = assertThrows(DlnRuntimeException.class, () -> new Dense(3, "rleu"));
    assertTrue(a.hint().contains("did you mean 'relu'"), a.hint());
  }

  @Test
  void modelSpecDescribesTheGraph() throws Exception {
    LayerNames.reset();
    SymbolicTensor in = Input.of(4);
    SymbolicTensor h = new Dense(4).apply(in);
    SymbolicTensor out = new Add().apply(List.of(in, h)).get(0);
    Model m = new Model(in, out);
    String json = LayerRegistry.JSON.writeValueAsString(m.config());
    assertTrue(json.contains("\"inbound\""), json);
    assertTrue(json.contains("\"layer\" : \"dense\""), json);
  }
}
