package dln.runtime.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dln.runtime.nn.layers.ZeroPadding2D;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** ZeroPadding2D adds rows and columns with the fill value on the given sides. */
class ZeroPadding2DTest {
  @Test
  void padsTopBottomLeftRight() {
    ZeroPadding2D pad = new ZeroPadding2D(new ZeroPadding2D.Config(new int[] {1, 0, 0, 2}, 9), null);
    INDArray x = Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {1, 2, 2, 1}, 'c');
    INDArray y = pad.call(x);
    assertArrayEquals(new long[] {1, 3, 4, 1}, y.shape());
    assertArrayEquals(new float[] {9, 9, 9, 9, 1, 2, 9, 9, 3, 4, 9, 9}, y.castTo(DataType.FLOAT).dup('c').data().asFloat(), 0f);
  }
}
