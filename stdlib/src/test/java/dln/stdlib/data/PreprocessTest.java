package dln.stdlib.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PreprocessTest {
  private static INDArray t(float[] v, long... shape) {
    return Nd4j.create(v, shape, 'c');
  }

  @Test
  void oneHotEncodesAndChecks() {
    INDArray y = Preprocess.oneHot(t(new float[] {2, 0, 1}, 3), 4);
    assertArrayEquals(new long[] {3, 4}, y.shape());
    assertArrayEquals(new float[] {0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0}, y.data().asFloat());
    assertArrayEquals(new long[] {3, 3}, Preprocess.oneHot(t(new float[] {2, 0, 1}, 3, 1), 0).shape(), "classes inferred");
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Preprocess.oneHot(t(new float[] {1, 12}, 2), 10));
    assertEquals("one_hot(): label 12 at index 1 is out of range for 10 classes (0..9)", e.getMessage());
    assertEquals("pass classes=13 or more if that label is right", e.hint());
    assertEquals("one_hot(): label -1 at index 0 is out of range for 10 classes (0..9)",
        assertThrows(DlnRuntimeException.class, () -> Preprocess.oneHot(t(new float[] {-1}, 1), 10)).getMessage());
    assertEquals("one_hot(): label 1.5 at index 0 is not a whole number",
        assertThrows(DlnRuntimeException.class, () -> Preprocess.oneHot(t(new float[] {1.5f}, 1), 10)).getMessage());
    e = assertThrows(DlnRuntimeException.class, () -> Preprocess.oneHot(Nd4j.zeros(3, 4), 4));
    assertEquals("one_hot() needs class indices of shape [n] or [n, 1], got [3, 4]", e.getMessage());
  }

  @Test
  void normalizePerFeatureAndGlobal() {
    INDArray x = t(new float[] {1, 10, 3, 20, 5, 20}, 3, 2);
    assertArrayEquals(new float[] {0, 0, 0.5f, 1, 1, 1}, Preprocess.normalize(x, 0).data().asFloat(), 1e-6f);
    assertArrayEquals(new float[] {0, 9 / 19f, 2 / 19f, 1, 4 / 19f, 1}, Preprocess.normalize(x, null).data().asFloat(), 1e-6f);
    assertArrayEquals(new float[] {0, 1, 0, 1, 0, 1}, Preprocess.normalize(x, -1).data().asFloat(), 1e-6f);
    assertArrayEquals(new float[] {0, 0}, Preprocess.normalize(t(new float[] {7, 7}, 2, 1), 0).data().asFloat(), "constant column -> 0");
    assertArrayEquals(new float[] {1, 10, 3, 20, 5, 20}, x.data().asFloat(), "input untouched");
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Preprocess.normalize(x, 2));
    assertEquals("normalize(): axis 2 does not exist for a tensor of shape [3, 2] (rank 2)", e.getMessage());
  }

  @Test
  void standardizeGivesZeroMeanUnitStd() {
    INDArray x = t(new float[] {1, 10, 3, 20, 5, 30}, 3, 2);
    INDArray s = Preprocess.standardize(x, 0);
    double sd = Math.sqrt(8.0 / 3);
    assertArrayEquals(new float[] {(float) (-2 / sd), (float) (-10 / Math.sqrt(200.0 / 3)), 0, 0, (float) (2 / sd), (float) (10 / Math.sqrt(200.0 / 3))},
        s.data().asFloat(), 1e-5f);
    assertEquals(DataType.FLOAT, Preprocess.standardize(Nd4j.create(new double[] {1, 2}), null).dataType());
  }

  @Test
  void shuffleKeepsPairsTogether() {
    INDArray x = Nd4j.arange(0, 20).castTo(DataType.FLOAT).reshape(10, 2);
    INDArray y = Nd4j.arange(0, 10).castTo(DataType.FLOAT);
    XY s = Preprocess.shuffle(x, y, 3L);
    assertNotEquals(x, s.x());
    float[] sorted = s.y().toFloatVector().clone();
    Arrays.sort(sorted);
    assertArrayEquals(y.toFloatVector(), sorted);
    for (int i = 0; i < 10; i++) assertEquals(2 * s.y().getFloat(i), s.x().getFloat(i, 0));
    assertEquals(s.x(), Preprocess.shuffle(x, y, 3L).x(), "same seed, same order");
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Preprocess.shuffle(x, Nd4j.zeros(DataType.FLOAT, 9), 1L));
    assertEquals("shuffle(): x has 10 samples (shape [10, 2]) but y has 9 (shape [9])", e.getMessage());
  }

  @Test
  void shuffleWorksOnViewsAndImages() {
    INDArray imgs = Nd4j.arange(0, 5 * 2 * 3).castTo(DataType.FLOAT).reshape(5, 2, 3);
    XY s = Preprocess.shuffle(imgs, null, 1L);
    for (int i = 0; i < 5; i++) {
      int src = (int) (s.x().getFloat(i, 0, 0) / 6);
      assertEquals(imgs.slice(src), s.x().slice(i));
    }
    INDArray view = Nd4j.arange(0, 12).castTo(DataType.FLOAT).reshape(4, 3).getColumn(1);
    float[] sorted = Preprocess.shuffle(view, null, 2L).x().toFloatVector().clone();
    Arrays.sort(sorted);
    assertArrayEquals(new float[] {1, 4, 7, 10}, sorted);
  }

  @Test
  void trainTestSplitSizesAndDisjointness() {
    INDArray x = Nd4j.arange(0, 100).castTo(DataType.FLOAT).reshape(100, 1);
    INDArray y = Nd4j.arange(0, 100).castTo(DataType.FLOAT);
    TrainTest s = Preprocess.trainTestSplit(x, y, 0.2, 7L);
    assertEquals(80, s.train().x().size(0));
    assertEquals(20, s.test().x().size(0));
    assertEquals(20, s.test().y().size(0));
    float[] all = new float[100];
    System.arraycopy(s.train().y().toFloatVector(), 0, all, 0, 80);
    System.arraycopy(s.test().y().toFloatVector(), 0, all, 80, 20);
    Arrays.sort(all);
    assertArrayEquals(y.toFloatVector(), all, "every sample lands in exactly one split");
    assertEquals(30, Preprocess.trainTestSplit(x, y, 30, 7L).test().x().size(0));
    assertEquals("train_test_split(): test=1.5 must be a fraction between 0 and 1 (e.g. 0.2) or a number of samples",
        assertThrows(DlnRuntimeException.class, () -> Preprocess.trainTestSplit(x, y, 1.5, 1L)).getMessage());
    assertEquals("train_test_split(): test=100 of 100 samples leaves 0 for training and 100 for testing; both need at least one",
        assertThrows(DlnRuntimeException.class, () -> Preprocess.trainTestSplit(x, y, 100, 1L)).getMessage());
  }
}
