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
