package dln.stdlib.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LivePlotTest {
  static Map<String, Double> epoch(double loss, double valLoss) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", loss);
    m.put("val_loss", valLoss);
    return m;
  }

  @Test
  void interactiveRedrawsInPlace() {
    StringWriter sw = new StringWriter();
    LivePlot live = new LivePlot(new PrintWriter(sw), true, ColorMode.OFF, 30, 5);
    live.update(epoch(1.0, 1.2));
    String first = sw.toString();
    assertTrue(!first.contains("\u001b["), "the first drawing does not move the cursor");
    int lines = (int) first.chars().filter(c -> c == '\n').count();
    live.update(epoch(0.5, 0.7));
    String second = sw.toString().substring(first.length());
    assertTrue(second.startsWith("\u001b[" + lines + "A\r\u001b[J"), "moves up over the " + lines + " lines drawn");
    assertEquals(lines, second.chars().filter(c -> c == '\n').count(), "the chart keeps its height");
    live.detach();
    live.update(epoch(0.3, 0.6));
    assertTrue(!sw.toString().substring(first.length() + second.length()).startsWith("\u001b["), "after detach: a fresh chart");
  }

  @Test
  void nonInteractivePrintsOnlyTheFinalChart() {
    StringWriter sw = new StringWriter();
    LivePlot live = new LivePlot(new PrintWriter(sw), false);
    live.update(epoch(1.0, 1.2));
    live.update(epoch(0.5, 0.7));
    assertEquals("", sw.toString());
    live.finish();
    assertTrue(sw.toString().contains("val_loss"));
    assertTrue(!sw.toString().contains("\u001b["));
  }

  @Test
  void lateMetricsArePaddedWithGaps() {
    LivePlot live = new LivePlot(new PrintWriter(new StringWriter()), false);
    live.update(Map.of("loss", 1.0));
    live.update(epoch(0.5, 0.7));
    double[] val = live.history().get("val_loss");
    assertEquals(2, val.length);
    assertTrue(Double.isNaN(val[0]));
    assertEquals("[1.0, 0.5]", Arrays.toString(live.history().get("loss")));
  }
}
