package dln.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.sandbox.Sandbox;
import dln.runtime.nn.Model;
import dln.runtime.train.History;
import dln.runtime.train.session.TrainingSession;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The language side: {@code spark(...)}, reading a real Parquet file Spark wrote, fit and predict
 * with {@code cluster=}, and bad input reported as located DLN errors with the model unchanged.
 */
class SparkLanguageTest {
  @TempDir static Path dir;
  static Dln dln;
  static StringWriter out = new StringWriter();

  @BeforeAll
  static void setUp() {
    SparkTests.mnist();
    SparkTests.spark();
    // Spark reads and writes where it likes: only an unrestricted interpreter may start it.
    dln = Dln.builder().out(out).sandbox(Sandbox.unrestricted()).build();
    dln.set("dir", dir.toString());
    dln.eval("""
        seed(3)
        cluster = spark('local[2,4]')
        (x_train, y_train), (x_test, y_test) = mnist(flat=true, normalize=true)
        x = x_train[:2000]
        y = y_train[:2000]
        cluster.parallelize(x, y, partitions=2).write_parquet(dir + '/mnist.parquet', mode='overwrite')
        data = cluster.read_parquet(dir + '/mnist.parquet', features='features', label='label')
        model = Sequential([Input(784), Dense(32, activation='relu'), Dense(10, activation='softmax')])
        model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        """, "setup.dln");
  }

  @Test
  void fitAndPredictOnAParquetFileWrittenBySpark() {
    History h = (History) dln.eval("h = model.fit(data, epochs=3, batch_size=100, cluster=cluster, seed=1, verbose=0)\nh", "fit.dln");
    List<Double> loss = h.history().get("loss");
    assertEquals(3, loss.size());
    assertTrue(loss.get(2) < loss.get(0), "loss falls: " + loss);
    assertTrue(h.history().get("accuracy").get(2) > 0.8, "training accuracy " + h.history());
    assertTrue(h.history().containsKey("samples_per_sec") && h.history().containsKey("comm_ms_per_round"));

    // Batch inference on the cluster equals local predict row by row (the features identify the row).
    dln.eval("preds = model.predict(data, cluster=cluster)\npreds.write_parquet(dir + '/preds', mode='overwrite')", "predict.dln");
    List<Row> rows = SparkTests.spark().read().parquet(dir + "/preds").collectAsList();
    assertEquals(2000, rows.size());
    Model model = (Model) dln.get("model");
    INDArray x = (INDArray) dln.get("x");
    INDArray local = TrainingSession.of(model).predict(x, 256);
    float[][] xs = x.toFloatMatrix();
    int matched = 0;
    java.util.Map<String, Integer> byFeatures = new java.util.HashMap<>();
    for (int i = 0; i < xs.length; i++) byFeatures.put(java.util.Arrays.toString(xs[i]), i);
    for (Row r : rows) {
      List<Float> f = r.getList(r.fieldIndex("features"));
      float[] fv = new float[f.size()];
      for (int k = 0; k < fv.length; k++) fv[k] = f.get(k);
      Integer i = byFeatures.get(java.util.Arrays.toString(fv));
      if (i == null) continue;
      List<Float> p = r.getList(r.fieldIndex("prediction"));
      float[] pv = new float[p.size()];
      for (int k = 0; k < pv.length; k++) pv[k] = p.get(k);
      assertArrayEquals(local.getRow(i).toFloatVector(), pv, 1e-5f, "row " + i);
      matched++;
    }
    assertTrue(matched >= 1900, "rows matched by their features: " + matched + " (MNIST has a few duplicate images)");
  }

  @Test
  void anInMemoryTensorIsDistributedForTheUser() {
    Object h = dln.eval("""
        m2 = Sequential([Input(784), Dense(16, activation='relu'), Dense(10, activation='softmax')])
        m2.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        m2.fit(x, y, epochs=1, batch_size=200, cluster=cluster, verbose=0)
        """, "tensor.dln");
    assertEquals(1, ((History) h).epochs().size());
  }

  /**
   * validation_split with in-memory tensors is Keras's: the last samples are held out before they
   * are distributed; the last epoch's val_loss is the loss of those samples under the final weights,
   * and the epoch line shows the val_ figures as single-machine fit prints them.
   */
  @Test
  void validationSplitOfTensorsHoldsOutTheLastSamples() {
    out.getBuffer().setLength(0);
    History h = (History) dln.eval("""
        mv = Sequential([Input(784), Dense(16, activation='relu'), Dense(10, activation='softmax')])
        mv.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        hv = mv.fit(x, y, epochs=2, batch_size=200, validation_split=0.2, cluster=cluster, seed=1, verbose=2)
        held_out = mv.evaluate(x[1600:], y[1600:])
        hv
        """, "split.dln");
    assertEquals(2, h.history().get("val_loss").size(), h.history().toString());
    @SuppressWarnings("unchecked")
    List<Double> heldOut = (List<Double>) dln.get("held_out");
    assertEquals(heldOut.get(0), h.history().get("val_loss").get(1), 1e-5);
    assertEquals(heldOut.get(1), h.history().get("val_accuracy").get(1), 1e-9);
    assertTrue(out.toString().matches("(?s).*Epoch 2/2 - .* - loss: [0-9.]+ - accuracy: [0-9.]+ - val_loss: [0-9.]+ - val_accuracy: .*"),
        out.toString());
  }

