package dln.stdlib.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dln.runtime.DlnRuntimeException;
import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ImageViewTest {
  /** An 8x6 "7" in 0..255 pixel values. */
  static final double[][] SEVEN = {
    {0, 0, 0, 0, 0, 0},
    {0, 255, 255, 255, 255, 0},
    {0, 0, 0, 0, 200, 0},
    {0, 0, 0, 180, 0, 0},
    {0, 0, 0, 160, 0, 0},
    {0, 0, 120, 0, 0, 0},
    {0, 0, 64, 0, 0, 0},
    {0, 0, 0, 0, 0, 0},
  };

  static GreyImage seven() {
    return GreyImage.of(SEVEN, GreyImage.Scaling.AUTO);
  }

  @Test
  void scalingRules() {
    // 0..255 pixels are divided by 255.
    assertEquals(1.0, seven().at(1, 1), 1e-12);
    assertEquals(64 / 255.0, seven().at(6, 2), 1e-12);
    // 0..1 values stay as they are.
    GreyImage unit = GreyImage.of(new double[][] {{0.25, 0.5}}, GreyImage.Scaling.AUTO);
    assertArrayEquals(new double[] {0.25, 0.5}, unit.levels(), 1e-12);
    // Negative values are stretched min..max.
    GreyImage signed = GreyImage.of(new double[][] {{-2, 0, 2}}, GreyImage.Scaling.AUTO);
    assertArrayEquals(new double[] {0, 0.5, 1}, signed.levels(), 1e-12);
    // MIN_MAX always stretches.
    assertArrayEquals(new double[] {0, 1}, GreyImage.of(new double[][] {{0.25, 0.5}}, GreyImage.Scaling.MIN_MAX).levels(), 1e-12);
  }

  @Test
  void plainRenderingMatchesGolden() {
    String text = ImageView.render(seven(), ColorMode.OFF);
    assertEquals(4, text.split("\n").length, "two pixel rows per line");
    Golden.check("seven_plain", text);
  }

  @Test
  void colourRenderingUsesHalfBlocksAndGreyCodes() {
    String ansi = ImageView.render(seven(), ColorMode.ANSI_256);
    Golden.check("seven_256", ansi.replace("\u001b", "\\e"));
    assertTrue(ansi.contains("▀"));
    // Line 0 pairs pixel rows 0 and 1: black top (16) over the white bar (231) from column 1.
    assertTrue(ansi.startsWith("\u001b[38;5;16m\u001b[48;5;16m▀\u001b[48;5;231m▀"));
    String truecolor = ImageView.render(seven(), ColorMode.TRUE_COLOR);
    assertTrue(truecolor.contains("\u001b[48;2;255;255;255m"));
    for (String line : truecolor.split("\n")) {
      assertEquals(6, line.replaceAll("\u001b\\[[0-9;]*m", "").length());
      assertTrue(line.endsWith(ColorMode.RESET));
    }
  }

  @Test
  void gridWithLabelsMatchesGolden() {
    INDArray batch = Nd4j.zeros(5, 8, 6);
    for (int i = 0; i < 5; i++) {
      for (int r = 0; r < 8; r++) for (int c = 0; c < 6; c++) batch.putScalar(new long[] {i, r, c}, SEVEN[r][(c + i) % 6]);
    }
    List<GreyImage> images = GreyImage.batch(batch, GreyImage.Scaling.AUTO);
    assertEquals(5, images.size());
    String text = ImageView.renderGrid(images, List.of("7", "1", "2", "three", "4"), 26, ColorMode.OFF);
    Golden.check("grid_plain", text);
    assertThrows(DlnRuntimeException.class, () -> ImageView.renderGrid(images, List.of("a"), 80, ColorMode.OFF));
  }

  @Test
  void batchShapes() {
    assertEquals(1, GreyImage.batch(Nd4j.zeros(28, 28), GreyImage.Scaling.AUTO).size());
    assertEquals(1, GreyImage.batch(Nd4j.zeros(28, 28, 1), GreyImage.Scaling.AUTO).size());
    assertEquals(1, GreyImage.batch(Nd4j.zeros(784), GreyImage.Scaling.AUTO).size());
    assertEquals(16, GreyImage.batch(Nd4j.zeros(16, 784), GreyImage.Scaling.AUTO).size());
    assertEquals(16, GreyImage.batch(Nd4j.zeros(16, 28, 28), GreyImage.Scaling.AUTO).size());
    List<GreyImage> nhwc = GreyImage.batch(Nd4j.zeros(4, 28, 28, 1), GreyImage.Scaling.AUTO);
    assertEquals(4, nhwc.size());
    assertEquals(28, nhwc.get(0).rows());
    assertEquals(28, GreyImage.of(Nd4j.zeros(784), GreyImage.Scaling.AUTO).cols());
    assertThrows(DlnRuntimeException.class, () -> GreyImage.of(Nd4j.zeros(10), GreyImage.Scaling.AUTO));
    assertThrows(DlnRuntimeException.class, () -> GreyImage.batch(Nd4j.zeros(1, 2, 3, 4, 5), GreyImage.Scaling.AUTO));
  }

  @Test
  void singlePngIsUpscaled(@TempDir Path dir) throws Exception {
    GreyImage digit = GreyImage.of(Nd4j.rand(28, 28).muli(255), GreyImage.Scaling.AUTO);
    assertEquals(4, ImageView.autoScale(digit));
    Path file = dir.resolve("digit.png");
    ImageView.save(digit, file, ImageView.autoScale(digit));
    BufferedImage img = ImageIO.read(file.toFile());
    assertEquals(112, img.getWidth());
    assertEquals(112, img.getHeight());
    // Nearest-neighbour: every 4x4 block is one grey.
    assertEquals(img.getRGB(0, 0), img.getRGB(3, 3));
    assertTrue(PictureChecks.distinctColours(img) > 50);
  }

  @Test
  void mnistGridPng(@TempDir Path dir) throws Exception {
    INDArray digits = mnistOrSynthetic(16);
    List<GreyImage> images = GreyImage.batch(digits, GreyImage.Scaling.AUTO);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 16; i++) labels.add("#" + i);
    Path file = dir.resolve("digits.png");
    ImageView.saveGrid(images, labels, file, 0, 3);
    BufferedImage img = ImageIO.read(file.toFile());
    // 4 x 4 grid of 84-pixel cells, 4-pixel gaps, 18-pixel label strips.
    assertEquals(4 + 4 * (84 + 4), img.getWidth());
    assertEquals(4 + 4 * (84 + 18 + 4), img.getHeight());
    assertTrue(PictureChecks.distinctColours(img) > 30);
    PictureChecks.keep("digits.png", file);
    // The terminal view of a real digit has ink in the middle and blank borders.
    String text = ImageView.render(images.get(0), ColorMode.OFF);
    String[] lines = text.split("\n");
    assertEquals(14, lines.length);
    assertEquals(" ".repeat(28), lines[0]);
    assertTrue(lines[7].contains("█") || lines[7].contains("▓"), text);
  }

  /** The first n MNIST test digits [n, 28, 28] (0..255) when the data is here, else blobs. */
  static INDArray mnistOrSynthetic(int n) throws IOException {
    Path data = dln.runtime.DataDir.fromEnvironment();
    Path images = data.resolve("mnist").resolve("t10k-images-idx3-ubyte.gz");
    INDArray out = Nd4j.zeros(n, 28, 28);
    if (Files.exists(images)) {
      try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(images)))) {
        in.readInt();
        in.readInt();
        in.readInt();
        in.readInt();
        for (int i = 0; i < n; i++) {
          for (int p = 0; p < 784; p++) out.putScalar(new long[] {i, p / 28, p % 28}, in.readUnsignedByte());
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        for (int r = 6; r < 22; r++) for (int c = 10 + i % 5; c < 16 + i % 5; c++) out.putScalar(new long[] {i, r, c}, 40 + 13 * i + r);
      }
    }
    return out;
  }
}
