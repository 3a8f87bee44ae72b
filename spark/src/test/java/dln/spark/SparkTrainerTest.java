package dln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.nn.Model;
import dln.runtime.nn.Weight;
import dln.runtime.train.Adam;
import dln.runtime.train.FitOptions;
import dln.runtime.train.History;
import dln.runtime.train.session.TrainingSession;
import dln.stdlib.data.TrainTest;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class SparkTrainerTest {
  static INDArray head(INDArray a, long n) {
    return a.get(NDArrayIndex.interval(0, n)).dup('c');
  }

  static void assertSameWeights(Model a, Model b, double tol) {
    List<Weight> wa = a.weightList();
    List<Weight> wb = b.weightList();
    assertEquals(wa.size(), wb.size());
    for (int i = 0; i < wa.size(); i++) {
      double diff = wa.get(i).value().sub(wb.get(i).value()).amaxNumber().doubleValue();
      assertTrue(diff <= tol, wa.get(i).fullName() + " differs by " + diff);
    }
  }

  @Test
  void onePartitionAveragingEveryStepEqualsSingleMachineFit() {
    TrainTest d = SparkTests.mnist();
    INDArray x = head(d.train().x(), 1000);
    INDArray y = head(d.train().y(), 1000);
    Model local = SparkTests.mlp(32);
    Model cluster = SparkTests.copy(local);

    History hl = TrainingSession.of(local).fit(x, y, new FitOptions().epochs(2).batchSize(100).shuffle(false));
    ClusterData data = ClusterData.fromTensors(SparkTests.spark(), x, y, 1);
    History hc = new SparkTrainer(SparkTests.spark()).fit(cluster, data,
        new SparkFitOptions().epochs(2).batchSize(100).shuffle(false).seed(1));

    assertSameWeights(local, cluster, 1e-6);
    for (int e = 0; e < 2; e++) {
      assertEquals(hl.history().get("loss").get(e), hc.history().get("loss").get(e), 1e-6);
      assertEquals(hl.history().get("accuracy").get(e), hc.history().get("accuracy").get(e), 1e-9);
    }
    assertEquals(2 * 10, TrainingSession.of(cluster).compileConfig().optimizer().iterations());
  }

  /**
   * Validation data scored on the cluster after every epoch (its own two partitions) gives the
   * val_loss and val_accuracy single-machine fit gives for the same weights and data.
   */
  @Test
  void validationDataIsScoredAsSingleMachineFitScoresIt() {
    TrainTest d = SparkTests.mnist();
    INDArray x = head(d.train().x(), 1000);
    INDArray y = head(d.train().y(), 1000);
    INDArray vx = head(d.test().x(), 600);
    INDArray vy = head(d.test().y(), 600);
    Model local = SparkTests.mlp(32);
    Model cluster = SparkTests.copy(local);

    History hl = TrainingSession.of(local).fit(x, y, new FitOptions().epochs(2).batchSize(100).shuffle(false)
        .validationData(List.of(vx), List.of(vy)));
    History hc = new SparkTrainer(SparkTests.spark()).fit(cluster, ClusterData.fromTensors(SparkTests.spark(), x, y, 1),
        new SparkFitOptions().epochs(2).batchSize(100).shuffle(false).seed(1)
            .validationData(ClusterData.fromTensors(SparkTests.spark(), vx, vy, 2)));

    assertSameWeights(local, cluster, 1e-6);
    for (String key : List.of("val_loss", "val_accuracy")) {
      assertEquals(2, hc.history().get(key).size(), key + " every epoch: " + hc.history());
      for (int e = 0; e < 2; e++) assertEquals(hl.history().get(key).get(e), hc.history().get(key).get(e), 1e-6, key);
    }
  }

  /**
   * validation_split on cluster data: each partition trains on its first rows and is scored on its
   * last quarter, and those rows are left out of training (the epoch counts the rest).
   */
  @Test
  void validationSplitSetsAsideTheTailOfEachPartition() {
    TrainTest d = SparkTests.mnist();
    Model m = SparkTests.mlp(32);
    ClusterData data = ClusterData.fromTensors(SparkTests.spark(), head(d.train().x(), 2000), head(d.train().y(), 2000), 2);
    long[] trained = new long[1];
    dln.runtime.train.ProgressListener counting = new dln.runtime.train.ProgressListener() {
      @Override
      public void onTrainBegin(int epochs, int batchesPerEpoch, long samples) {
        trained[0] = samples;
      }
    };
    History h = new SparkTrainer(SparkTests.spark()).fit(m, data,
        new SparkFitOptions().epochs(2).batchSize(100).seed(2).validationSplit(0.25).progress(counting));
    long validation = 0;
    for (Row r : data.dataset().groupBy(org.apache.spark.sql.functions.spark_partition_id()).count().collectAsList()) {
      validation += (long) Math.floor(r.getLong(1) * 0.25);
    }
    assertEquals(2000 - validation, trained[0], "trained on all but each partition's last quarter");
    assertEquals(2, h.history().get("val_loss").size());
    assertTrue(h.history().get("val_accuracy").get(1) > 0.7, "held-out accuracy (chance 0.1): " + h.history());
  }

  /**
   * Local steps on one partition: the worker takes k steps with the model's optimiser, started from
   * the driver's state; averaging one partition changes nothing, so this too is single-machine fit.
   */
  @Test
  void localStepsOnOnePartitionAlsoEqualSingleMachineFit() {
    TrainTest d = SparkTests.mnist();
    INDArray x = head(d.train().x(), 1000);
    INDArray y = head(d.train().y(), 1000);
    Model local = SparkTests.mlp(32);
    Model cluster = SparkTests.copy(local);
    TrainingSession.of(local).fit(x, y, new FitOptions().epochs(2).batchSize(100).shuffle(false));
    new SparkTrainer(SparkTests.spark()).fit(cluster, ClusterData.fromTensors(SparkTests.spark(), x, y, 1),
        new SparkFitOptions().epochs(2).batchSize(100).shuffle(false).localSteps(3).seed(1));
    assertSameWeights(local, cluster, 1e-6);
    assertEquals(20, TrainingSession.of(cluster).compileConfig().optimizer().iterations());
  }

  /** Two partitions with 4 local steps per round: a quarter of the rounds, and still learning (weights and Adam state averaged). */
  @Test
  void localStepsOnTwoPartitionsLearn() {
    TrainTest d = SparkTests.mnist();
    Model m = SparkTests.mlp(64);
    History h = new SparkTrainer(SparkTests.spark()).fit(m, ClusterData.fromTensors(SparkTests.spark(),
        head(d.train().x(), 4000), head(d.train().y(), 4000), 2),
        new SparkFitOptions().epochs(2).batchSize(100).localSteps(4).seed(3));
    double acc = TrainingSession.of(m).evaluate(List.of(head(d.test().x(), 2000)), List.of(head(d.test().y(), 2000)), 1000).get(1);
    assertTrue(acc > 0.75, "test accuracy (chance: 0.1) " + acc + " " + h.history());
  }

  /**
   * Two partitions, gradients averaged every step (global batch 500 split 250/250): the MNIST MLP
   * reaches 97.5% on the real test set in the same 5 epochs single-machine fit needs with these
   * settings (both are checked, so a slower cluster run would show).
   */
  @Test
  void twoPartitionsTrainTheMnistMlpToAtLeast975Percent() {
    TrainTest d = SparkTests.mnist();
    Model m = SparkTests.mlp(256, new Adam(0.003));
    Model single = SparkTests.copy(m);
    ClusterData data = ClusterData.fromTensors(SparkTests.spark(), d.train().x(), d.train().y(), 2);
    long t = System.nanoTime();
    History h = new SparkTrainer(SparkTests.spark()).fit(m, data, new SparkFitOptions().epochs(5).batchSize(500).seed(7));
    double clusterSeconds = (System.nanoTime() - t) / 1e9;
    t = System.nanoTime();
    TrainingSession.of(single).fit(d.train().x(), d.train().y(), new FitOptions().epochs(5).batchSize(500).seed(7));
    double singleSeconds = (System.nanoTime() - t) / 1e9;
    List<INDArray> tx = List.of(d.test().x());
    List<INDArray> ty = List.of(d.test().y());
    double acc = TrainingSession.of(m).evaluate(tx, ty, 1000).get(1);
    double singleAcc = TrainingSession.of(single).evaluate(tx, ty, 1000).get(1);
    System.out.printf("MNIST MLP 5 epochs: local[2] 2 partitions %.4f (%.1f s, %s), single machine %.4f (%.1f s)%n",
        acc, clusterSeconds, h.history(), singleAcc, singleSeconds);
    assertTrue(singleAcc >= 0.975, "single-machine test accuracy " + singleAcc);
    assertTrue(acc >= 0.975, "2-partition test accuracy " + acc);
  }
}
