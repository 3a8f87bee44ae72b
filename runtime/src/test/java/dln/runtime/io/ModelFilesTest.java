package dln.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Input;
import dln.runtime.nn.LayerNames;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.Weight;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.train.Adam;
import dln.runtime.train.FitOptions;
import dln.runtime.train.Loss;
import dln.runtime.train.ModelCheckpoint;
import dln.runtime.train.SGD;
import dln.runtime.train.session.TrainingSession;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Model files: round trips (bit-identical predictions, continued training) and every kind of bad file. */
class ModelFilesTest {
  @TempDir Path dir;
  private INDArray x;
  private INDArray y;

  @BeforeEach
  void data() {
    Nd4j.getRandom().setSeed(3);
    LayerNames.reset();
    x = Nd4j.randn(DataType.FLOAT, 32, 6);
    y = Nd4j.zeros(DataType.FLOAT, 32, 3);
    for (int i = 0; i < 32; i++) y.putScalar(i, i % 3, 1);
  }

  private static Model functional() {
    SymbolicTensor in = Input.of(6);
    SymbolicTensor a = new Dense(8, "relu").apply(in);
    SymbolicTensor b = new Dense(8, "tanh").apply(in);
    SymbolicTensor s = new Add().apply(List.of(a, b)).get(0);
    SymbolicTensor n = new BatchNormalization().apply(s);
    return new Model(in, new Dense(3, "softmax").apply(n));
  }

  private Model trained() {
    Model m = functional();
    TrainingSession.of(m).compile(new Adam(0.01), Loss.byName("categorical_crossentropy"), List.of("accuracy"));
    TrainingSession.of(m).fit(x, y, new FitOptions().epochs(2).batchSize(8).shuffle(false).progress(null));
    return m;
  }

  private static void assertSameValues(INDArray a, INDArray b) {
    assertArrayEquals(a.shape(), b.shape());
    assertArrayEquals(a.dup('c').data().asFloat(), b.dup('c').data().asFloat(), 0f);
  }

  @Test
  void roundTripPredictsBitIdentically() {
    Model m = trained();
    Model back = savedAndLoaded(m, true);
    assertEquals(m.summary(), back.summary());
    assertSameValues(TrainingSession.of(m).predict(x), TrainingSession.of(back).predict(x));
    assertEquals("Adam", TrainingSession.of(back).compileConfig().optimizer().name());
    assertEquals(0.01, TrainingSession.of(back).compileConfig().optimizer().learningRate(), 0);
    assertEquals(List.of("accuracy"), TrainingSession.of(back).compileConfig().metrics());
    assertEquals(2, TrainingSession.of(back).history().epochs().size());
    assertEquals(TrainingSession.of(m).history().history().get("loss"), TrainingSession.of(back).history().history().get("loss"));
    // No temporary file is left behind.
    assertEquals(List.of(dir.resolve("m.dlnm")), listing());
  }

  /** The model saved to m.dlnm (with or without its optimizer state) and loaded back. */
  private Model savedAndLoaded(Model m, boolean withOptimizer) {
    Path p = dir.resolve("m.dlnm");
    ModelFiles.save(m, p, withOptimizer);
    return ModelFiles.load(p);
  }

  private List<Path> listing() {
    try (var s = Files.list(dir)) {
      return s.toList();
    } catch (java.io.IOException e) {
      throw new RuntimeException(e);
    }
  }

  @Test
  void loadedModelContinuesTrainingExactlyLikeTheOriginal() {
    Model m = trained();
    Model back = savedAndLoaded(m, true);
    assertEquals(TrainingSession.of(m).compileConfig().optimizer().iterations(), TrainingSession.of(back).compileConfig().optimizer().iterations());
    FitOptions one = new FitOptions().epochs(1).batchSize(8).shuffle(false).progress(null);
    TrainingSession.of(m).fit(x, y, one);
    TrainingSession.of(back).fit(x, y, new FitOptions().epochs(1).batchSize(8).shuffle(false).progress(null));
    List<Weight> a = m.weightList();
    List<Weight> b = back.weightList();
    for (int i = 0; i < a.size(); i++) assertSameValues(a.get(i).value(), b.get(i).value());
  }

