package dln.spark;

import java.io.Serializable;

/**
 * What the driver learns about the data before training, from one cheap job over the shards:
 * training and validation sample counts, the widths seen, the largest partition and the first problem found. Combined with
 * {@link #merge} in a tree.
 */
final class ShardSummary implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Training rows, and the rows set aside for validation (see {@link Shard#trainRows}). */
  long rows;
  long validationRows;
  int partitions;
  int maxPartitionRows;
  int minFeatureWidth = Integer.MAX_VALUE;
  int maxFeatureWidth = -1;
  int minLabelWidth = Integer.MAX_VALUE;
  int maxLabelWidth = -1;
  String problem;

  static ShardSummary of(Shard s) {
    ShardSummary out = new ShardSummary();
    out.partitions = 1;
    out.problem = s.problem;
    if (s.rows > 0) {
      out.rows = s.trainRows;
      out.validationRows = s.validationRows();
      out.maxPartitionRows = s.trainRows;
      out.minFeatureWidth = out.maxFeatureWidth = s.featureWidth;
      out.minLabelWidth = out.maxLabelWidth = s.labelWidth;
    }
    return out;
  }

  ShardSummary merge(ShardSummary o) {
    ShardSummary out = new ShardSummary();
    out.rows = rows + o.rows;
    out.validationRows = validationRows + o.validationRows;
    out.partitions = partitions + o.partitions;
    out.maxPartitionRows = Math.max(maxPartitionRows, o.maxPartitionRows);
    out.minFeatureWidth = Math.min(minFeatureWidth, o.minFeatureWidth);
    out.maxFeatureWidth = Math.max(maxFeatureWidth, o.maxFeatureWidth);
    out.minLabelWidth = Math.min(minLabelWidth, o.minLabelWidth);
    out.maxLabelWidth = Math.max(maxLabelWidth, o.maxLabelWidth);
    out.problem = problem != null ? problem : o.problem;
    return out;
  }
}
