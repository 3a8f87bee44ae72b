package dln.spark;

import java.io.Serializable;

/**
 * One partition's samples as dense host arrays: the unit a worker trains or predicts on. Built
 * once per partition from its rows ({@link ClusterData#shards}) and cached by Spark, so a round
 * reads a slice of arrays rather than decoding rows; a lost executor's shards are rebuilt from the
 * lineage. A partition with a bad row keeps no samples and a {@link #problem} the driver reports.
 *
 * <p>Rows {@code [0, trainRows)} are trained on and rows {@code [trainRows, rows)} are validation
 * samples: the tail of each partition under {@code validation_split}, every row of a
 * {@code validation_data} shard, none otherwise.
 */
final class Shard implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final int rows;
  /** The rows trained on, the first of the shard; the rest are validation samples. */
  final int trainRows;
  final int featureWidth;
  final int labelWidth;
  /** rows x featureWidth, row-major. */
  final float[] features;
  /** rows x labelWidth, row-major (empty when the data has no labels). */
  final float[] labels;
  /** The first bad row, described for the user (null when the shard is usable). */
  final String problem;

  Shard(int partition, int rows, int featureWidth, int labelWidth, float[] features, float[] labels, String problem) {
    this(partition, rows, rows, featureWidth, labelWidth, features, labels, problem);
  }

  private Shard(int partition, int rows, int trainRows, int featureWidth, int labelWidth, float[] features, float[] labels,
      String problem) {
    this.partition = partition;
    this.rows = rows;
    this.trainRows = trainRows;
    this.featureWidth = featureWidth;
    this.labelWidth = labelWidth;
    this.features = features;
    this.labels = labels;
    this.problem = problem;
  }

  /**
   * The same samples with the last {@code floor(rows * fraction)} set aside for validation (Keras's
   * validation_split, per partition); fraction 1 makes every row a validation sample.
   */
  Shard withValidationTail(double fraction) {
    int validation = (int) Math.floor(rows * fraction);
    return new Shard(partition, rows, rows - validation, featureWidth, labelWidth, features, labels, problem);
  }

  int validationRows() {
    return rows - trainRows;
  }

  static Shard failed(int partition, String problem) {
    return new Shard(partition, 0, 0, 0, new float[0], new float[0], problem);
  }
}
