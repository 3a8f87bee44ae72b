package dln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.call.Builtin;
import dln.runtime.nn.Layer;
import dln.runtime.nn.LayerArgs;
import dln.runtime.nn.LayerNames;
import dln.runtime.nn.layers.LayerRegistry;
import dln.runtime.nn.LayerSpec;
import dln.runtime.nn.Param;
import dln.runtime.nn.layers.Dense;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every registered layer type is a function of the language with help, keyword completion, a
 * type name and a JSON round trip, all made from its {@link LayerSpec}; a layer type defined in
 * one place (here, in this test) gets all of them.
 */
public class LayerBuiltinsTest {
  @BeforeEach
  void names() {
    LayerNames.reset();
  }

  private static Dln dln() {
    return Dln.builder().out(new PrintWriter(new StringWriter())).err(new PrintWriter(new StringWriter())).build();
  }

  /** The first call of the layer in its doc's example line: "Dense(64, activation='relu')". */
  private static String exampleCall(LayerSpec<?> spec) {
    String example = spec.doc().substring(spec.doc().indexOf("Example:"));
    int start = example.indexOf(spec.type() + "(");
    assertTrue(start >= 0, spec.type() + "'s example does not call it: " + example);
    int depth = 0;
    for (int i = start + spec.type().length(); i < example.length(); i++) {
      char c = example.charAt(i);
      if (c == '(') depth++;
      if (c == ')' && --depth == 0) return example.substring(start, i + 1);
    }
    throw new AssertionError("unbalanced example of " + spec.type() + ": " + example);
  }

  @Test
  void everyRegisteredLayerIsAFunctionWithHelpATypeNameAndAJsonRoundTrip() {
    Dln dln = dln();
    Catalog catalog = new Catalog(dln.interpreter());
    List<String> callable = new ArrayList<>();
    for (LayerSpec<?> spec : LayerRegistry.specs()) {
      if (!spec.callable()) continue;
      String type = spec.type();
      callable.add(type);
      Object fn = dln.get(type);
      Builtin b = assertInstanceOf(Builtin.class, fn, type + " is a builtin");
      String help = Help.text(catalog, type);
      assertTrue(help.startsWith(b.signature() + "\n  " + spec.doc().lines().findFirst().orElseThrow()), help);
      assertTrue(help.contains("Example: "), help);
      List<String> keywords = Catalog.keywordNames(fn);
      for (LayerSpec.Arg arg : spec.args()) assertTrue(keywords.contains(arg.name()), type + " completes " + arg.name());
      assertTrue(keywords.containsAll(List.of("name", "input_shape", "trainable")), type + " completes the common arguments");

      // A Lambda's function is code, not config: its JSON cannot give it back (reading it is refused).
      boolean code = type.equals("Lambda");
      dln.eval("layer = " + exampleCall(spec) + "\nkind = type(layer).__name__\ntext = layer.to_json()\n"
          + (code ? "" : "again = layer_from_json(text).to_json()"), "test.dln");
      Layer layer = assertInstanceOf(Layer.class, dln.get("layer"));
      assertEquals(spec.layerClass(), layer.getClass());
      assertEquals(type, dln.get("kind"), "type() of a " + type);
      if (!code) assertEquals(dln.get("text"), dln.get("again"), type + " round-trips through JSON");
    }
    assertEquals(LayerRegistry.specs().size() - 1, callable.size(), "every layer but InputLayer is callable");
  }

  /** A layer invented here: multiplies by a factor. Defining it is all it takes to use it from DLN. */
  public static final class TestScale extends Layer {
    public record Config(double factor, @Param(dflt = "true") boolean clip, @Param(aliases = "what") String label) {}

    public static final LayerSpec<Config> SPEC = LayerSpec.of(TestScale.class, Config.class, TestScale::new,
        "Multiplies by a factor (a layer defined only in a test).\nExample: TestScale(2.5)")
        .extraArg("note")
        .afterCreate((LayerArgs a, Layer l) -> {
          if (a.has("note")) l.withInputShape(a.intValue("note"));
        });

    private final Config config;

    TestScale(Config config, String name) {
      super(name);
      this.config = config;
    }

    @Override
    public Config config() {
      return config;
    }

    @Override
    protected long[] outputShape(List<long[]> in) {
      return in.get(0);
    }

    @Override
    protected org.nd4j.autodiff.samediff.SDVariable forward(dln.runtime.nn.GraphContext ctx,
        List<org.nd4j.autodiff.samediff.SDVariable> inputs, List<long[]> shapes) {
      return inputs.get(0).mul(config.factor());
    }
  }

