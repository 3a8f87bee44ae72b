package dln.stdlib.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class DecisionBoundaryTest {
  /** Positive where x > y, as a tanh score [m, 1]. */
  static final Function<INDArray, INDArray> DIAGONAL =
      g -> Transforms.tanh(g.getColumn(0).sub(g.getColumn(1)).mul(3)).reshape(g.size(0), 1);

  static INDArray points() {
    return Nd4j.createFromArray(new float[][] {{-1f, 1f}, {-0.5f, 0.8f}, {1f, -1f}, {0.6f, -0.4f}, {0f, 0.9f}, {0.9f, 0f}});
  }

  static INDArray pm1Labels() {
    return Nd4j.createFromArray(-1f, -1f, 1f, 1f, -1f, 1f);
  }

  @Test
  void plainRenderingMatchesGolden() {
    String text = new DecisionBoundary(DIAGONAL, points(), pm1Labels()).render(24, 8, ColorMode.OFF);
    Golden.check("boundary_plain", text);
    String[] lines = text.split("\n");
    // Top-left is the negative side (x < y): region '·'; bottom-right positive: region ' '.
    assertEquals('·', lines[0].charAt(3));
    assertEquals(' ', lines[7].charAt(19));
    assertTrue(lines[8].startsWith("o class -1 on '·'   x class +1 on ' '"), lines[8]);
    long os = text.chars().filter(c -> c == 'o').count(), xs = text.chars().filter(c -> c == 'x').count();
    assertTrue(os >= 3 && xs >= 3, "each point is drawn with its class marker:\n" + text);
  }

  @Test
  void colourRenderingUsesPlaygroundColours() {
    String text = new DecisionBoundary(DIAGONAL, points(), pm1Labels()).render(24, 8, ColorMode.TRUE_COLOR);
    assertTrue(text.contains("▀") && text.contains("●"));
    assertTrue(text.contains("\u001b[38;2;245;147;34m"), "orange (negative) class in the legend");
    assertTrue(text.contains("\u001b[38;2;8;119;189m"), "blue (positive) class in the legend");
  }

  @Test
  void softmaxOutputsAndOneHotLabels() {
    // Three classes by angle-free rule: class = which of x, y, 0 is largest, as logits.
    Function<INDArray, INDArray> logits = g -> Nd4j.hstack(g.getColumn(0).reshape(-1, 1), g.getColumn(1).reshape(-1, 1),
        Nd4j.zeros(g.size(0), 1)).muli(4);
    INDArray x = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}, {-1, -1}});
    INDArray y = Nd4j.createFromArray(new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});
    DecisionBoundary b = new DecisionBoundary(logits, x, y);
    DecisionBoundary.Field f = b.field(3, 3);
    // Grid centres run from top-left (x low, y high) to bottom-right.
    assertEquals(1, f.cls()[0], "top-left: y is largest");
    assertEquals(0, f.cls()[8], "bottom-right: x is largest");
    String text = b.render(12, 6, ColorMode.OFF);
    assertTrue(text.contains("+ class 2 on '-'"), text);
  }

  @Test
  void rejectsWrongShapes() {
    assertThrows(DlnRuntimeException.class, () -> new DecisionBoundary(DIAGONAL, Nd4j.zeros(4, 3), Nd4j.zeros(4)));
    assertThrows(DlnRuntimeException.class, () -> new DecisionBoundary(DIAGONAL, Nd4j.zeros(4, 2), Nd4j.zeros(3)));
    DecisionBoundary bad = new DecisionBoundary(g -> Nd4j.zeros(5), points(), pm1Labels());
    assertThrows(DlnRuntimeException.class, () -> bad.render(10, 5, ColorMode.OFF));
  }

  @Test
  void pngHasBothRegionsAndPoints(@TempDir Path dir) throws Exception {
    // A spiral-ish cloud of points for a picture worth looking at.
    int n = 120;
    float[][] pts = new float[n][2];
    float[] labels = new float[n];
    java.util.Random rnd = new java.util.Random(3);
    for (int i = 0; i < n; i++) {
      double r = rnd.nextDouble() * 5, t = rnd.nextDouble() * 2 * Math.PI;
      pts[i][0] = (float) (r * Math.cos(t));
      pts[i][1] = (float) (r * Math.sin(t));
      labels[i] = r < 2.5 ? 1 : -1;
    }
    Function<INDArray, INDArray> circle = g -> Transforms.tanh(
        g.getColumn(0).mul(g.getColumn(0)).add(g.getColumn(1).mul(g.getColumn(1))).rsub(6.25).mul(0.5)).reshape(g.size(0), 1);
    Path file = dir.resolve("boundary.png");
    new DecisionBoundary(circle, Nd4j.createFromArray(pts), Nd4j.createFromArray(labels)).savePng(file, 400);
    BufferedImage img = ImageIO.read(file.toFile());
    assertEquals(400, img.getWidth());
    assertEquals(400, img.getHeight());
    assertTrue(PictureChecks.hasColour(img, Palette.PLAYGROUND_ORANGE) && PictureChecks.hasColour(img, Palette.PLAYGROUND_BLUE),
        "points are drawn in the Playground's orange and blue");
    assertTrue(PictureChecks.distinctColours(img) > 100, "regions are shaded by sureness");
    PictureChecks.keep("boundary.png", file);
  }
}
