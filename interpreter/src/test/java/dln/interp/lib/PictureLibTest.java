package dln.interp.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.Dln;
import dln.interp.DlnException;
import dln.interp.call.TypeTable;
import dln.interp.sandbox.Sandbox;
import java.awt.image.BufferedImage;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The picture builtins driven through the interpreter, as a script would use them. */
class PictureLibTest {
  /** Stands in for a runtime History: only its "history" attribute matters to plot(). */
  static final class FakeHistory {
    final Map<Object, Object> metrics = new LinkedHashMap<>();
  }

  /** Stands in for a Conv2D layer for show_filters: weights[0] is the kernel. */
  record FakeConv(INDArray kernel, String name) {}

  @BeforeAll
  static void declareTypes() {
    TypeTable.define(FakeHistory.class, "History").attr("history", h -> h.metrics);
    TypeTable.define(FakeConv.class, "Conv2D").attr("weights", c -> new ArrayList<Object>(List.of(c.kernel())))
        .attr("name", FakeConv::name);
  }

  final StringWriter out = new StringWriter();

  Dln dln(boolean interactive) {
    Dln d = Dln.builder().out(out).err(out).interactive(interactive).sandbox(Sandbox.unrestricted()).build();
    Globals g = new Globals();
    new PictureLib().install(g);
    g.values().forEach(d::set);
    return d;
  }

  @Test
  void plotListDrawsABrailleChart() {
    dln(false).eval("plot([3, 1, 4, 1, 5, 9, 2, 6], title='digits of pi')");
    String text = out.toString();
    assertTrue(text.contains("digits of pi"), text);
    assertTrue(text.contains("• y"), text);
    assertTrue(text.chars().anyMatch(c -> c >= 0x2801 && c <= 0x28ff), "braille dots:\n" + text);
    assertTrue(!text.contains("\u001b["), "no colour when not interactive");
  }

  @Test
  void plotColoursWhenInteractive() {
    dln(true).eval("plot([1, 2, 3], [4, 5, 6], label='line')");
    assertTrue(out.toString().contains("\u001b[38;"), out.toString());
    assertTrue(out.toString().contains("line"));
  }

  @Test
  void plotHistoryGroupsCurves() {
    Dln d = dln(false);
    FakeHistory h = new FakeHistory();
    h.metrics.put("loss", new ArrayList<Object>(List.of(1.0, 0.6, 0.4)));
    h.metrics.put("accuracy", new ArrayList<Object>(List.of(0.5, 0.7, 0.8)));
    h.metrics.put("val_loss", new ArrayList<Object>(List.of(1.1, 0.8, 0.7)));
    h.metrics.put("val_accuracy", new ArrayList<Object>(List.of(0.4, 0.6, 0.7)));
    d.set("history", h);
    d.eval("plot(history, width=40, height=6)");
    String text = out.toString();
    int lossChart = text.indexOf("• loss   × val_loss"), accChart = text.indexOf("• accuracy   × val_accuracy");
    assertTrue(lossChart > 0 && accChart > lossChart, text);
    out.getBuffer().setLength(0);
    d.eval("plot({'loss': [2, 1, 0.5]})");
    assertTrue(out.toString().contains("• loss"), out.toString());
  }

  @Test
  void plotWritesPng(@TempDir Path dir) throws Exception {
    Dln d = dln(false);
    FakeHistory h = new FakeHistory();
    h.metrics.put("loss", new ArrayList<Object>(List.of(1.0, 0.6, 0.4)));
    h.metrics.put("accuracy", new ArrayList<Object>(List.of(0.5, 0.7, 0.8)));
    d.set("history", h);
    Path file = dir.resolve("history.png");
    d.set("path", file.toString());
    d.eval("plot(history, file=path)");
    BufferedImage img = ImageIO.read(file.toFile());
    assertEquals(800, img.getWidth());
    assertEquals(720, img.getHeight(), "two stacked charts of 360 pixels");
    assertTrue(out.toString().contains("saved " + file));
  }

  @Test
  void plotRejectsNonNumbers() {
    DlnException e = assertThrows(DlnException.class, () -> dln(false).eval("plot('abc')"));
    assertTrue(e.getMessage().contains("list or tensor of numbers"), e.getMessage());
  }

  @Test
  void showAndSaveImages(@TempDir Path dir) throws Exception {
    Dln d = dln(false);
    INDArray batch = Nd4j.zeros(3, 4, 4);
    batch.putScalar(new long[] {0, 1, 1}, 255);
    d.set("x", batch);
    d.eval("show(x, labels=[7, 'two', 3.5])");
    String text = out.toString();
    assertTrue(text.contains("█") || text.contains("▒"), text);
    assertTrue(text.contains("two") && text.contains("3.5"), text);
    assertThrows(DlnException.class, () -> d.eval("show(x, labels=[1])"));
    Path file = dir.resolve("grid.png");
    d.set("path", file.toString());
    d.eval("save_image(x, path, scale=2, columns=3)");
    BufferedImage img = ImageIO.read(file.toFile());
    assertEquals(4 + 3 * (8 + 4), img.getWidth());
  }

