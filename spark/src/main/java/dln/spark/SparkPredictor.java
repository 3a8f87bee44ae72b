package dln.spark;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Model;
import dln.runtime.Shapes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Batch inference over a Spark data set: the model is broadcast once (its file's bytes) and
 * decoded once per executor ({@link Worker}'s pool), each partition is predicted in batches by
 * DLN's engine, and the outputs come back as a new array column beside the input columns.
 */
public final class SparkPredictor {
  /** Rows decoded and predicted together within a partition (the engine batches them further). */
  private static final int CHUNK = 4096;

  private final SparkSession spark;
  private final JavaSparkContext jsc;

  public SparkPredictor(SparkSession spark) {
    this.spark = spark;
    this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
  }

  /**
   * The data set with the model's outputs added as {@code outputColumn} (array of float). Lazy
   * like any Spark data set: it runs when written or collected, and each action predicts anew.
   */
  public Dataset<Row> predict(Model model, ClusterData data, int batchSize, String outputColumn) {
    if (batchSize <= 0) throw DlnRuntimeException.value("batch_size must be positive, got " + batchSize);
    StructType schema = data.dataset().schema();
    if (List.of(schema.fieldNames()).contains(outputColumn)) {
      throw DlnRuntimeException.value("the data already has a column '" + outputColumn + "'", "name the output another way: output='...'");
    }
    try {
      checkWidth(model, data);
      Broadcast<byte[]> blob = jsc.broadcast(ModelBlob.of(model, false));
      String key = "predict-" + blob.id();
      int[] featureIdx = new int[data.features().size()];
      for (int i = 0; i < featureIdx.length; i++) featureIdx[i] = schema.fieldIndex(data.features().get(i));
      List<String> names = data.features();
      JavaRDD<Row> out = data.dataset().javaRDD().mapPartitionsWithIndex((p, rows) -> predictPartition(p, rows,
          featureIdx, names, batchSize, key, blob), true);
      StructType outSchema = schema.add(outputColumn, DataTypes.createArrayType(DataTypes.FloatType, false), false);
      return spark.createDataFrame(out, outSchema);
    } catch (Exception e) {
      throw SparkErrors.translate(e);
    }
  }

  /** The first row's width against the model's input (a cheap job), so a mismatch fails here, not in a task. */
  private void checkWidth(Model model, ClusterData data) {
    jsc.setCallSite("dln predict: check data");
    jsc.setJobDescription("dln predict: check data");
    JavaRDD<Shard> first = data.with(data.dataset().limit(1)).shards(false);
    ShardSummary s = first.map(ShardSummary::of).treeAggregate(new ShardSummary(), ShardSummary::merge, ShardSummary::merge, 2);
    first.unpersist(false);
    if (s.problem != null) throw DlnRuntimeException.value("bad data: " + s.problem, null);
    if (s.rows == 0) return;
    if (!model.isGraphBuilt()) model.buildFor(List.of(new long[] {s.maxFeatureWidth}));
    long[] in = model.inputs().get(0).sampleShape();
    long want = Shapes.sampleSize(Shapes.withBatch(in));
    if (want != s.maxFeatureWidth) {
      throw DlnRuntimeException.shape("feature column '" + String.join(", ", data.features()) + "' has " + s.maxFeatureWidth
          + " values per row but model '" + model.name() + "' takes inputs of shape " + Shapes.format(in) + " (" + want
          + " values)", "select the columns the model was built for");
    }
  }

  private static Iterator<Row> predictPartition(int partition, Iterator<Row> rows, int[] featureIdx, List<String> names,
      int batchSize, String key, Broadcast<byte[]> blob) {
    return new Iterator<>() {
      private final List<Row> pending = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < pending.size()) return true;
        pending.clear();
        next = 0;
        List<Row> chunk = new ArrayList<>();
        while (rows.hasNext() && chunk.size() < CHUNK) chunk.add(rows.next());
        if (chunk.isEmpty()) return false;
        Shard shard = ClusterData.decodeRows(partition, chunk.iterator(), featureIdx, names);
        if (shard.problem != null) throw DlnRuntimeException.value("bad data: " + shard.problem, null);
        Worker w = Worker.borrow(key, blob.value(), false);
        float[] out;
        try {
          out = w.predict(shard, batchSize);
        } finally {
          Worker.giveBack(key, w);
        }
        int width = out.length / chunk.size();
        for (int i = 0; i < chunk.size(); i++) {
          Row r = chunk.get(i);
          Object[] values = new Object[r.size() + 1];
          for (int c = 0; c < r.size(); c++) values[c] = r.get(c);
          // A primitive array: the row encoder takes float[] or a Scala Seq for an array column, not a java.util.List.
          values[r.size()] = java.util.Arrays.copyOfRange(out, i * width, (i + 1) * width);
          pending.add(RowFactory.create(values));
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) throw new java.util.NoSuchElementException();
        return pending.get(next++);
      }
    };
  }
}
