package dln.runtime.train.fast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.nn.Input;
import dln.runtime.nn.InputLayer;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Model;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Activation;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.Average;
import dln.runtime.nn.layers.AveragePooling1D;
import dln.runtime.nn.layers.AveragePooling2D;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Bidirectional;
import dln.runtime.nn.layers.Concatenate;
import dln.runtime.nn.layers.Conv1D;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Conv2DTranspose;
import dln.runtime.nn.layers.Cropping2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.DepthwiseConv2D;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Embedding;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GRU;
import dln.runtime.nn.layers.GaussianNoise;
import dln.runtime.nn.layers.GlobalAveragePooling1D;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.GlobalMaxPooling1D;
import dln.runtime.nn.layers.GlobalMaxPooling2D;
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.Lambda;
import dln.runtime.nn.layers.LayerNormalization;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.layers.MaxPooling1D;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.Maximum;
import dln.runtime.nn.layers.MultiHeadAttention;
import dln.runtime.nn.layers.Multiply;
import dln.runtime.nn.layers.Permute;
import dln.runtime.nn.layers.LeakyReLU;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.nn.layers.RepeatVector;
import dln.runtime.nn.layers.Reshape;
import dln.runtime.nn.layers.SeparableConv2D;
import dln.runtime.nn.layers.SimpleRNN;
import dln.runtime.nn.layers.Softmax;
import dln.runtime.nn.layers.SpatialDropout2D;
import dln.runtime.nn.layers.Subtract;
import dln.runtime.nn.layers.TimeDistributed;
import dln.runtime.nn.layers.UpSampling2D;
import dln.runtime.nn.layers.ZeroPadding2D;
import dln.runtime.nn.GraphFunction;
import dln.runtime.train.Adam;
import dln.runtime.train.CompileConfig;
import dln.runtime.train.Loss;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Every layer type in {@link LayerRegistry} runs on the fast engine: a small model per type (the
 * layer between an input of a shape it takes and a Dense head) compiles to a fast plan. A layer
 * type added to the registry without a case here fails the test, so each new layer says how the
 * fast engine runs it. There is no exception: every layer has a fast step (Lambda's traces its
 * function through a SameDiff graph of its own).
 */
class EveryLayerOnFastEngineTest {
  /** Image (8, 8, 3), sequence (6, 4), features (5,), tokens (5,) inputs. */
  private enum In { IMAGE, SEQUENCE, FEATURES, TOKENS }

  private record Case(In input, int inputs, Function<List<SymbolicTensor>, SymbolicTensor> apply) {}

  private static Case one(In input, Layer layer) {
    return new Case(input, 1, xs -> layer.apply(xs.get(0)));
  }

  private static Case merge(Layer layer) {
    return new Case(In.SEQUENCE, 2, xs -> layer.apply(xs).get(0));
  }

  private static final GraphFunction DOUBLE = new GraphFunction() {
    @Override
    public SDVariable apply(SDVariable input) {
      return input.mul(2).add(input.getSameDiff().math.tanh(input));
    }

    @Override
    public String describe() {
      return "2x + tanh(x)";
    }
  };

  private static Map<String, Case> cases() {
    Map<String, Case> c = new LinkedHashMap<>();
    c.put("Dense", one(In.FEATURES, new Dense(3, "relu")));
    c.put("Conv2D", one(In.IMAGE, new Conv2D(2, 3, "relu")));
    c.put("MaxPooling2D", one(In.IMAGE, new MaxPooling2D(2)));
    c.put("AveragePooling2D", one(In.IMAGE, new AveragePooling2D(2)));
    c.put("GlobalAveragePooling2D", one(In.IMAGE, new GlobalAveragePooling2D()));
    c.put("GlobalMaxPooling2D", one(In.IMAGE, new GlobalMaxPooling2D()));
    c.put("Flatten", one(In.IMAGE, new Flatten()));
    c.put("Reshape", one(In.SEQUENCE, new Reshape(4, 6)));
    c.put("Dropout", one(In.FEATURES, new Dropout(0.3)));
    c.put("BatchNormalization", one(In.IMAGE, new BatchNormalization()));
    c.put("Activation", one(In.FEATURES, new Activation("tanh")));
    c.put("Softmax", one(In.FEATURES, new Softmax()));
    c.put("ReLU", one(In.FEATURES, new ReLU()));
    c.put("LeakyReLU", one(In.FEATURES, new LeakyReLU(new LeakyReLU.Config(0.3), null)));
    c.put("Add", merge(new Add()));
    c.put("Concatenate", merge(new Concatenate()));
    c.put("Embedding", one(In.TOKENS, new Embedding(10, 4)));
    c.put("LSTM", one(In.SEQUENCE, new LSTM(3, true)));
    // The mask it makes is read by the LSTM (a Flatten in the head would refuse it).
    c.put("Masking", new Case(In.SEQUENCE, 1, xs -> new LSTM(3, false).apply(new dln.runtime.nn.layers.Masking(0.0).apply(xs.get(0)))));
    c.put("ZeroPadding2D", one(In.IMAGE, new ZeroPadding2D(1, 1, 2, 2)));
    c.put("RepeatVector", one(In.FEATURES, new RepeatVector(3)));
    c.put("Multiply", merge(new Multiply()));
    c.put("Subtract", merge(new Subtract()));
    c.put("Average", merge(new Average()));
    c.put("Maximum", merge(new Maximum()));
    c.put("Permute", one(In.SEQUENCE, new Permute(2, 1)));
    c.put("Cropping2D", one(In.IMAGE, new Cropping2D(1, 1, 2, 0)));
    c.put("UpSampling2D", one(In.IMAGE, new UpSampling2D(2, 2)));
    c.put("GaussianNoise", one(In.FEATURES, new GaussianNoise(0.1)));
    c.put("SpatialDropout2D", one(In.IMAGE, new SpatialDropout2D(0.2)));
    c.put("Conv1D", one(In.SEQUENCE, new Conv1D(3, 2, "relu")));
    c.put("MaxPooling1D", one(In.SEQUENCE, new MaxPooling1D(2)));
    c.put("AveragePooling1D", one(In.SEQUENCE, new AveragePooling1D(2)));
    c.put("GlobalAveragePooling1D", one(In.SEQUENCE, new GlobalAveragePooling1D()));
    c.put("GlobalMaxPooling1D", one(In.SEQUENCE, new GlobalMaxPooling1D()));
    c.put("SimpleRNN", one(In.SEQUENCE, new SimpleRNN(3, false)));
    c.put("GRU", one(In.SEQUENCE, new GRU(3, true)));
    c.put("LayerNormalization", one(In.SEQUENCE, new LayerNormalization()));
    c.put("DepthwiseConv2D", one(In.IMAGE, new DepthwiseConv2D(3, "same", "relu")));
    c.put("SeparableConv2D", one(In.IMAGE, new SeparableConv2D(4, 3, "valid", "relu")));
    c.put("Conv2DTranspose", one(In.IMAGE, new Conv2DTranspose(2, 3, 2, "same", "linear")));
    c.put("Bidirectional", one(In.SEQUENCE, new Bidirectional(new GRU(3, false))));
    c.put("TimeDistributed", one(In.SEQUENCE, new TimeDistributed(new Dense(2))));
    c.put("MultiHeadAttention", merge(new MultiHeadAttention(2, 3)));
    c.put("Lambda", one(In.SEQUENCE, new Lambda(DOUBLE)));
    return c;
  }