  @Test
  void boundaryCallsTheModelOnAGrid(@TempDir Path dir) throws Exception {
    Dln d = dln(false);
    d.set("x", Nd4j.createFromArray(new float[][] {{-1f, -1f}, {1f, 1f}, {-1f, 1f}, {1f, -1f}}));
    d.set("y", Nd4j.createFromArray(0f, 1f, 0f, 1f));
    d.set("w", Nd4j.createFromArray(new float[][] {{2f}, {0f}}));
    // A DLN function as the model: positive where x0 > 0.
    d.eval("def model(g):\n    return g @ w\n");
    d.eval("boundary(model, x, y, width=20, height=6)");
    String[] lines = out.toString().split("\n");
    assertEquals(7, lines.length, out.toString());
    assertTrue(lines[2].startsWith("·") && lines[2].endsWith(" "), "left is class 0, right class 1:\n" + out);
    Path file = dir.resolve("b.png");
    d.set("path", file.toString());
    d.eval("boundary(model, x, y, file=path, size=200)");
    assertEquals(200, ImageIO.read(file.toFile()).getWidth());
  }

  @Test
  void showFiltersAndFeatureMaps() {
    Dln d = dln(false);
    INDArray kernel = Nd4j.rand(3, 3, 1, 6);
    FakeConv conv = new FakeConv(kernel, "conv1");
    d.set("conv", conv);
    d.eval("seed(1)\nmodel = Sequential([Conv2D(2, 3, input_shape=(6, 6, 1), name='conv1'), Flatten()])");
    INDArray img = Nd4j.zeros(6, 6);
    img.putScalar(2, 3, 1);
    d.set("img", img);
    d.eval("show_filters(conv)");
    String filters = out.toString();
    assertTrue(filters.contains("0") && filters.contains("5"), filters);
    out.getBuffer().setLength(0);
    d.eval("feature_maps(model, 'conv1', img)");
    String maps = out.toString();
    assertTrue(maps.contains("0") && maps.contains("1") && !maps.contains("2"), "two channels:\n" + maps);
    out.getBuffer().setLength(0);
    d.eval("feature_maps(model, 0, img)");
    assertEquals(maps, out.toString());
    out.getBuffer().setLength(0);
    d.eval("feature_maps(model, model.layers[0], img)");
    assertEquals(maps, out.toString());
    DlnException flat = assertThrows(DlnException.class, () -> d.eval("feature_maps(model, -1, img)"));
    assertEquals("layer output has shape (1, 32), not feature maps [1, height, width, channels]", flat.getMessage());
    DlnException far = assertThrows(DlnException.class, () -> d.eval("feature_maps(model, 5, img)"));
    assertEquals("index error", far.kind());
    assertEquals("the model has 2 layers; index 5 is out of range", far.getMessage());
    DlnException e = assertThrows(DlnException.class, () -> d.eval("feature_maps(model, 'dense', img)"));
    assertTrue(e.getMessage().contains("no layer named 'dense'"), e.getMessage());
    assertThrows(DlnException.class, () -> d.eval("show_filters(3)"));
  }

  @Test
  void livePlotFollowsTraining() {
    Dln d = dln(false);
    d.eval("live = LivePlot(width=30, height=5)\n"
        + "live.on_epoch_end(0, {'loss': 1.0, 'val_loss': 1.2})\n"
        + "live.update({'loss': 0.5, 'val_loss': 0.9})\n");
    assertEquals("", out.toString(), "quiet when not interactive");
    assertEquals("LivePlot(2 epochs: loss, val_loss)", dln.interp.value.Values.repr(d.get("live")));
    d.eval("live.on_train_end()");
    assertTrue(out.toString().contains("× val_loss"), out.toString());
    out.getBuffer().setLength(0);
    d.eval("plot(live)");
    assertTrue(out.toString().contains("• loss"), "a LivePlot has a history to plot again");
  }

  @Test
  void everyBuiltinHasAnExample() {
    Globals g = new Globals();
    new PictureLib().install(g);
    for (String name : List.of("plot", "show", "save_image", "boundary", "show_filters", "feature_maps", "LivePlot")) {
      String doc = ((dln.interp.call.Builtin) g.get(name)).doc();
      assertTrue(doc.contains("\nExample: "), name + " has an example line");
      assertTrue(!doc.startsWith("Example"), name + " starts with what it does");
    }
  }
}
