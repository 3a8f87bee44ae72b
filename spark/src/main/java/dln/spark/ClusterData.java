package dln.spark;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Spark {@code Dataset<Row>} seen as DLN samples: the feature column(s) and the label column.
 * Features are one numeric array column (a flattened sample, reshaped to the model's input on the
 * worker) or several numeric scalar columns; the label is a numeric column (a class index or a
 * value) or a numeric array column (one-hot or a vector), or absent for prediction.
 *
 * <p>Columns are checked against the schema when this is made, so a typo fails on the driver
 * before any job runs.
 */
public final class ClusterData {
  private final Dataset<Row> dataset;
  private final List<String> features;
  private final String label;

  private ClusterData(Dataset<Row> dataset, List<String> features, String label) {
    this.dataset = dataset;
    this.features = List.copyOf(features);
    this.label = label;
  }

  /**
   * The samples of a data set.
   *
   * @param features one array column, or several numeric columns
   * @param label the label column, or null (prediction only)
   */
  public static ClusterData of(Dataset<Row> dataset, List<String> features, String label) {
    StructType schema = dataset.schema();
    if (features == null || features.isEmpty()) {
      throw DlnRuntimeException.value("no feature column given", "name it: features='pixels' (columns: "
          + String.join(", ", schema.fieldNames()) + ")");
    }
    for (String f : features) {
      DataType t = column(schema, f, "feature").dataType();
      boolean ok = features.size() == 1 ? numericOrArray(t) : t instanceof NumericType;
      if (!ok) {
        throw DlnRuntimeException.type("feature column '" + f + "' is " + t.simpleString() + ", not "
            + (features.size() == 1 ? "a number or an array of numbers" : "a number"),
            "features are one numeric array column, or several numeric columns");
      }
    }
    if (label != null) {
      DataType t = column(schema, label, "label").dataType();
      if (!numericOrArray(t)) {
        throw DlnRuntimeException.type("label column '" + label + "' is " + t.simpleString() + ", not a number or an array of numbers",
            "labels are class indices, values or one-hot arrays");
      }
    }
    return new ClusterData(dataset, features, label);
  }

  /** {@link #of(Dataset, List, String)} with one feature column. */
  public static ClusterData of(Dataset<Row> dataset, String features, String label) {
    return of(dataset, List.of(features), label);
  }

