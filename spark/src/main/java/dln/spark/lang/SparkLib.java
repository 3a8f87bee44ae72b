package dln.spark.lang;

import dln.interp.DlnException;
import dln.interp.call.TypeTable;
import dln.interp.lib.Globals;
import dln.interp.lib.Library;
import dln.interp.value.None;
import dln.interp.value.Values;
import dln.spark.Cluster;
import dln.spark.HadoopFiles;

/**
 * The {@code spark} builtin and its types, installed into the interpreter as a plugin
 * ({@code META-INF/services/dln.interp.lib.Library}) when dln-spark is on the class path: the
 * interpreter itself knows only {@link dln.interp.lib.ClusterBackend}.
 */
public final class SparkLib implements Library {
  @Override
  public void install(Globals g) {
    g.def("spark", "master?, app_name?",
        "A Spark cluster session: 'local[2]' (Spark in this process), 'spark://host:7077', 'yarn', 'k8s://...';\n"
            + "with no master, the one spark-submit gave. Pass it to fit/predict as cluster=.\n"
            + "Example: cluster = spark('local[2]'); model.fit(cluster.read_parquet('mnist.parquet', features='pixels', label='digit'), cluster=cluster)",
        a -> {
          if (!a.invoker().sandbox().isUnrestricted()) {
            // Spark reads and writes any path its executors reach: no sandbox can hold it.
            throw new DlnException("sandbox error", "spark() needs an unrestricted interpreter",
                "the embedding application must use Sandbox.unrestricted() to allow cluster jobs", null);
          }
          return new SparkCluster(Cluster.session(a.has("master") && a.get("master") != None.NONE ? a.string("master") : null,
            a.string("app_name", "dln")));
        });

    TypeTable.define(SparkCluster.class, "SparkCluster")
        .attr("master", SparkCluster::master)
        .attr("parallelism", c -> (long) c.parallelism())
        .method("read_parquet", "path, features?, label?",
            "A Parquet data set: features= an array column or a list of numeric columns (default: all but the label).\n"
                + "Example: data = cluster.read_parquet('hdfs:///mnist.parquet', features='pixels', label='digit')",
            (c, a) -> c.read("parquet", a))
        .method("read_csv", "path, features?, label?, header?",
            "A CSV data set (header row by default, types inferred): features= numeric columns (default: all but the label).\n"
                + "Example: data = cluster.read_csv('s3a://bucket/new.csv', label='y')",
            (c, a) -> c.read("csv", a))
        .method("parallelize", "x, y?, partitions?",
            "In-memory tensors as a cluster data set (columns 'features' and 'label'), in partitions (default: the parallelism).\n"
                + "Example: data = cluster.parallelize(x_train, y_train, partitions=2)",
            (c, a) -> c.parallelize(Values.toTensor(a.get("x")),
                a.has("y") && a.get("y") != None.NONE ? Values.toTensor(a.get("y")) : null, a.intValue("partitions", 0)))
        .method("load_model", "path",
            "A model file from any Hadoop path (a checkpoint): weights, optimiser state, history.\n"
                + "Example: model = cluster.load_model('hdfs:///ckpt/model.dlnm')",
            (c, a) -> HadoopFiles.load(a.string("path"), c.session().sparkContext().hadoopConfiguration()))
        .repr(c -> "<SparkCluster master='" + c.master() + "' parallelism=" + c.parallelism() + ">");

    TypeTable.define(SparkDataset.class, "SparkDataset")
        .attr("columns", SparkDataset::columns)
        .method("count", "", "The number of rows (runs a job).\nExample: data.count()", (d, a) -> d.count())
        .method("take", "n?", "The first n rows (default 5) as lists of values.\nExample: preds.take(3)",
            (d, a) -> d.take(a.intValue("n", 5)))
        .method("write_parquet", "path, mode?",
            "Writes the data set as Parquet (mode 'error' by default, or 'overwrite', 'append', 'ignore').\n"
                + "Example: preds.write_parquet('hdfs:///out', mode='overwrite')",
            (d, a) -> {
              d.writeParquet(a.string("path"), a.string("mode", "error"));
              return None.NONE;
            })
        .repr(SparkDataset::toString);
  }
}