  @Test
  void withoutOptimizerStateTrainingRestartsTheMoments() {
    Model m = trained();
    Model back = savedAndLoaded(m, false);
    assertEquals(0, TrainingSession.of(back).compileConfig().optimizer().iterations());
    TrainingSession.of(m).fit(x, y, new FitOptions().epochs(1).batchSize(8).shuffle(false).progress(null));
    TrainingSession.of(back).fit(x, y, new FitOptions().epochs(1).batchSize(8).shuffle(false).progress(null));
    assertNotEquals(m.weightList().get(0).value(), back.weightList().get(0).value());
  }

  @Test
  void sgdMomentumStateIsRestored() {
    Model m = new Sequential(List.of(Input.of(6), new Dense(4, "relu"), new Dense(3, "softmax")));
    TrainingSession.of(m).compile(new SGD(0.1, 0.9, false), Loss.byName("categorical_crossentropy"), List.of());
    TrainingSession.of(m).fit(x, y, new FitOptions().epochs(1).batchSize(8).shuffle(false).progress(null));
    Path p = dir.resolve("s.dlnm");
    ModelFiles.save(m, p, true);
    Model back = ModelFiles.load(p);
    assertTrue(back instanceof Sequential);
    TrainingSession.of(m).fit(x, y, new FitOptions().epochs(1).batchSize(8).shuffle(false).progress(null));
    TrainingSession.of(back).fit(x, y, new FitOptions().epochs(1).batchSize(8).shuffle(false).progress(null));
    for (int i = 0; i < m.weightList().size(); i++) {
      assertSameValues(m.weightList().get(i).value(), back.weightList().get(i).value());
    }
  }

  @Test
  void convModelAndFrozenFlagsSurvive() {
    Model m = new Sequential(List.of(Input.of(8, 8, 1), new Conv2D(4, 3, "relu"), new Flatten(), new Dense(3, "softmax")));
    m.layers().get(0).setTrainable(false);
    Path p = dir.resolve("c.dlnm");
    ModelFiles.save(m, p, true);
    Model back = ModelFiles.load(p);
    INDArray img = Nd4j.rand(DataType.FLOAT, 2, 8, 8, 1);
    assertSameValues(TrainingSession.of(m).predict(img), TrainingSession.of(back).predict(img));
    assertEquals(false, back.layers().get(0).isTrainable());
    assertEquals(m.countTrainableParams(), back.countTrainableParams());
  }

