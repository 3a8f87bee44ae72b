package dln.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.nn.Model;
import dln.runtime.train.History;
import dln.runtime.train.session.TrainingSession;
import dln.stdlib.data.TrainTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Task retries, checkpoints and resuming: training state survives what Spark does on failure. */
class SparkFaultsTest {
  /** Counts the failures the hook injected (the hook runs in this JVM under local[2,4]). */
  static final AtomicInteger INJECTED = new AtomicInteger();

  private static ClusterData data(int n) {
    TrainTest d = SparkTests.mnist();
    INDArray x = SparkTrainerTest.head(d.train().x(), n);
    INDArray y = SparkTrainerTest.head(d.train().y(), n);
    return ClusterData.fromTensors(SparkTests.spark(), x, y, 2);
  }

  @Test
  void aTaskThatFailsOncePerRoundIsRetriedAndTheRoundResultIsTheSame() {
    ClusterData data = data(1200);
    Model clean = SparkTests.mlp(32);
    Model faulty = SparkTests.copy(clean);
    SparkFitOptions o = new SparkFitOptions().epochs(2).batchSize(200).seed(11);
    History hc = new SparkTrainer(SparkTests.spark()).fit(clean, data, o);
    INJECTED.set(0);
    History hf = new SparkTrainer(SparkTests.spark()).fit(faulty, data, new SparkFitOptions().epochs(2).batchSize(200).seed(11)
        .taskHook((epoch, round, partition, attempt) -> {
          if (partition == 1 && attempt == 0) {
            INJECTED.incrementAndGet();
            throw new IllegalStateException("injected failure, epoch " + epoch + " round " + round);
          }
        }));
    // 600 rows per partition in local batches of 100: 6 rounds per epoch.
    assertEquals(2 * 6, INJECTED.get(), "one failure per round (6 rounds x 2 epochs)");
    SparkTrainerTest.assertSameWeights(clean, faulty, 0);
    assertEquals(hc.history().get("loss"), hf.history().get("loss"));
    assertEquals(hc.history().get("accuracy"), hf.history().get("accuracy"));
  }

  @Test
  void aCheckpointEachEpochAndARestartFromItResumeTheSameRun(@TempDir Path dir) {
    ClusterData data = data(1200);
    Model straight = SparkTests.mlp(32);
    Model interrupted = SparkTests.copy(straight);
    SparkTrainer trainer = new SparkTrainer(SparkTests.spark());
    History full = trainer.fit(straight, data, new SparkFitOptions().epochs(3).batchSize(200).seed(5));

    // The "crashed" job: checkpoints after each of its 2 epochs, through Hadoop's file system.
    String ckpt = "file://" + dir.resolve("ckpt-{epoch:02d}.dlnm");
    trainer.fit(interrupted, data, new SparkFitOptions().epochs(2).batchSize(200).seed(5).checkpoint(ckpt));
    assertTrue(Files.exists(dir.resolve("ckpt-01.dlnm")) && Files.exists(dir.resolve("ckpt-02.dlnm")));

    // The restarted job: a fresh model from the last checkpoint, the same fit call with its initial epoch.
    Model resumed = HadoopFiles.load("file://" + dir.resolve("ckpt-02.dlnm"), SparkTests.spark().sparkContext().hadoopConfiguration());
    int done = SparkTrainer.epochsDone(resumed);
    assertEquals(2, done);
    History h = trainer.fit(resumed, data, new SparkFitOptions().epochs(3).batchSize(200).seed(5).initialEpoch(done));

    assertEquals(full.epochs(), h.epochs());
    assertEquals(full.history().get("loss"), h.history().get("loss"));
    assertEquals(full.history().get("accuracy"), h.history().get("accuracy"));
    assertEquals(TrainingSession.of(straight).compileConfig().optimizer().iterations(),
        TrainingSession.of(resumed).compileConfig().optimizer().iterations());
    SparkTrainerTest.assertSameWeights(straight, resumed, 0);
  }
}
