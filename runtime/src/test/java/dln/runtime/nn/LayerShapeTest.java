package dln.runtime.nn;

import dln.runtime.Shapes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dln.runtime.nn.layers.LSTM;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.Pooling2D;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.nn.layers.Reshape;
import dln.runtime.nn.layers.Softmax;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Inferred output shapes agree with the shapes the forward pass really produces; parameter counts. */
class LayerShapeTest {
  @BeforeEach
  void seed() {
    Nd4j.getRandom().setSeed(7);
    dln.runtime.Rng.seed(7);
    LayerNames.reset();
  }

  /** Applies the layer symbolically, runs it eagerly on a batch of 3, and compares shapes. */
  private static long[] check(Layer layer, long... sampleShape) {
    SymbolicTensor in = Input.of(sampleShape);
    SymbolicTensor out = layer.apply(in);
    long[] batch = Shapes.withBatchSize(Shapes.withBatch(sampleShape), 3);
    INDArray x = Nd4j.rand(DataType.FLOAT, batch);
    INDArray y = layer.call(x);
    assertArrayEquals(Shapes.withBatchSize(out.shape(), 3), y.shape(), layer.describe());
    return out.shape();
  }

  @Test
  void everyLayerInfersTheShapeItProduces() {
    assertArrayEquals(new long[] {-1, 5}, check(new Dense(5), 4));
    assertArrayEquals(new long[] {-1, 6, 5}, check(new Dense(5, "relu"), 6, 4));
    assertArrayEquals(new long[] {-1, 6, 6, 8}, check(new Conv2D(8, 3, "relu"), 8, 8, 2));
    Conv2D strided = new Conv2D(new Conv2D.Config(4, new int[] {5}, new int[] {2, 2}, "same", null, true, null, null, null), null);
    assertArrayEquals(new long[] {-1, 4, 4, 4}, check(strided, 7, 7, 3));
    assertArrayEquals(new long[] {-1, 3, 3, 2}, check(new MaxPooling2D(2), 7, 7, 2));
    assertArrayEquals(new long[] {-1, 4, 4, 2},
        check(new AveragePooling2D(new Pooling2D.Config(new int[] {2}, null, "same"), null), 7, 7, 2));
    assertArrayEquals(new long[] {-1, 2}, check(new GlobalAveragePooling2D(), 5, 5, 2));
    assertArrayEquals(new long[] {-1, 2}, check(new GlobalMaxPooling2D(), 5, 5, 2));
    assertArrayEquals(new long[] {-1, 60}, check(new Flatten(), 3, 4, 5));
    assertArrayEquals(new long[] {-1, 4, 3, 1}, check(new Reshape(4, -1, 1), 12));
    assertArrayEquals(new long[] {-1, 7}, check(new Dropout(0.5), 7));
    assertArrayEquals(new long[] {-1, 4, 4, 3}, check(new BatchNormalization(), 4, 4, 3));
    assertArrayEquals(new long[] {-1, 3}, check(new Activation("tanh"), 3));
    assertArrayEquals(new long[] {-1, 3}, check(new Softmax(), 3));
    assertArrayEquals(new long[] {-1, 3}, check(new ReLU(), 3));
    assertArrayEquals(new long[] {-1, 4}, check(new LSTM(4, false), 5, 3));
    assertArrayEquals(new long[] {-1, 5, 4}, check(new LSTM(4, true), 5, 3));
  }

  @Test
  void embeddingLooksUpRows() {
    Embedding e = new Embedding(10, 3);
    SymbolicTensor out = e.apply(Input.of(4));
    assertArrayEquals(new long[] {-1, 4, 3}, out.shape());
    INDArray idx = Nd4j.createFromArray(new float[][] {{0, 1, 2, 9}, {9, 9, 0, 0}});
    INDArray y = e.call(idx);
    assertArrayEquals(new long[] {2, 4, 3}, y.shape());
    INDArray table = e.getWeights().get(0);
    assertEquals(table.getRow(9), y.get(org.nd4j.linalg.indexing.NDArrayIndex.point(1), org.nd4j.linalg.indexing.NDArrayIndex.point(0)));
  }

  @Test
  void mergingLayersCheckTheirInputs() {
    SymbolicTensor a = Input.of(4, 4, 3);
    SymbolicTensor b = Input.of(4, 4, 5);
    assertArrayEquals(new long[] {-1, 4, 4, 8}, new Concatenate().apply(List.of(a, b)).get(0).shape());
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> new Add().apply(List.of(a, b)));
    assertTrue(e.getMessage().contains("(None, 4, 4, 3)") && e.getMessage().contains("(None, 4, 4, 5)"), e.getMessage());
    assertThrows(DlnRuntimeException.class, () -> new Add().apply(List.of(a)));
  }

  @Test
  void denseOnImagesSuggestsFlatten() {
    SymbolicTensor img = Input.of(28, 28, 1);
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> new Dense(10).apply(img));
    assertEquals("shape error", e.kind());
    assertTrue(e.getMessage().contains("'dense'") && e.getMessage().contains("(None, 28, 28, 1)"), e.getMessage());
    assertTrue(e.hint().contains("Flatten()") && e.hint().contains("28 × 28 × 1 = 784"), e.hint());
  }

  @Test
  void convOnFlatInputSuggestsReshape() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> new Conv2D(8, 3, null).apply(Input.of(784)));
    assertTrue(e.hint().contains("Reshape((28, 28, 1))"), e.hint());
    DlnRuntimeException big = assertThrows(DlnRuntimeException.class, () -> new Conv2D(8, 5, null).apply(Input.of(3, 3, 1)));
    assertTrue(big.hint().contains("padding='same'"), big.hint());
  }

  @Test
  void reshapeExplainsTheArithmetic() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> new Reshape(5, 5, 1).apply(Input.of(784)));
    assertTrue(e.getMessage().contains("25"), e.getMessage());
  }

  @Test
  void sharedLayerKeepsOneSetOfWeights() {
    Dense shared = new Dense(3);
    SymbolicTensor a = Input.of(4);
    SymbolicTensor b = Input.of(4);
    shared.apply(a);
    shared.apply(b);
    assertEquals(2, shared.inboundNodes().size());
    assertEquals(15, shared.countParams());
    Model m = new Model(List.of(a, b), List.of(shared.inboundNodes().get(0).outputs().get(0), shared.inboundNodes().get(1).outputs().get(0)));
    assertEquals(15, m.countParams());
    assertThrows(DlnRuntimeException.class, () -> shared.apply(Input.of(5)));
  }

  @Test
  void defaultNamesFollowKeras() {
    assertEquals("dense", new Dense(1).name());
    assertEquals("dense_1", new Dense(1).name());
    assertEquals("max_pooling2d", new MaxPooling2D(2).name());
    assertEquals("re_lu", new ReLU().name());
    assertEquals("batch_normalization", new BatchNormalization().name());
    assertEquals("input_1", Input.of(3).layer().name());
    LayerNames.reset();
    assertEquals("dense", new Dense(1).name());
  }

  @Test
  void paramCounts() {
    Dense d = new Dense(10);
    d.apply(Input.of(784));
    assertEquals(7850, d.countParams());
    Conv2D c = new Conv2D(32, 3, "relu");
    c.apply(Input.of(28, 28, 1));
    assertEquals(320, c.countParams());
    LSTM l = new LSTM(8, false);
    l.apply(Input.of(5, 3));
    assertEquals(4 * 8 * (3 + 8 + 1), l.countParams());
    BatchNormalization bn = new BatchNormalization();
    bn.apply(Input.of(16));
    assertEquals(64, bn.countParams());
  }
}