  @Test
  void jsonArchitectureRoundTrip() {
    Model m = functional();
    String json = ModelJson.toJson(m);
    assertTrue(json.contains("\"format\" : \"dln-architecture\""), json);
    Model back = ModelJson.fromJson(json);
    assertEquals(m.summary(), back.summary());
    assertEquals(json, ModelJson.toJson(back));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> ModelJson.fromJson("{\"a\": 1}"));
    assertTrue(e.getMessage().startsWith("not a DLN model description"), e.getMessage());
  }

  /** Outputs named by keys (a front end's dict of outputs): the keys, not the layers' names, name the logs; files keep them. */
  @Test
  void keyedOutputsNameTheLogsAndSurviveSaving() {
    SymbolicTensor in = Input.of(6);
    SymbolicTensor h = new Dense(4, "relu").apply(in);
    Model m = new Model(List.of(in), List.of(new Dense(3, "softmax").apply(h), new Dense(1).apply(h)), null,
        List.of("features"), List.of("digit", "odd"));
    assertEquals(List.of("digit", "odd"), m.outputNames());
    assertEquals(List.of("features"), m.inputNames());
    assertTrue(m.outputsKeyed() && m.inputsKeyed());
    TrainingSession.of(m).compile(new dln.runtime.train.CompileConfig(new Adam(0.01),
        List.of(Loss.byName("categorical_crossentropy"), Loss.byName("mse")), List.of("mae")));
    INDArray odd = Nd4j.randn(DataType.FLOAT, 32, 1);
    Map<String, Double> logs = TrainingSession.of(m).evaluateByName(List.of(x), List.of(y, odd), 8);
    assertEquals(List.of("loss", "digit_loss", "odd_loss", "digit_mae", "odd_mae"), new ArrayList<>(logs.keySet()));
    Path p = dir.resolve("keyed.dlnm");
    ModelFiles.save(m, p, true);
    Model back = ModelFiles.load(p);
    assertEquals(List.of("digit", "odd"), back.outputNames());
    assertEquals(List.of("features"), back.inputNames());
    assertEquals(logs, TrainingSession.of(back).evaluateByName(List.of(x), List.of(y, odd), 8));
    // A model given in order carries no keys: its JSON has none and its outputs keep their layers' names.
    Model plain = functional();
    assertTrue(!plain.outputsKeyed() && !ModelJson.toJson(plain).contains("output_keys"));
    assertEquals(List.of(plain.outputs().get(0).layer().name()), plain.outputNames());
    DlnRuntimeException twice = assertThrows(DlnRuntimeException.class,
        () -> new Model(List.of(in), List.of(h, h), null, null, List.of("a", "a")));
    assertTrue(twice.getMessage().contains("same name"), twice.getMessage());
    assertThrows(DlnRuntimeException.class, () -> new Model(List.of(in), List.of(h), null, null, List.of("a", "b")));
  }

  @Test
  void nestedModelsRoundTrip() {
    Model inner = functional();
    SymbolicTensor in = Input.of(6);
    SymbolicTensor out = new Dense(2, "softmax").apply(inner.apply(in));
    Model outer = new Model(in, out);
    Path p = dir.resolve("n.dlnm");
    ModelFiles.save(outer, p, false);
    Model back = ModelFiles.load(p);
    assertSameValues(TrainingSession.of(outer).predict(x), TrainingSession.of(back).predict(x));
  }

  @Test
  void weightsOnlyFiles() {
    Model m = trained();
    Path p = dir.resolve("w.dlnw");
    ModelFiles.saveWeights(m, p);
    Model fresh = ModelJson.fromJson(ModelJson.toJson(m));
    assertNotEquals(TrainingSession.of(m).predict(x), TrainingSession.of(fresh).predict(x));
    ModelFiles.loadWeights(fresh, p);
    assertSameValues(TrainingSession.of(m).predict(x), TrainingSession.of(fresh).predict(x));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> ModelFiles.load(p));
    assertTrue(e.getMessage().endsWith("is a DLN weights file (from save_weights), not a whole model"), e.getMessage());
    Model other = new Sequential(List.of(Input.of(6), new Dense(3)));
    e = assertThrows(DlnRuntimeException.class, () -> ModelFiles.loadWeights(other, p));
    assertTrue(e.getMessage().contains("holds 10 weight arrays"), e.getMessage());
  }

  @Test
  void checkpointUsesTheSameFormat() {
    Model m = functional();
    TrainingSession.of(m).compile(new Adam(0.01), Loss.byName("categorical_crossentropy"), List.of());
    String template = dir.resolve("ckpt-{epoch:02d}.dlnm").toString();
    TrainingSession.of(m).fit(x, y, new FitOptions().epochs(2).batchSize(8).shuffle(false).progress(null)
        .callback(new ModelCheckpoint(template, "loss", false, "auto", ModelFiles.saver())));
    Model back = ModelFiles.load(dir.resolve("ckpt-02.dlnm"));
    assertSameValues(TrainingSession.of(m).predict(x), TrainingSession.of(back).predict(x));
    assertTrue(Files.exists(dir.resolve("ckpt-01.dlnm")));
  }

  // ---------------------------------------------------------------- bad files

  private Path saved() {
    Path p = dir.resolve("good.dlnm");
    ModelFiles.save(trained(), p, true);
    return p;
  }

  private static String loadError(Path p) {
    return assertThrows(DlnRuntimeException.class, () -> ModelFiles.load(p)).getMessage();
  }

  @Test
  void missingFile() {
    assertEquals("model file '" + dir.resolve("nope.dlnm") + "' does not exist", loadError(dir.resolve("nope.dlnm")));
  }

  @Test
  void truncatedFile() throws Exception {
    Path p = saved();
    byte[] b = Files.readAllBytes(p);
    Path t = dir.resolve("t.dlnm");
    Files.write(t, java.util.Arrays.copyOf(b, b.length / 2));
    assertTrue(loadError(t).startsWith("'" + t + "' is truncated or damaged: its zip structure cannot be read"), loadError(t));
    Files.write(t, new byte[0]);
    assertEquals("'" + t + "' is empty: it is truncated, not a DLN model file", loadError(t));
  }

  @Test
  void bitFlippedFile() throws Exception {
    Path p = saved();
    byte[] b = Files.readAllBytes(p);
    // Flip one bit inside the stored weights (find the blob's magic and go past the header).
    int at = CraftedFiles.indexOf(b, "DLNT".getBytes()) + 200;
    b[at] ^= 0x10;
    Path f = dir.resolve("f.dlnm");
    Files.write(f, b);
    assertEquals("'" + f + "' is corrupted: the SHA-256 checksum of weights.bin does not match", loadError(f));
  }

  @Test
  void foreignFiles() throws Exception {
    Path text = dir.resolve("notes.dlnm");
    Files.writeString(text, "hello, this is not a model");
    assertEquals("'" + text + "' is not a DLN model file: it is not a zip archive", loadError(text));
    Path zip = dir.resolve("other.zip");
    CraftedFiles.writeZip(zip, Map.of("readme.txt", "hi".getBytes()));
    assertEquals("'" + zip + "' is not a DLN model file: the zip archive has no checksums.json", loadError(zip));
  }

  @Test
  void newerFormatVersion() throws Exception {
    Path p = rewrite(saved(), "checksums.json", s -> s.replace("\"format_version\" : 1", "\"format_version\" : 2"));
    assertEquals("'" + p + "' was written by a newer DLN (model format version 2; this DLN reads versions up to 1)", loadError(p));
  }

  @Test
  void pathTraversalEntry() throws Exception {
    Path p = dir.resolve("evil.dlnm");
    CraftedFiles.writeZip(p, Map.of("../../x", "boom".getBytes()));
    assertEquals("'" + p + "' is rejected: entry name '../../x' is an unsafe path (path traversal)", loadError(p));
  }

  @Test
  void tooManyEntries() throws Exception {
    Path p = dir.resolve("many.dlnm");
    Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 65; i++) entries.put("e" + i, new byte[0]);
    CraftedFiles.writeZip(p, entries);
    assertEquals("'" + p + "' is rejected: it has 65 entries (a DLN model file has at most 64)", loadError(p));
  }

  @Test
  void zipBomb() throws Exception {
    Path p = dir.resolve("bomb.dlnm");
    try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(p))) {
      z.putNextEntry(new ZipEntry("weights.bin"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) z.write(zeros);
      z.closeEntry();
    }
    String msg = loadError(p);
    assertTrue(msg.startsWith("'" + p + "' is rejected: entry weights.bin would unpack "), msg);
    assertTrue(msg.endsWith("a possible zip bomb"), msg);
  }

  @Test
  void extraAndMissingEntries() throws Exception {
    Path good = saved();
    Map<String, byte[]> entries = readZip(good);
    entries.put("extra.txt", "x".getBytes());
    Path extra = dir.resolve("extra.dlnm");
    CraftedFiles.writeZip(extra, entries);
    assertEquals("'" + extra + "' has an unexpected entry 'extra.txt'", loadError(extra));
    entries = readZip(good);
    entries.remove("weights.bin");
    Path missing = dir.resolve("missing.dlnm");
    CraftedFiles.writeZip(missing, entries);
    assertEquals("'" + missing + "' is incomplete: entry weights.bin is missing", loadError(missing));
  }

  // ---------------------------------------------------------------- helpers

  private Path rewrite(Path p, String entry, java.util.function.UnaryOperator<String> change) throws Exception {
    Map<String, byte[]> entries = readZip(p);
    entries.put(entry, change.apply(new String(entries.get(entry))).getBytes());
    Path out = dir.resolve("rewritten.dlnm");
    CraftedFiles.writeZip(out, entries);
    return out;
  }

  private static Map<String, byte[]> readZip(Path p) throws Exception {
    Map<String, byte[]> out = new java.util.LinkedHashMap<>();
    try (ZipFile z = new ZipFile(p.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) out.put(e.getName(), z.getInputStream(e).readAllBytes());
    }
    return out;
  }
}
