package dln.jupyter;

import dln.runtime.nn.Model;
import dln.runtime.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The HTML a notebook shows for DLN values: model summaries as tables, tensors as compact grids. */
final class Html {
  /** Cells shown along each axis of a big tensor at each end, as numpy's summary shows 3. */
  static final int EDGE = 3;
  /** An axis this long or shorter is shown whole. */
  static final int WHOLE = 12;

  private Html() {}

  static String escape(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Keras's summary as an HTML table: one row per layer, then the parameter counts. */
  static String summary(Model.SummaryTable t) {
    StringBuilder sb = new StringBuilder("<div class=\"dln-summary\"><b>Model: &quot;").append(escape(t.name()))
        .append("&quot;</b><table><thead><tr>");
    for (String h : t.header()) sb.append("<th style=\"text-align:left\">").append(escape(h)).append("</th>");
    sb.append("</tr></thead><tbody>");
    for (List<String> row : t.rows()) {
      sb.append("<tr>");
      for (int c = 0; c < row.size(); c++) {
        String align = t.header().get(c).startsWith("Param") ? "right" : "left";
        sb.append("<td style=\"text-align:").append(align).append("\"><code>").append(escape(row.get(c))).append("</code></td>");
      }
      sb.append("</tr>");
    }
    sb.append("</tbody></table>");
    sb.append(String.format(Locale.ROOT, "Total params: %,d<br>Trainable params: %,d<br>Non-trainable params: %,d",
        t.totalParams(), t.trainableParams(), t.totalParams() - t.trainableParams()));
    return sb.append("</div>").toString();
  }

  /**
   * A tensor: its shape and dtype, then (rank 0 to 2) a grid of its values with the middle of long
   * axes left out, or (higher ranks) the summarised text; never more than a few hundred cells.
   */
  static String tensor(INDArray t) {
    StringBuilder sb = new StringBuilder("<div class=\"dln-tensor\"><small>tensor shape=(")
        .append(escape(Tensors.shapeString(t.shape()))).append(") dtype=").append(escape(Tensors.dtypeName(t.dataType())))
        .append("</small>");
    int rank = t.rank();
    if (rank > 2 || t.length() == 0) {
      return sb.append("<pre>").append(escape(Tensors.format(t))).append("</pre></div>").toString();
    }
    if (rank == 0) return sb.append("<pre>").append(escape(cell(t, t.getDouble(0)))).append("</pre></div>").toString();
    long rows = rank == 2 ? t.size(0) : 1;
    long cols = rank == 2 ? t.size(1) : t.size(0);
    List<Long> rs = shown(rows), cs = shown(cols);
    sb.append("<table style=\"font-family:monospace\">");
    for (Long r : rs) {
      sb.append("<tr>");
      for (Long c : cs) {
        sb.append("<td style=\"text-align:right\">");
        if (r == null || c == null) sb.append("&hellip;");
        else sb.append(escape(cell(t, rank == 2 ? t.getDouble(r, c) : t.getDouble(c))));
        sb.append("</td>");
      }
      sb.append("</tr>");
    }
    return sb.append("</table></div>").toString();
  }

  /** The positions shown along an axis; null marks the gap. */
  private static List<Long> shown(long n) {
    List<Long> out = new ArrayList<>();
    if (n <= WHOLE) {
      for (long i = 0; i < n; i++) out.add(i);
      return out;
    }
    for (long i = 0; i < EDGE; i++) out.add(i);
    out.add(null);
    for (long i = n - EDGE; i < n; i++) out.add(i);
    return out;
  }

  private static String cell(INDArray t, double v) {
    DataType d = t.dataType();
    if (d == DataType.BOOL) return v != 0 ? "True" : "False";
    if (!d.isFPType()) return Long.toString((long) v);
    if (Double.isNaN(v)) return "nan";
    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
    return String.format(Locale.ROOT, Math.abs(v) >= 1e6 || (v != 0 && Math.abs(v) < 1e-4) ? "%.4e" : "%.4f", v);
  }
}
