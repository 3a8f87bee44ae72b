package dln.stdlib.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ConvPicturesTest {
  @Test
  void filtersAreOnePicturePerOutputChannel() {
    // [kh=2, kw=2, in=2, out=3]: kernel[r, c, i, o] = 10*o + (r*2 + c) + i
    INDArray k = Nd4j.zeros(2, 2, 2, 3);
    for (int r = 0; r < 2; r++) for (int c = 0; c < 2; c++) for (int i = 0; i < 2; i++) for (int o = 0; o < 3; o++) {
      k.putScalar(new long[] {r, c, i, o}, 10 * o + (r * 2 + c) + i);
    }
    List<GreyImage> pics = ConvPictures.filters(k);
    assertEquals(3, pics.size());
    // Mean over inputs is (r*2+c) + 0.5 + 10*o, then stretched min..max: 0, 1/3, 2/3, 1.
    for (GreyImage p : pics) assertArrayEquals(new double[] {0, 1 / 3.0, 2 / 3.0, 1}, p.levels(), 1e-9);
    assertThrows(DlnRuntimeException.class, () -> ConvPictures.filters(Nd4j.zeros(3, 3)));
  }

  @Test
  void featureMapsSplitChannels() {
    INDArray a = Nd4j.zeros(1, 2, 3, 2);
    a.putScalar(new long[] {0, 0, 0, 0}, 5);
    a.putScalar(new long[] {0, 1, 2, 1}, -1);
    List<GreyImage> maps = ConvPictures.featureMaps(a);
    assertEquals(2, maps.size());
    assertEquals(2, maps.get(0).rows());
    assertEquals(3, maps.get(0).cols());
    assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0}, maps.get(0).levels(), 1e-9);
    assertArrayEquals(new double[] {1, 1, 1, 1, 1, 0}, maps.get(1).levels(), 1e-9);
    assertThrows(DlnRuntimeException.class, () -> ConvPictures.featureMaps(Nd4j.zeros(2, 4, 4, 3)));
  }

  @Test
  void filterGridMatchesGolden() {
    INDArray k = Nd4j.zeros(3, 3, 1, 4);
    for (int o = 0; o < 4; o++) for (int r = 0; r < 3; r++) for (int c = 0; c < 3; c++) {
      // vertical edge, horizontal edge, diagonal, centre spot
      double v = switch (o) {
        case 0 -> c - 1;
        case 1 -> r - 1;
        case 2 -> r == c ? 1 : 0;
        default -> r == 1 && c == 1 ? 1 : 0;
      };
      k.putScalar(new long[] {r, c, 0, o}, v);
    }
    List<GreyImage> pics = ConvPictures.filters(k);
    int scale = ConvPictures.terminalScale(pics.get(0));
    List<GreyImage> big = pics.stream().map(p -> p.scaled(scale)).toList();
    Golden.check("filters_plain", ImageView.renderGrid(big, ConvPictures.indexLabels(4), 60, ColorMode.OFF));
  }
}
