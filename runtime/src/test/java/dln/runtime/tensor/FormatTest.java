package dln.runtime.tensor;

import static dln.runtime.tensor.T.seq;
import static dln.runtime.tensor.T.t;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Goldens; the multi-line layouts were checked against numpy 2.4's array2string with the same options. */
class FormatTest {
  @Test
  void matrix() {
    assertEquals("tensor([[1.0000, 2.0000],\n        [3.0000, 4.0000]], shape=(2, 2), dtype=float32)",
        Tensors.format(t(List.of(List.of(1, 2), List.of(3, 4)))));
  }

  @Test
  void scalarsAndVectors() {
    assertEquals("tensor(3.0000, dtype=float32)", Tensors.format(t(3L)));
    assertEquals("tensor([1.0000], shape=(1,), dtype=float32)", Tensors.format(t(List.of(1))));
    assertEquals("tensor([], shape=(0,), dtype=float32)", Tensors.format(t(List.of())));
    assertEquals("tensor([], shape=(2, 0), dtype=float32)", Tensors.format(Tensors.zeros(2, 0)));
  }

  @Test
  void signsAlignAndNegativeZeroIsZero() {
    assertEquals("tensor([-1.5000,  0.0000, 10.0000,  0.0000], shape=(4,), dtype=float32)",
        Tensors.format(t(List.of(-1.5, -0.0, 10, -0.00001))));
  }

  @Test
  void specialValues() {
    assertEquals("tensor([ inf, -inf,  nan], shape=(3,), dtype=float32)",
        Tensors.format(Tensors.binary("/", t(List.of(1, -1, 0)), 0L)));
  }

  @Test
  void intsAndBools() {
    assertEquals("tensor([  1, -20,   3], shape=(3,), dtype=int64)",
        Tensors.format(Tensors.fromNested(List.of(1, -20, 3), DataType.LONG)));
    assertEquals("tensor([ true, false], shape=(2,), dtype=bool)", Tensors.format(t(List.of(true, false))));
    assertEquals("tensor(7, dtype=int32)", Tensors.format(Tensors.fromNested(7L, DataType.INT)));
    assertEquals("tensor(true, dtype=bool)", Tensors.format(t(true)));
  }

  @Test
  void rank3HasBlankLinesBetweenBlocks() {
    assertEquals("tensor([[[-5.0000, -4.0000, -3.0000],\n         [-2.0000, -1.0000,  0.0000]],\n\n"
            + "        [[ 1.0000,  2.0000,  3.0000],\n         [ 4.0000,  5.0000,  6.0000]]], shape=(2, 2, 3), dtype=float32)",
        Tensors.format(Tensors.binary("-", seq(2, 2, 3), 5L)));
  }

  @Test
  void longRowsWrapAt75Columns() {
    assertEquals("tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000,\n"
            + "        10.5000, 12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000,\n"
            + "        21.0000, 22.5000, 24.0000, 25.5000, 27.0000, 28.5000], shape=(20,), dtype=float32)",
        Tensors.format(Tensors.arange(0, 30, 1.5)));
  }

  @Test
  void largeTensorsAreSummarised() {
    assertEquals("tensor([   0.0000,    1.0000,    2.0000, ...,  998.0000,  999.0000,\n"
        + "        1000.0000], shape=(1001,), dtype=float32)", Tensors.format(Tensors.arange(0, 1001, 1)));
    assertEquals("tensor([[   0,    1,    2, ...,  397,  398,  399],\n"
            + "        [ 400,  401,  402, ...,  797,  798,  799],\n"
            + "        [ 800,  801,  802, ..., 1197, 1198, 1199]], shape=(3, 400), dtype=int64)",
        Tensors.format(Tensors.astype(seq(3, 400), DataType.LONG)));
    assertEquals("tensor([[   0.0000,    1.0000,    2.0000, ...,   47.0000,   48.0000,\n"
            + "           49.0000],\n"
            + "        [  50.0000,   51.0000,   52.0000, ...,   97.0000,   98.0000,\n"
            + "           99.0000],\n"
            + "        [ 100.0000,  101.0000,  102.0000, ...,  147.0000,  148.0000,\n"
            + "          149.0000],\n"
            + "        ...,\n"
            + "        [1850.0000, 1851.0000, 1852.0000, ..., 1897.0000, 1898.0000,\n"
            + "         1899.0000],\n"
            + "        [1900.0000, 1901.0000, 1902.0000, ..., 1947.0000, 1948.0000,\n"
            + "         1949.0000],\n"
            + "        [1950.0000, 1951.0000, 1952.0000, ..., 1997.0000, 1998.0000,\n"
            + "         1999.0000]], shape=(40, 50), dtype=float32)",
        Tensors.format(seq(40, 50)));
  }

  @Test
  void summarisedRank3() {
    assertEquals("tensor([[[   0.0000,    1.0000,    2.0000, ...,  197.0000,  198.0000,\n"
            + "           199.0000],\n"
            + "         [ 200.0000,  201.0000,  202.0000, ...,  397.0000,  398.0000,\n"
            + "           399.0000],\n"
            + "         [ 400.0000,  401.0000,  402.0000, ...,  597.0000,  598.0000,\n"
            + "           599.0000]],\n\n"
            + "        [[ 600.0000,  601.0000,  602.0000, ...,  797.0000,  798.0000,\n"
            + "           799.0000],\n"
            + "         [ 800.0000,  801.0000,  802.0000, ...,  997.0000,  998.0000,\n"
            + "           999.0000],\n"
            + "         [1000.0000, 1001.0000, 1002.0000, ..., 1197.0000, 1198.0000,\n"
            + "          1199.0000]]], shape=(2, 3, 200), dtype=float32)",
        Tensors.format(seq(2, 3, 200)));
  }

  @Test
  void viewsPrintTheirOwnValues() {
    assertEquals("tensor([[0.0000, 3.0000],\n        [1.0000, 4.0000],\n        [2.0000, 5.0000]], shape=(3, 2), dtype=float32)",
        Tensors.format(Tensors.transpose(seq(2, 3))));
  }
}