  private static SymbolicTensor input(In kind) {
    return switch (kind) {
      case IMAGE -> Input.of(8, 8, 3);
      case SEQUENCE -> Input.of(6, 4);
      case FEATURES, TOKENS -> Input.of(5);
    };
  }

  @Test
  void everyRegisteredLayerHasACaseAndRunsOnTheFastEngine() {
    Map<String, Case> cases = cases();
    List<String> refused = new ArrayList<>();
    TreeSet<String> missing = new TreeSet<>();
    for (LayerSpec<?> spec : LayerRegistry.specs()) {
      if (spec.layerClass() == InputLayer.class) continue;
      Case k = cases.get(spec.type());
      if (k == null) {
        missing.add(spec.type());
        continue;
      }
      List<SymbolicTensor> ins = new ArrayList<>();
      for (int i = 0; i < k.inputs(); i++) ins.add(input(k.input()));
      SymbolicTensor out = k.apply().apply(ins);
      if (out.shape().length > 2) out = new Flatten().apply(out);
      Model m = new Model(ins, List.of(new Dense(1).apply(out)));
      CompileConfig c = new CompileConfig(new Adam(0.01), List.of(Loss.byName("mean_squared_error")), List.of());
      String why = FastEngine.unsupportedReason(m, c);
      if (why != null) refused.add(spec.type() + ": " + why);
    }
    assertTrue(missing.isEmpty(), "layer types without a case in this test: " + missing);
    assertEquals(List.of(), refused);
    assertEquals(LayerRegistry.types().size() - 1, cases.size(), "cases for types no longer registered");
  }

  /**
   * Every layer type as the model's output itself, under a loss (mean squared error on whatever
   * shape it gives): the fast engine takes the loss's gradient straight into the layer's step.
   */
  @Test
  void everyRegisteredLayerRunsAsTheOutputUnderALoss() {
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, Case> e : cases().entrySet()) {
      Case k = e.getValue();
      List<SymbolicTensor> ins = new ArrayList<>();
      for (int i = 0; i < k.inputs(); i++) ins.add(input(k.input()));
      Model m = new Model(ins, List.of(k.apply().apply(ins)));
      CompileConfig c = new CompileConfig(new Adam(0.01), List.of(Loss.byName("mean_squared_error")), List.of());
      String why = FastEngine.unsupportedReason(m, c);
      if (why != null) refused.add(e.getKey() + ": " + why);
    }
    assertEquals(List.of(), refused);
  }

  /** Every activation name on a Dense output, under every loss (each head reads the activation's output). */
  @Test
  void everyActivationUnderEveryLoss() {
    List<String> refused = new ArrayList<>();
    for (String act : dln.runtime.nn.Activations.NAMES) {
      for (String loss : Loss.NAMES) {
        SymbolicTensor in = Input.of(5);
        Model m = new Model(List.of(in), List.of(new Dense(3, act).apply(in)));
        CompileConfig c = new CompileConfig(new Adam(0.01), List.of(Loss.byName(loss)), List.of());
        String why = FastEngine.unsupportedReason(m, c);
        if (why != null) refused.add(act + " / " + loss + ": " + why);
      }
    }
    assertEquals(List.of(), refused);
  }

  @Test
  void aLambdaInAModelIsHeldToTheReference() {
    dln.runtime.Rng.seed(51);
    var x = FastEngineTest.data(12, 6, 4);
    var y = FastEngineTest.data(12, 1);
    var p = FastEngineTest.pair(() -> {
      SymbolicTensor in = Input.of(6, 4);
      SymbolicTensor h = new Lambda(DOUBLE).apply(new Dense(5, "relu").apply(in));
      return new Model(List.of(in), List.of(new Dense(1).apply(new Flatten().apply(h))));
    }, () -> new Adam(0.01), "mean_squared_error");
    FastEngineTest.trainBoth(p, x, y, 4, 6);
    assertNull(FastEngine.unsupportedReason(p.fast(), dln.runtime.train.session.TrainingSession.of(p.fast()).compileConfig()));
  }
}
