package dln.spark.lang;

import dln.interp.lib.ClusterBackend;
import dln.spark.ClusterData;
import dln.spark.SparkErrors;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The language's view of a Spark data set: its rows stay on the cluster; {@code model.fit(data)}
 * and {@code model.predict(data)} run there, {@code write_parquet} writes it out.
 */
public final class SparkDataset implements ClusterBackend.Data {
  private final SparkCluster cluster;
  private final ClusterData data;

  SparkDataset(SparkCluster cluster, ClusterData data) {
    this.cluster = cluster;
    this.data = data;
  }

  @Override
  public SparkCluster cluster() {
    return cluster;
  }

  public ClusterData data() {
    return data;
  }

  List<Object> columns() {
    return new ArrayList<>(List.of(data.dataset().columns()));
  }

  long count() {
    try {
      return data.dataset().count();
    } catch (Exception e) {
      // Spark's AnalysisException is a checked exception thrown from Scala: catch every kind.
      throw SparkErrors.translate(e);
    }
  }

  void writeParquet(String path, String mode) {
    try {
      data.dataset().write().mode(saveMode(mode)).parquet(path);
    } catch (Exception e) {
      throw SparkErrors.translate(e);
    }
  }

  /** The first rows as lists of values (a quick look at the data). */
  List<Object> take(int n) {
    List<Object> out = new ArrayList<>();
    try {
      for (Row r : data.dataset().takeAsList(n)) {
        List<Object> row = new ArrayList<>();
        for (int i = 0; i < r.size(); i++) row.add(value(r.get(i)));
        out.add(row);
      }
    } catch (Exception e) {
      throw SparkErrors.translate(e);
    }
    return out;
  }

  private static Object value(Object v) {
    if (v instanceof scala.collection.Seq<?> s) {
      List<Object> out = new ArrayList<>();
      scala.collection.Iterator<?> it = s.iterator();
      while (it.hasNext()) out.add(value(it.next()));
      return out;
    }
    if (v instanceof Integer i) return (long) i;
    if (v instanceof Short s) return (long) s;
    if (v instanceof Byte b) return (long) b;
    if (v instanceof Float f) return (double) f;
    return v;
  }

  private static SaveMode saveMode(String mode) {
    return switch (mode) {
      case "overwrite" -> SaveMode.Overwrite;
      case "append" -> SaveMode.Append;
      case "ignore" -> SaveMode.Ignore;
      case "error", "errorifexists" -> SaveMode.ErrorIfExists;
      default -> throw dln.runtime.DlnRuntimeException.value("unknown write mode '" + mode + "'",
          "use 'error' (default), 'overwrite', 'append' or 'ignore'");
    };
  }

  @Override
  public String toString() {
    return "<SparkDataset columns=" + columns() + " features=" + data.features() + " label=" + data.label() + ">";
  }
}