  /**
   * In-memory tensors distributed for the user: one row per sample, a {@code features} array
   * column (the sample flattened) and a {@code label} column (a number for (N,) or (N, 1)
   * labels, else an array).
   *
   * @param y labels, or null
   */
  public static ClusterData fromTensors(SparkSession spark, INDArray x, INDArray y, int partitions) {
    long n = x.size(0);
    if (y != null && y.size(0) != n) {
      throw DlnRuntimeException.shape("x has " + n + " samples but y has " + y.size(0), "give one label per sample");
    }
    int width = (int) (x.length() / Math.max(1, n));
    float[] xs = x.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    boolean scalarLabel = y != null && (y.rank() == 1 || (y.rank() == 2 && y.size(1) == 1));
    int labelWidth = y == null ? 0 : (int) (y.length() / Math.max(1, n));
    float[] ys = y == null ? null : y.castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).dup('c').data().asFloat();
    List<Row> rows = new ArrayList<>((int) n);
    for (int i = 0; i < n; i++) {
      Float[] f = new Float[width];
      for (int k = 0; k < width; k++) f[k] = xs[i * width + k];
      Object[] values;
      if (y == null) {
        values = new Object[] {Arrays.asList(f)};
      } else if (scalarLabel) {
        values = new Object[] {Arrays.asList(f), ys[i]};
      } else {
        Float[] l = new Float[labelWidth];
        for (int k = 0; k < labelWidth; k++) l[k] = ys[i * labelWidth + k];
        values = new Object[] {Arrays.asList(f), Arrays.asList(l)};
      }
      rows.add(RowFactory.create(values));
    }
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false));
    if (y != null) {
      fields.add(DataTypes.createStructField("label",
          scalarLabel ? DataTypes.FloatType : DataTypes.createArrayType(DataTypes.FloatType, false), false));
    }
    Dataset<Row> df = spark.createDataFrame(rows, DataTypes.createStructType(fields));
    if (partitions > 0) df = df.repartition(partitions);
    return new ClusterData(df, List.of("features"), y == null ? null : "label");
  }

  public Dataset<Row> dataset() {
    return dataset;
  }

  public List<String> features() {
    return features;
  }

  /** The label column, or null. */
  public String label() {
    return label;
  }

  /** The same columns over another data set with the same schema (a repartitioned copy). */
  ClusterData with(Dataset<Row> other) {
    return new ClusterData(other, features, label);
  }

  /**
   * The partitions as {@link Shard}s, persisted (memory, spilling to disk) so rounds read them
   * from the block manager; the caller unpersists them when done.
   */
  JavaRDD<Shard> shards(boolean withLabels) {
    return shards(withLabels, 0);
  }

  /**
   * {@link #shards(boolean)} with the last {@code floor(rows * validationFraction)} rows of each
   * partition set aside for validation (1: all of them, a validation data set).
   */
  JavaRDD<Shard> shards(boolean withLabels, double validationFraction) {
    StructType schema = dataset.schema();
    int[] featureIdx = new int[features.size()];
    for (int i = 0; i < featureIdx.length; i++) featureIdx[i] = schema.fieldIndex(features.get(i));
    int labelIdx = withLabels && label != null ? schema.fieldIndex(label) : -1;
    List<String> names = features;
    String labelName = label;
    JavaRDD<Shard> rdd = dataset.javaRDD().mapPartitionsWithIndex((p, it) -> {
      Shard s = decode(p, it, featureIdx, names, labelIdx, labelName);
      return List.of(validationFraction > 0 ? s.withValidationTail(validationFraction) : s).iterator();
    }, true);
    return rdd.persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** The features of some rows (no labels), for prediction. */
  static Shard decodeRows(int partition, Iterator<Row> it, int[] featureIdx, List<String> names) {
    return decode(partition, it, featureIdx, names, -1, null);
  }

  private static Shard decode(int partition, Iterator<Row> it, int[] featureIdx, List<String> names, int labelIdx,
      String labelName) {
    FloatBuffer fx = new FloatBuffer();
    FloatBuffer fy = new FloatBuffer();
    int rows = 0;
    int featureWidth = -1;
    int labelWidth = labelIdx < 0 ? 0 : -1;
    while (it.hasNext()) {
      Row r = it.next();
      String where = "row " + rows + " of partition " + partition;
      int before = fx.size;
      for (int k = 0; k < featureIdx.length; k++) {
        String bad = append(fx, r, featureIdx[k], false);
        if (bad != null) return Shard.failed(partition, "feature column '" + names.get(k) + "' " + bad + " at " + where);
      }
      int w = fx.size - before;
      if (featureWidth < 0) featureWidth = w;
      else if (w != featureWidth) {
        return Shard.failed(partition, where + " has " + w + " features, the rows before it " + featureWidth);
      }
      if (labelIdx >= 0) {
        int lb = fy.size;
        String bad = append(fy, r, labelIdx, true);
        if (bad != null) return Shard.failed(partition, "label column '" + labelName + "' " + bad + " at " + where);
        int lw = fy.size - lb;
        if (labelWidth < 0) labelWidth = lw;
        else if (lw != labelWidth) {
          return Shard.failed(partition, where + " has a label of " + lw + " values, the rows before it " + labelWidth);
        }
      }
      rows++;
    }
    return new Shard(partition, rows, Math.max(0, featureWidth), Math.max(0, labelWidth), fx.toArray(), fy.toArray(), null);
  }

  /** Appends a cell's numbers; returns what is wrong with it, or null. */
  private static String append(FloatBuffer out, Row r, int idx, boolean nanIsBad) {
    if (r.isNullAt(idx)) return "is null";
    Object v = r.get(idx);
    if (v instanceof Number num) return add(out, num, nanIsBad);
    List<Object> list = r.getList(idx);
    for (Object o : list) {
      if (o == null) return "holds a null";
      String bad = add(out, (Number) o, nanIsBad);
      if (bad != null) return bad;
    }
    return null;
  }

  private static String add(FloatBuffer out, Number n, boolean nanIsBad) {
    float f = n.floatValue();
    if (nanIsBad && !Float.isFinite(f)) return "is " + f;
    out.add(f);
    return null;
  }

  private static StructField column(StructType schema, String name, String role) {
    for (StructField f : schema.fields()) if (f.name().equals(name)) return f;
    List<String> names = List.of(schema.fieldNames());
    String hint = Names.hint(name, names);
    throw DlnRuntimeException.value("the data has no " + role + " column '" + name + "'",
        (hint == null ? "" : hint + "; ") + "columns: " + String.join(", ", names));
  }

  private static boolean numericOrArray(DataType t) {
    return t instanceof NumericType || (t instanceof ArrayType a && a.elementType() instanceof NumericType);
  }

  /** A growable float array (rows are decoded without boxing them twice). */
  private static final class FloatBuffer {
    float[] data = new float[1024];
    int size;

    void add(float f) {
      if (size == data.length) data = Arrays.copyOf(data, size * 2);
      data[size++] = f;
    }

    float[] toArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
