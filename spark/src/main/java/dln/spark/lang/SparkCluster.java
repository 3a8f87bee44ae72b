package dln.spark.lang;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.lib.ClusterBackend;
import dln.interp.value.None;
import dln.interp.value.Values;
import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Model;
import dln.spark.ClusterData;
import dln.spark.SparkErrors;
import dln.spark.SparkFitOptions;
import dln.spark.SparkPredictor;
import dln.spark.SparkTrainer;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The language's cluster: {@code cluster = spark('local[2]')}. Reads data sets (Parquet, CSV)
 * as {@link SparkDataset}s, distributes in-memory tensors, and runs {@code model.fit} and
 * {@code model.predict} passed {@code cluster=cluster} through {@link SparkTrainer} and
 * {@link SparkPredictor}.
 */
public final class SparkCluster implements ClusterBackend {
  private final SparkSession spark;

  SparkCluster(SparkSession spark) {
    this.spark = spark;
  }

  public SparkSession session() {
    return spark;
  }

  String master() {
    return spark.sparkContext().master();
  }

  int parallelism() {
    return spark.sparkContext().defaultParallelism();
  }

  /** A Parquet or CSV data set with its feature and label columns. */
  SparkDataset read(String format, Args a) {
    String path = a.string("path");
    Dataset<Row> df;
    try {
      var reader = spark.read();
      if (format.equals("csv")) {
        reader = reader.option("header", String.valueOf(a.bool("header", true))).option("inferSchema", "true");
      }
      df = reader.format(format).load(path);
    } catch (Exception e) {
      // Spark's AnalysisException is a checked exception thrown from Scala: catch every kind.
      throw SparkErrors.translate(e);
    }
    return dataset(df, a);
  }

  /** Columns chosen by features= (a name, a list, or None for all but the label) and label=. */
  SparkDataset dataset(Dataset<Row> df, Args a) {
    String label = a.has("label") && a.get("label") != None.NONE ? a.string("label") : null;
    List<String> features = new ArrayList<>();
    Object f = a.get("features", None.NONE);
    if (f == None.NONE) {
      for (String c : df.columns()) if (!c.equals(label)) features.add(c);
    } else if (f instanceof String s) {
      features.add(s);
    } else if (f instanceof List<?> l) {
      for (Object o : l) {
        if (!(o instanceof String s)) throw DlnException.type("features= takes column names, got " + Values.typeName(o));
        features.add(s);
      }
    } else {
      throw DlnException.type("features= takes a column name or a list of them, got " + Values.typeName(f));
    }
    return new SparkDataset(this, ClusterData.of(df, features, label));
  }

  SparkDataset parallelize(INDArray x, INDArray y, int partitions) {
    return new SparkDataset(this, ClusterData.fromTensors(spark, x, y, partitions > 0 ? partitions : parallelism()));
  }

  @Override
  public Object fit(Model model, Args a, Fit fit) {
    SparkFitOptions o = new SparkFitOptions().epochs(fit.epochs()).batchSize(fit.batchSize()).shuffle(fit.shuffle())
        .initialEpoch(fit.initialEpoch()).callbacks(fit.callbacks()).progress(fit.progress()).shouldStop(fit.shouldStop())
        .localSteps(a.intValue("local_steps", 1))
        .validationSplit(a.number("validation_split", 0));
    if (fit.seed() != null) o.seed(fit.seed());
    if (a.has("checkpoint")) o.checkpoint(a.string("checkpoint"));
    Object y = a.has("y") ? a.get("y") : null;
    ClusterData data;
    if (a.has("validation_data") && a.get("validation_data") != None.NONE) {
      o.validationData(validationData(a));
      data = data(a, "x", y);
    } else if (o.validationSplit() > 0 && !(a.get("x") instanceof SparkDataset)) {
      // Tensors: Keras's split exactly, the last samples before any shuffle, taken before they are distributed.
      data = splitTensors(a, y, o);
    } else {
      data = data(a, "x", y);
    }
    return new SparkTrainer(spark).fit(model, data, o);
  }

  /** validation_data=: a data set of this cluster (with its label column) or a pair (x_val, y_val) of tensors. */
  private ClusterData validationData(Args a) {
    Object v = a.get("validation_data");
    if (v instanceof SparkDataset) return data(a, "validation_data", null);
    List<Object> pair = a.list("validation_data");
    if (pair.size() != 2) {
      throw DlnException.value("validation_data must be a pair (x_val, y_val) or a cluster data set, got " + pair.size() + " items");
    }
    return ClusterData.fromTensors(spark, Values.toTensor(pair.get(0)), Values.toTensor(pair.get(1)), parallelism());
  }

  /** In-memory x and y less their last validation_split of samples; those become the validation data. */
  private ClusterData splitTensors(Args a, Object y, SparkFitOptions o) {
    if (y == null || y == None.NONE) throw DlnException.argument("fit() needs labels y", "model.fit(x_train, y_train, epochs=5)");
    INDArray xs = Values.toTensor(a.get("x"));
    INDArray ys = Values.toTensor(y);
    long n = xs.size(0);
    long nVal = (long) Math.floor(n * o.validationSplit());
    if (nVal == 0 || nVal == n) {
      throw DlnRuntimeException.value("validation_split=" + o.validationSplit() + " of " + n + " samples leaves "
          + (nVal == 0 ? "no validation samples" : "no training samples"), null);
    }
    o.validationData(ClusterData.fromTensors(spark, rows(xs, n - nVal, n), rows(ys, n - nVal, n), parallelism()));
    return ClusterData.fromTensors(spark, rows(xs, 0, n - nVal), rows(ys, 0, n - nVal), parallelism());
  }

  private static INDArray rows(INDArray a, long from, long to) {
    return a.get(NDArrayIndex.interval(from, to)).dup('c');
  }

  @Override
  public Object predict(Model model, Args a) {
    ClusterData data = data(a, "x", null);
    Dataset<Row> out = new SparkPredictor(spark).predict(model, data, a.intValue("batch_size", 128), "prediction");
    return new SparkDataset(this, ClusterData.of(out, data.features(), data.label()));
  }

  /** x as cluster data: a data set of this cluster, or tensors (x and y) distributed now. */
  private ClusterData data(Args a, String param, Object y) {
    Object x = a.get(param);
    if (x instanceof SparkDataset d) {
      if (d.cluster() != this && d.cluster().session() != spark) {
        throw DlnRuntimeException.value("the data belongs to another cluster session", "read it with this cluster");
      }
      if (y != null && y != None.NONE) {
        throw DlnException.argument("y= is not taken with a cluster data set: its label column is the label",
            "read it with label='...'");
      }
      return d.data();
    }
    if (x instanceof INDArray || x instanceof List<?>) {
      INDArray xs = Values.toTensor(x);
      INDArray ys = y == null || y == None.NONE ? null : Values.toTensor(y);
      return ClusterData.fromTensors(spark, xs, ys, parallelism());
    }
    throw DlnException.type("x must be a cluster data set or a tensor, got " + Values.typeName(x));
  }
}
