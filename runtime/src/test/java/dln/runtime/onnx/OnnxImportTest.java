package dln.runtime.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import dln.runtime.io.ModelFiles;
import dln.runtime.nn.LayerNames;
import dln.runtime.nn.Model;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Dense;
import dln.runtime.train.session.TrainingSession;
import dln.runtime.transfer.Freezing;
import dln.runtime.train.Adam;
import dln.runtime.train.FitOptions;
import dln.runtime.train.Loss;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Imports the PyTorch fixtures in $DLN_DATA/onnx and reproduces PyTorch's outputs. */
class OnnxImportTest {
  @TempDir Path dir;

  static Path fixture(String file) {
    return dln.runtime.SharedData.require("onnx/" + file);
  }

  static INDArray floats(String file, long... shape) throws Exception {
    ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(fixture(file))).order(ByteOrder.LITTLE_ENDIAN);
    float[] v = new float[bb.remaining() / 4];
    bb.asFloatBuffer().get(v);
    return Nd4j.create(v, shape, 'c');
  }

  @BeforeEach
  void names() {
    LayerNames.reset();
  }

  static double maxAbs(INDArray a, INDArray b) {
    return Transforms.maxAbsDiff(a, b);
  }

  /** Tiny helper namespace to keep the assertions readable. */
  static final class Transforms {
    static double maxAbsDiff(INDArray a, INDArray b) {
      assertArrayEquals(b.shape(), a.shape());
      return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
  }

  @Test
  void mlpReproducesPytorch() throws Exception {
    Model m = OnnxImporter.importFile(fixture("mlp.onnx"));
    INDArray x = floats("mlp.input.bin", 2, 784);
    INDArray expected = floats("mlp.output.bin", 2, 10);
    double err = maxAbs(TrainingSession.of(m).predict(x), expected);
    System.out.println("mlp.onnx max abs error " + err);
    assertTrue(err < 1e-4, "max abs error " + err);
    assertEquals(784 * 64 + 64 + 64 * 10 + 10, m.countParams());
  }

  @Test
  void tinyCnnReproducesPytorch() throws Exception {
    Model m = OnnxImporter.importFile(fixture("tiny_cnn.onnx"));
    INDArray nchw = floats("tiny_cnn.input.bin", 2, 1, 28, 28);
    INDArray expected = floats("tiny_cnn.output.bin", 2, 10);
    INDArray nhwc = nchw.permute(0, 2, 3, 1).dup('c');
    double err = maxAbs(TrainingSession.of(m).predict(nhwc), expected);
    System.out.println("tiny_cnn.onnx max abs error " + err);
    assertTrue(err < 1e-4, "max abs error " + err);
    // batch of one
    assertTrue(maxAbs(TrainingSession.of(m).predict(nhwc.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1))),
        expected.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1))) < 1e-4);
    String summary = m.summary();
    assertTrue(summary.contains("BatchNormalization"), summary);
    // conv 80 + bn 32 + conv 1168 + dense 25120 + dense 330
    assertEquals(80 + 32 + 1168 + 25120 + 330, m.countParams());
  }

  @Test
  void importedModelIsAnOrdinaryModel() throws Exception {
    Model base = OnnxImporter.importFile(fixture("tiny_cnn.onnx"));
    Freezing.freeze(base, null);
    // a new head on the 32-unit hidden layer (the first Gemm's ReLU)
    List<dln.runtime.nn.Layer> layers = base.layers();
    dln.runtime.nn.Layer hidden = layers.get(layers.size() - 3);
    assertEquals("ReLU", hidden.typeName(), base.summary());
    SymbolicTensor h = (SymbolicTensor) hidden.output();
    Model head = new Model(base.inputs().get(0), new Dense(3, "softmax").apply(h));
    List<INDArray> frozen = new ArrayList<>();
    for (var w : base.weightList()) frozen.add(w.value().dup());
    TrainingSession.of(head).compile(new Adam(0.01), Loss.byName("categorical_crossentropy"), List.of());
    INDArray x = Nd4j.rand(DataType.FLOAT, 8, 28, 28, 1);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 3);
    for (int i = 0; i < 8; i++) y.putScalar(i, i % 3, 1);
    TrainingSession.of(head).fit(x, y, new FitOptions().epochs(2).batchSize(4).progress(null));
    for (int i = 0; i < frozen.size(); i++) assertEquals(frozen.get(i), base.weightList().get(i).value());
    assertEquals(99, head.countTrainableParams());
    Path p = dir.resolve("head.dlnm");
    ModelFiles.save(head, p, true);
    assertEquals(TrainingSession.of(head).predict(x), TrainingSession.of(ModelFiles.load(p)).predict(x));
  }

  @Test
  void resnet18ReproducesPytorch() throws Exception {
    Model m = OnnxImporter.importFile(fixture("resnet18.onnx"));
    INDArray x = floats("resnet18.input.bin", 1, 3, 224, 224).permute(0, 2, 3, 1).dup('c');
    INDArray expected = floats("resnet18.output.bin", 1, 1000);
    INDArray got = TrainingSession.of(m).predict(x);
    double abs = maxAbs(got, expected);
    double rel = abs / expected.amaxNumber().doubleValue();
    System.out.println("resnet18.onnx max abs error " + abs + ", relative to max |output| " + rel);
    assertTrue(rel < 1e-3, "relative error " + rel);
    // torchvision's 11,689,512 less the 9,600 BatchNorm gammas and betas folded away by the export,
    // plus the 4,800 conv biases the folding created.
    assertEquals(11_689_512 - 9_600 + 4_800, m.countParams());
  }

  /**
   * The transfer-learning workload (bench/dln/transfer.dln): the imported ResNet-18 frozen, a new
   * head; it trains on the fast engine (no SameDiff fallback), and the base's weights and
   * BatchNormalization moving statistics stay bit-identical (inference mode, as Keras).
   */
  @Test
  void resnet18FrozenBaseFineTunesItsNewHeadOnTheFastEngine() throws Exception {
    Model base = OnnxImporter.importFile(fixture("resnet18.onnx"));
    Freezing.freeze(base, null);
    SymbolicTensor pooled = (SymbolicTensor) base.layers().get(base.layers().size() - 2).output();
    Model head = new Model(base.inputs().get(0), new Dense(5, "softmax").apply(pooled));
    TrainingSession.of(head).compile(new Adam(0.01), Loss.byName("categorical_crossentropy"), List.of());
    assertEquals(null, dln.runtime.train.fast.FastEngine.unsupportedReason(head, TrainingSession.of(head).compileConfig()));
    List<INDArray> frozen = new ArrayList<>();
    for (var w : base.weightList()) frozen.add(w.value().dup());
    INDArray headBefore = head.layers().get(head.layers().size() - 1).getWeights().get(0).dup();
    INDArray x = Nd4j.rand(DataType.FLOAT, 2, 224, 224, 3);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 5);
    y.putScalar(0, 1, 1);
    y.putScalar(1, 3, 1);
    TrainingSession.of(head).fit(x, y, new FitOptions().epochs(1).batchSize(2).progress(null));
    for (int i = 0; i < frozen.size(); i++) assertEquals(frozen.get(i), base.weightList().get(i).value(), base.weightList().get(i).name());
    assertTrue(!headBefore.equals(head.layers().get(head.layers().size() - 1).getWeights().get(0)), "the head trained");
  }

  @Test
  void unsupportedOperatorsAreListedInOneError() {
    byte[] bytes = OnnxTestModels.graphWithOps("Relu", "LSTM", "Gather", "LSTM");
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> OnnxImporter.importBytes(bytes, "'t.onnx'", "t"));
    assertEquals("cannot import 't.onnx': 2 unsupported ONNX operators: LSTM (2 nodes), Gather (1 node)", e.getMessage());
  }

  @Test
  void garbageIsNotAnOnnxModel() throws Exception {
    Path p = dir.resolve("x.onnx");
    Files.writeString(p, "definitely not protobuf \u00ff\u00ff\u00ff");
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> OnnxImporter.importFile(p));
    assertTrue(e.getMessage().startsWith("'" + p + "' is not a valid ONNX model"), e.getMessage());
    e = assertThrows(DlnRuntimeException.class, () -> OnnxImporter.importFile(dir.resolve("none.onnx")));
    assertEquals("ONNX file '" + dir.resolve("none.onnx") + "' does not exist", e.getMessage());
  }

  @Test
  void flattenOrderPermutation() {
    // kernel rows in (c, h, w) order for C=2, H=1, W=2: rows 0..3 = c0w0, c0w1, c1w0, c1w1
    INDArray k = Nd4j.create(new float[] {0, 1, 2, 3}, new long[] {4, 1}, 'c');
    INDArray hwc = OnnxImporter.chwRowsToHwc(k, new long[] {2, 1, 2});
    // DLN order (h, w, c): w0c0, w0c1, w1c0, w1c1 = rows 0, 2, 1, 3
    assertArrayEquals(new float[] {0, 2, 1, 3}, hwc.data().asFloat(), 0f);
  }
}
