package dln.spark;

import java.io.Serializable;

/**
 * One partition's samples as dense host arrays: the unit a worker trains or predicts on. Built
 * once per partition from its rows ({@link ClusterData#shards}) and cached by Spark, so a round
 * reads a slice of arrays rather than decoding rows; a lost executor's shards are rebuilt from the
 * lineage. A partition with a bad row keeps no samples and a {@link #problem} the driver reports.
 */
final class Shard implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final int rows;
  final int featureWidth;
  final int labelWidth;
  /** rows x featureWidth, row-major. */
  final float[] features;
  /** rows x labelWidth, row-major (empty when the data has no labels). */
  final float[] labels;
  /** The first bad row, described for the user (null when the shard is usable). */
  final String problem;

  Shard(int partition, int rows, int featureWidth, int labelWidth, float[] features, float[] labels, String problem) {
    this.partition = partition;
    this.rows = rows;
    this.featureWidth = featureWidth;
    this.labelWidth = labelWidth;
    this.features = features;
    this.labels = labels;
    this.problem = problem;
  }

  static Shard failed(int partition, String problem) {
    return new Shard(partition, 0, 0, 0, new float[0], new float[0], problem);
  }
}
