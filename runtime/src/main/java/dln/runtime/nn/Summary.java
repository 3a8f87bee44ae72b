package dln.runtime.nn;

import dln.runtime.Shapes;
import dln.runtime.nn.InputLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders Keras's {@code model.summary()} table. */
final class Summary {
  private Summary() {}

  static Model.SummaryTable table(Model model) {
    return table(model, false);
  }

  /** The summary's cells: what both the text table and a notebook's HTML table show. */
  static Model.SummaryTable table(Model model, boolean showTrainable) {
    boolean connections = model.showsConnections();
    List<String[]> rows = new ArrayList<>();
    if (!connections && subclassBody(model) instanceof ScriptedLayer body) {
      // A subclassed model: Keras shows the layers it tracks, not the one layer DLN runs it as.
      long listed = 0;
      for (var row : body.summaryRows()) {
        Layer l = row.getKey();
        long params = l.isBuilt() ? l.countParams() : 0;
        listed += params;
        rows.add(new String[] {l.name() + " (" + l.typeName() + ")", row.getValue() == null ? "?" : Shapes.format(row.getValue()),
            Long.toString(params), "", trainableMark(l, params)});
      }
      long own = model.countParams() - listed;
      if (own != 0) {
        rows.add(new String[] {body.name() + " (" + body.typeName() + ", own weights)", "", Long.toString(own), "", trainableMark(body, own)});
      }
    }
    for (Node node : rows.isEmpty() ? model.nodes() : List.<Node>of()) {
      Layer l = node.layer();
      if (!connections && l instanceof InputLayer) continue;
      String outShape;
      if (l instanceof InputLayer) {
        outShape = "[" + Shapes.format(node.outputs().get(0).shape()) + "]";
      } else {
        List<long[]> shapes = new ArrayList<>();
        for (SymbolicTensor t : node.outputs()) shapes.add(t.shape());
        outShape = Shapes.format(shapes);
      }
      List<String> refs = new ArrayList<>();
      for (SymbolicTensor t : node.inputs()) refs.add("'" + t.reference() + "'");
      rows.add(new String[] {
          l.name() + " (" + l.typeName() + ")", outShape, Long.toString(l.countParams()),
          "[" + String.join(", ", refs) + "]", trainableMark(l, l.countParams())});
    }
    int columns = connections ? 4 : 3;
    List<String> header = new ArrayList<>(List.of("Layer (type)", "Output Shape", "Param #", "Connected to").subList(0, columns));
    if (showTrainable) header.add("Trainable");
    List<List<String>> cells = new ArrayList<>();
    for (String[] r : rows) {
      List<String> row = new ArrayList<>(List.of(r).subList(0, columns));
      if (showTrainable) row.add(r[4]);
      cells.add(row);
    }
    return new Model.SummaryTable(model.name(), header, cells, model.countParams(), model.countTrainableParams());
  }

  /** The Trainable column's cell: Y, N, or - for a layer without weights. */
  private static String trainableMark(Layer l, long params) {
    return params == 0 ? "-" : l.isTrainable() ? "Y" : "N";
  }

  /** The body of a built subclassed model that tracks layers (a Sequential of that one body), else null. */
  private static Layer subclassBody(Model model) {
    if (model.layers().size() != 1 || !(model.layers().get(0) instanceof ScriptedLayer s) || !s.isModelBody()) return null;
    return s.isBuilt() && !s.summaryRows().isEmpty() ? s : null;
  }

  static String render(Model model, Model.SummaryTable table) {
    boolean connections = table.header().contains("Connected to");
    String[] header = table.header().toArray(new String[0]);
    List<String[]> rows = new ArrayList<>();
    for (List<String> r : table.rows()) rows.add(r.toArray(new String[0]));
    int columns = header.length;
    int[] widths = java.util.Arrays.copyOf(connections ? new int[] {31, 25, 12, 30} : new int[] {28, 26, 11}, columns);
    if (columns > (connections ? 4 : 3)) widths[columns - 1] = 11; // the Trainable column
    for (String[] r : rows) {
      for (int c = 0; c < columns; c++) widths[c] = Math.max(widths[c], r[c].length() + 2);
    }
    int total = 0;
    for (int c = 0; c < columns; c++) total += widths[c];
    StringBuilder sb = new StringBuilder();
    sb.append("Model: \"").append(model.name()).append("\"\n");
    sb.append("_".repeat(total)).append('\n');
    appendRow(sb, header, widths, columns);
    sb.append("=".repeat(total)).append('\n');
    for (int i = 0; i < rows.size(); i++) {
      appendRow(sb, rows.get(i), widths, columns);
      if (i < rows.size() - 1) sb.append(" ".repeat(total).stripTrailing()).append('\n');
    }
    sb.append("=".repeat(total)).append('\n');
    long all = table.totalParams();
    long trainable = table.trainableParams();
    sb.append("Total params: ").append(grouped(all)).append('\n');
    sb.append("Trainable params: ").append(grouped(trainable)).append('\n');
    sb.append("Non-trainable params: ").append(grouped(all - trainable)).append('\n');
    sb.append("_".repeat(total)).append('\n');
    return sb.toString();
  }

  private static void appendRow(StringBuilder sb, String[] cells, int[] widths, int columns) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < columns; c++) {
      String cell = " " + cells[c];
      line.append(cell);
      if (c < columns - 1) line.append(" ".repeat(Math.max(1, widths[c] - cell.length())));
    }
    sb.append(line.toString().stripTrailing()).append('\n');
  }

  /** 669706 -> "669,706". */
  static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