  @Test
  void aLayerDefinedInOnePlaceBecomesAFunctionWithHelpAndRoundTrips() {
    LayerRegistry.register(TestScale.SPEC);
    try {
      Dln dln = dln();
      Catalog catalog = new Catalog(dln.interpreter());
      String help = Help.text(catalog, "TestScale");
      assertTrue(help.startsWith("TestScale(factor, clip?, label|what?, note?, name?, input_shape?, trainable?)\n"
          + "  Multiplies by a factor (a layer defined only in a test)."), help);
      assertTrue(help.contains("Example: TestScale(2.5)"), help);

      dln.eval("""
          s = TestScale(2.5, what=relu, note=3, name='times')
          kind = type(s).__name__
          twin = layer_from_json(s.to_json())
          out = Sequential([Input(3), TestScale(2.0)]).predict(ones(1, 3))
          """, "test.dln");
      TestScale s = assertInstanceOf(TestScale.class, dln.get("s"));
      assertEquals(new TestScale.Config(2.5, true, "relu"), s.config(), "defaults, alias and a function given as a name");
      assertEquals("times", s.name());
      assertEquals(3, s.declaredInputShape()[0], "the afterCreate hook read the extra argument");
      assertEquals("TestScale", dln.get("kind"));
      assertEquals(s.config(), assertInstanceOf(TestScale.class, dln.get("twin")).config());
      assertEquals(2.0, ((org.nd4j.linalg.api.ndarray.INDArray) dln.get("out")).getDouble(0, 1), 1e-6);
    } finally {
      LayerRegistry.unregister("TestScale");
    }
  }

  @Test
  void theTerseAndKerasFormsOfTheQuirkyLayersKeepTheirMeaning() {
    Dln dln = dln();
    dln.eval("""
        a = Conv2D(32, 3, relu)
        b = Conv2D(8, 5, 'same', tanh)
        c = Conv2D(8, (3, 1), stride 2, padding='same')
        d = MaxPooling2D(3, stride=1)
        e = Dense(4, kernel_regularizer='l1_l2', input_dim=7)
        f = Embedding(100, 8, input_length=12)
        g = ReLU()
        h = ReLU(max_value=6, negative_slope=0.1, threshold=0.5)
        """, "test.dln");
    var a = ((dln.runtime.nn.layers.Conv2D) dln.get("a")).config();
    assertEquals("relu", a.activation());
    assertEquals("valid", a.padding());
    var b = ((dln.runtime.nn.layers.Conv2D) dln.get("b")).config();
    assertEquals("same", b.padding());
    assertEquals("tanh", b.activation());
    var c = ((dln.runtime.nn.layers.Conv2D) dln.get("c")).config();
    assertEquals(List.of(2, 2), List.of(c.strides()[0], c.strides()[1]));
    assertEquals(List.of(3, 1), List.of(c.kernelSize()[0], c.kernelSize()[1]));
    var d = ((dln.runtime.nn.layers.MaxPooling2D) dln.get("d")).config();
    assertEquals(List.of(3, 3, 1, 1, "valid"), List.of(d.poolSize()[0], d.poolSize()[1], d.strides()[0], d.strides()[1], d.padding()));
    Dense e = (Dense) dln.get("e");
    assertEquals(new dln.runtime.nn.Regularizer(0.01, 0.01), e.config().kernelRegularizer());
    assertEquals(7, e.declaredInputShape()[0]);
    Layer f = (Layer) dln.get("f");
    assertEquals(List.of(12L), List.of(f.declaredInputShape()[0]), "input_length, not input_dim, is an Embedding's input shape");
    assertEquals(null, ((dln.runtime.nn.layers.ReLU) dln.get("g")).config().maxValue());
    assertEquals(new dln.runtime.nn.layers.ReLU.Config(6.0, 0.1, 0.5), ((dln.runtime.nn.layers.ReLU) dln.get("h")).config());
  }

  @Test
  void layerArgumentErrorsSayWhatIsAccepted() {
    Dln dln = dln();
    assertEquals("value error: kernel_regularizer must be l1(...), l2(...) or l1_l2(...), got 'l3'",
        failure(dln, "Dense(4, kernel_regularizer='L3')"));
    assertEquals("value error: BatchNormalization supports axis=-1 (channels last) only, got 1",
        failure(dln, "BatchNormalization(axis=1)"));
  }

  private static String failure(Dln dln, String code) {
    try {
      dln.eval(code, "test.dln");
    } catch (dln.interp.DlnException e) {
      return e.kind() + ": " + e.getMessage();
    }
    throw new AssertionError(code + " did not fail");
  }
}