  /** validation_data as a cluster data set or as a pair of tensors: both scored after every epoch. */
  @Test
  void validationDataIsAClusterDataSetOrAPairOfTensors() {
    dln.eval("""
        mw = Sequential([Input(784), Dense(16, activation='relu'), Dense(10, activation='softmax')])
        mw.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        val = cluster.parallelize(x_test[:500], y_test[:500], partitions=2)
        h1 = mw.fit(data, epochs=1, batch_size=100, validation_data=val, cluster=cluster, seed=1, verbose=0)
        s1 = mw.evaluate(x_test[:500], y_test[:500])
        h2 = mw.fit(data, epochs=1, batch_size=100, validation_data=(x_test[:500], y_test[:500]), cluster=cluster, verbose=0)
        s2 = mw.evaluate(x_test[:500], y_test[:500])
        """, "valdata.dln");
    for (String n : List.of("1", "2")) {
      History h = (History) dln.get("h" + n);
      @SuppressWarnings("unchecked")
      List<Double> scores = (List<Double>) dln.get("s" + n);
      assertEquals(scores.get(0), h.history().get("val_loss").get(0), 1e-5, "fit " + n);
      assertEquals(scores.get(1), h.history().get("val_accuracy").get(0), 1e-9, "fit " + n);
    }
  }

  @Test
  void validationSplitOfAClusterDataSetIsScoredEveryEpoch() {
    History h = (History) dln.eval("""
        mu = Sequential([Input(784), Dense(16, activation='relu'), Dense(10, activation='softmax')])
        mu.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
        mu.fit(data, epochs=2, batch_size=100, validation_split=0.1, cluster=cluster, seed=1, verbose=0)
        """, "dssplit.dln");
    assertEquals(List.of("loss", "accuracy", "val_loss", "val_accuracy", "samples_per_sec", "comm_ms_per_round"),
        List.copyOf(h.history().keySet()));
    List<Double> valLoss = h.history().get("val_loss");
    assertTrue(valLoss.get(1) < valLoss.get(0), "held-out loss falls: " + h.history());
    assertTrue(h.history().get("val_accuracy").get(1) > 0.3, "held-out accuracy (chance 0.1): " + h.history());
  }

  private static DlnException fails(String code) {
    float[] before = weights();
    DlnException e = assertThrows(DlnException.class, () -> dln.eval(code, "bad.dln"));
    assertArrayEquals(before, weights(), "the model is left as it was");
    String shown = e.format();
    assertTrue(shown.contains("bad.dln:"), "located: " + shown);
    assertFalse(shown.contains("\tat "), "no stack trace: " + shown);
    return e;
  }

  private static float[] weights() {
    Model m = (Model) dln.get("model");
    return SparkTrainer.flatten(m.weightRefs(), false, null);
  }

  @Test
  void aMissingColumnIsALocatedErrorWithAHint() {
    DlnException e = fails("bad = cluster.read_parquet(dir + '/mnist.parquet', features='feature', label='label')");
    assertTrue(e.getMessage().contains("no feature column 'feature'"), e.getMessage());
    assertTrue(e.hint().contains("features"), e.hint());
  }

  @Test
  void aFeatureWidthThatDoesNotMatchTheModelIsAShapeError() {
    DlnException e = fails("""
        narrow = cluster.parallelize(x[:, :100], y, partitions=2)
        model.fit(narrow, epochs=1, cluster=cluster, verbose=0)
        """);
    assertTrue(e.getMessage().contains("has 100 values per row but model"), e.getMessage());
  }

  @Test
  void aNanLabelIsReportedWithItsRow() {
    DlnException e = fails("""
        y_nan = y * 1.0
        y_nan[7] = float('nan')
        model.fit(cluster.parallelize(x, y_nan, partitions=1), epochs=1, cluster=cluster, verbose=0)
        """);
    assertTrue(e.getMessage().contains("label column 'label' is NaN at row 7 of partition 0"), e.getMessage());
  }

  @Test
  void validationDataOfTheWrongWidthIsAShapeErrorNamingIt() {
    DlnException e = fails("model.fit(data, epochs=1, validation_data=(x[:50, :100], y[:50]), cluster=cluster, verbose=0)");
    assertTrue(e.getMessage().contains("feature column 'features' of the validation data has 100 values per row"), e.getMessage());
  }

  @Test
  void aValidationSplitThatHoldsOutNothingIsAnError() {
    DlnException e = fails("model.fit(data, epochs=1, validation_split=0.0001, cluster=cluster, verbose=0)");
    assertTrue(e.getMessage().contains("leaves no validation samples"), e.getMessage());
    assertTrue(fails("model.fit(data, epochs=1, validation_split=1.5, cluster=cluster, verbose=0)").getMessage()
        .contains("validation_split must be in [0, 1)"));
  }

  @Test
  void anUnreachableMasterFailsAtOnce() {
    long t = System.nanoTime();
    DlnException e = fails("other = spark('spark://127.0.0.1:1')");
    assertTrue(e.getMessage().contains("cannot reach the Spark master at 'spark://127.0.0.1:1'"), e.getMessage());
    assertTrue((System.nanoTime() - t) / 1e9 < 10, "no minute of retries");
    assertTrue(fails("other = spark('localhost:7077')").getMessage().contains("is not a Spark master URL"));
  }

  @Test
  void aSandboxedInterpreterCannotStartSpark() {
    Dln sandboxed = Dln.builder().out(new StringWriter()).build();
    DlnException e = assertThrows(DlnException.class, () -> sandboxed.eval("c = spark('local[2]')", "s.dln"));
    assertTrue(e.getMessage().contains("spark() needs an unrestricted interpreter"), e.getMessage());
  }

  @Test
  void anUnreadablePathIsAnIoError() {
    DlnException e = fails("cluster.read_parquet(dir + '/no-such.parquet', features='features', label='label')");
    assertTrue(e.getMessage().contains("the cluster cannot read the path"), e.getMessage());
  }
}
