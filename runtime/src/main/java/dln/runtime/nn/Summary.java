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
    for (Node node : model.nodes()) {
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
          "[" + String.join(", ", refs) + "]", l.countParams() == 0 ? "-" : l.isTrainable() ? "Y" : "N"});
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
