package dln.spark;

import dln.runtime.SharedData;
import dln.runtime.nn.Model;
import dln.runtime.nn.Sequential;
import dln.runtime.nn.layers.Dense;
import dln.runtime.train.Adam;
import dln.runtime.train.Loss;
import dln.runtime.train.Optimizer;
import dln.runtime.train.session.TrainingSession;
import java.util.List;
import dln.stdlib.data.ImageDatasets;
import dln.stdlib.data.LoadOptions;
import dln.stdlib.data.TrainTest;
import org.apache.spark.sql.SparkSession;

/**
 * What the Spark tests share: one {@code local[2,4]} session for the whole test JVM (two worker
 * threads, a task may fail up to 4 times as on a cluster), MNIST subsets and a small MLP.
 */
final class SparkTests {
  private static SparkSession spark;
  private static TrainTest mnist;

  private SparkTests() {}

  static synchronized SparkSession spark() {
    if (spark == null) spark = Cluster.localSession("local[2,4]", "dln-tests");
    return spark;
  }

  /** MNIST, flat and scaled to [0, 1], class-index labels (loaded once). */
  static synchronized TrainTest mnist() {
    SharedData.require("mnist/train-images-idx3-ubyte.gz");
    if (mnist == null) mnist = ImageDatasets.mnist(new LoadOptions(true, true, false, false, 0));
    return mnist;
  }

  /** 784-hidden-10 softmax MLP compiled with Adam (or the given optimiser) and sparse categorical cross-entropy. */
  static Model mlp(int hidden) {
    return mlp(hidden, new Adam(0.001));
  }

  static Model mlp(int hidden, Optimizer optimizer) {
    Sequential m = new Sequential();
    m.add(new Dense(hidden, "relu").withInputShape(784));
    m.add(new Dense(10, "softmax"));
    TrainingSession.of(m).compile(optimizer, Loss.byName("sparse_categorical_crossentropy"), List.of("accuracy"));
    return m;
  }

  /** An independent model with the same architecture, compile settings and weights. */
  static Model copy(Model m) {
    return ModelBlob.load(ModelBlob.of(m, true));
  }
}
