package dln.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dln.runtime.Rng;
import dln.runtime.nn.Input;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.train.fast.FastEngine;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * predict's batching: batches of consecutive rows are read in place from the caller's data (no
 * copy) and each batch's outputs are written straight into the result. Whatever the batch size,
 * the result is what one batch of every sample gives, row for row; the data are left unchanged;
 * views and several outputs work; evaluate on in-place batches gives the loss of the outputs.
 */
class PredictBatchesTest {
  private static Model mlp() {
    return new Sequential(List.of(Input.of(12), new Dense(32, "relu"), new Dropout(0.3), new Dense(32, "relu"),
        new Dense(4, "softmax")));
  }

  private static TrainingSession compiled(Model m) {
    TrainingSession s = TrainingSession.of(m);
    s.compile("adam", "categorical_crossentropy");
    return s;
  }

  /** Every value, row-major. */
  private static float[] values(INDArray a) {
    return a.dup('c').data().asFloat();
  }

  @Test
  void batchedPredictEqualsOneBatchRowForRow() {
    Rng.seed(5);
    TrainingSession s = compiled(mlp());
    INDArray x = Nd4j.rand(DataType.FLOAT, 103, 12);
    INDArray before = x.dup();
    INDArray whole = s.predict(x, 103);
    assertEquals(FastEngine.class, s.engine().getClass());
    for (int batch : new int[] {1, 7, 50, 102}) {
      INDArray out = s.predict(x, batch);
      assertArrayEquals(new long[] {103, 4}, out.shape());
      assertArrayEquals(values(whole), values(out), 1e-6f, "batch size " + batch);
    }
    assertEquals(before, x, "predict must not write into the caller's data");
  }

  @Test
  void aSingleRowAndAViewOfRows() {
    Rng.seed(6);
    TrainingSession s = compiled(mlp());
    INDArray x = Nd4j.rand(DataType.FLOAT, 40, 12);
    INDArray all = s.predict(x, 40);
    INDArray view = x.get(NDArrayIndex.interval(10, 30), NDArrayIndex.all());
    INDArray fromView = s.predict(view, 6);
    assertArrayEquals(values(all.get(NDArrayIndex.interval(10, 30), NDArrayIndex.all())), values(fromView), 1e-6f);
    INDArray one = s.predict(x.get(NDArrayIndex.interval(3, 4), NDArrayIndex.all()), 1);
    assertArrayEquals(values(all.getRow(3)), values(one), 1e-6f);
    // A result is the caller's own: a later predict does not change it.
    INDArray kept = one.dup();
    s.predict(Nd4j.rand(DataType.FLOAT, 1, 12), 1);
    assertEquals(kept, one);
  }

  @Test
  void severalOutputsEachInTheirOwnResult() {
    Rng.seed(7);
    SymbolicTensor in = Input.of(5);
    SymbolicTensor trunk = new Dense(16, "relu").apply(in);
    Model m = new Model(List.of(in), List.of(new Dense(3, "softmax").apply(trunk), new Dense(2, "linear").apply(trunk)));
    TrainingSession s = TrainingSession.of(m);
    s.compile(new CompileConfig(new Adam(1e-3), List.of(Loss.byName("categorical_crossentropy"), Loss.byName("mse")), List.of()));
    INDArray x = Nd4j.rand(DataType.FLOAT, 25, 5);
    List<INDArray> whole = s.predict(List.of(x), 25);
    List<INDArray> batched = s.predict(List.of(x), 4);
    assertEquals(2, batched.size());
    assertNotSame(batched.get(0), batched.get(1));
    for (int i = 0; i < 2; i++) assertArrayEquals(values(whole.get(i)), values(batched.get(i)), 1e-6f);
    assertArrayEquals(new long[] {25, 2}, batched.get(1).shape());
  }

  @Test
  void evaluateOnInPlaceBatchesIsTheLossOfPredictsOutputs() {
    Rng.seed(8);
    TrainingSession s = compiled(mlp());
    INDArray x = Nd4j.rand(DataType.FLOAT, 60, 12);
    INDArray y = Nd4j.zeros(DataType.FLOAT, 60, 4);
    for (int i = 0; i < 60; i++) y.putScalar(i, i % 4, 1f);
    INDArray p = s.predict(x, 60);
    double expected = 0;
    for (int i = 0; i < 60; i++) expected -= Math.log(Math.max(p.getDouble(i, i % 4), 1e-7));
    expected /= 60;
    double loss = s.evaluate(List.of(x), List.of(y), 16).get(0);
    assertEquals(expected, loss, 1e-5);
    assertFalse(Double.isNaN(loss));
  }

  @Test
  void rowsSharedInPlaceReadTheSameMemory() {
    INDArray x = Nd4j.rand(DataType.FLOAT, 9, 3);
    INDArray rows = NativeRows.over(x, 2 * 3, new long[] {4, 3});
    assertFalse(rows.isView());
    assertEquals(x.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all()), rows);
    INDArray target = Nd4j.zeros(DataType.FLOAT, 9, 3);
    NativeRows.copyRows(rows, target, 5);
    assertEquals(x.get(NDArrayIndex.interval(2, 6), NDArrayIndex.all()), target.get(NDArrayIndex.interval(5, 9), NDArrayIndex.all()));
    assertEquals(0.0, target.get(NDArrayIndex.interval(0, 5), NDArrayIndex.all()).sumNumber().doubleValue());
  }
}
