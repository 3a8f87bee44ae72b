package dln.stdlib.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class LineChartTest {
  static final double[] LOSS = {2.30, 1.10, 0.72, 0.55, 0.46, 0.41, 0.38, 0.36};
  static final double[] VAL_LOSS = {1.90, 1.00, 0.80, 0.66, 0.62, 0.61, 0.63, 0.66};

  static LineChart lossChart() {
    return new LineChart().title("loss").size(40, 10)
        .add("loss", LineChart.range(1, 8), LOSS)
        .add("val_loss", LineChart.range(1, 8), VAL_LOSS);
  }

  @Test
  void twoSeriesChartMatchesGolden() {
    Golden.check("loss_chart", lossChart().render());
  }

  @Test
  void denseSeriesUseLinePatternsWithoutColour() {
    double[] sin = new double[200], cos = new double[200];
    for (int i = 0; i < 200; i++) {
      sin[i] = Math.sin(i / 20.0);
      cos[i] = Math.cos(i / 20.0);
    }
    String text = new LineChart().size(50, 8).add("sin", sin).add("cos", cos).render();
    Golden.check("sin_cos", text);
    assertTrue(text.contains("sin") && text.contains("cos"));
  }

  @Test
  void sameInputGivesSameText() {
    assertEquals(lossChart().render(), lossChart().render());
  }

  @Test
  void layoutHasRequestedSize() {
    List<String> lines = lossChart().lines();
    // title + 10 rows + axis + tick labels + legend
    assertEquals(14, lines.size());
    String axis = lines.get(11);
    assertEquals(41, axis.substring(axis.indexOf('└')).length());
    assertTrue(lines.get(1).contains("2.5") || lines.get(1).contains("2.50"), lines.get(1));
    assertTrue(lines.get(13).contains("• loss") && lines.get(13).contains("× val_loss"));
  }

  @Test
  void colourAddsAnsiCodesOnlyWhenAsked() {
    assertTrue(!lossChart().render().contains("\u001b["));
    String coloured = lossChart().color(ColorMode.ANSI_256).render();
    assertTrue(coloured.contains("\u001b[38;5;"));
    String stripped = coloured.replaceAll("\u001b\\[[0-9;]*m", "");
    assertEquals(lossChart().lines().size(), stripped.split("\n").length);
  }

  @Test
  void constantAndNanValuesDoNotBreakTheChart() {
    String flat = new LineChart().size(20, 4).add("c", new double[] {3, 3, 3}).render();
    assertTrue(flat.contains("3"));
    String gaps = new LineChart().size(20, 4).add("g", new double[] {1, Double.NaN, 2, Double.POSITIVE_INFINITY, 0}).render();
    assertTrue(gaps.contains("•"));
    assertThrows(DlnRuntimeException.class, () -> new LineChart().add("n", new double[] {Double.NaN}).render());
    assertThrows(DlnRuntimeException.class, () -> new LineChart().add("m", new double[] {1, 2}, new double[] {1}));
  }

  @Test
  void acceptsTensors() {
    String text = new LineChart().size(20, 4).add("t", Nd4j.createFromArray(1f, 4f, 9f, 16f).reshape(4, 1)).render();
    assertEquals(4, text.chars().filter(ch -> ch == '•').count() - 1, text); // 4 points + the legend
    assertThrows(DlnRuntimeException.class, () -> new LineChart().add("bad", Nd4j.ones(3, 3)));
  }

  @Test
  void historyGroupsLossAndAccuracy() {
    Map<String, double[]> h = new LinkedHashMap<>();
    h.put("loss", LOSS);
    h.put("accuracy", new double[] {0.5, 0.7, 0.8, 0.85, 0.88, 0.9, 0.91, 0.92});
    h.put("val_loss", VAL_LOSS);
    h.put("val_accuracy", new double[] {0.6, 0.72, 0.78, 0.8, 0.81, 0.81, 0.8, 0.8});
    List<LineChart> charts = Charts.history(h);
    assertEquals(2, charts.size());
    assertEquals("loss", charts.get(0).title());
    assertEquals(List.of("loss", "val_loss"), charts.get(0).series().stream().map(LineChart.Series::name).toList());
    assertEquals(List.of("accuracy", "val_accuracy"), charts.get(1).series().stream().map(LineChart.Series::name).toList());
    for (LineChart c : charts) c.size(40, 8);
    Golden.check("history", Charts.render(charts));
  }

  @Test
  void pngChartIsWrittenAtomicallyWithContent(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/loss.png");
    lossChart().savePng(file, 640, 400);
    BufferedImage img = ImageIO.read(file.toFile());
    assertEquals(640, img.getWidth());
    assertEquals(400, img.getHeight());
    assertTrue(PictureChecks.distinctColours(img) > 20, "a real chart has many colours (anti-aliasing)");
    assertTrue(PictureChecks.hasColour(img, Palette.series(0)) && PictureChecks.hasColour(img, Palette.series(1)),
        "both series are drawn in their palette colours");
    try (var files = Files.list(file.getParent())) {
      assertEquals(1, files.count(), "no temporary file is left behind");
    }
    Path out = PictureChecks.keep("loss_chart.png", file);
    assertTrue(Files.size(out) > 1000);
  }
}
