package dln.stdlib.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dln.runtime.DlnRuntimeException;
import dln.stdlib.data.Sequences.End;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** pad_sequences against the values Keras's keras.utils.pad_sequences gives the same calls. */
class SequencesTest {
  private static final List<double[]> SEQS = List.of(new double[] {1, 2, 3}, new double[] {4, 5}, new double[] {}, new double[] {6, 7, 8, 9, 10});

  private static long[][] rows(INDArray x) {
    return x.toLongMatrix();
  }

  @Test
  void defaultsPadAndTruncateAtTheStartToTheLongestAsInt32() {
    INDArray x = Sequences.pad(SEQS, null, DataType.INT, End.PRE, End.PRE, 0);
    assertEquals(DataType.INT, x.dataType());
    assertArrayEquals(new long[][] {{0, 0, 1, 2, 3}, {0, 0, 0, 4, 5}, {0, 0, 0, 0, 0}, {6, 7, 8, 9, 10}}, rows(x));
  }

  @Test
  void postPaddingAndPreTruncationKeepTheLastValues() {
    // keras.utils.pad_sequences(seqs, maxlen=3, padding='post') -> [[1,2,3],[4,5,0],[0,0,0],[8,9,10]]
    INDArray x = Sequences.pad(SEQS, 3, DataType.INT, End.POST, End.PRE, 0);
    assertArrayEquals(new long[][] {{1, 2, 3}, {4, 5, 0}, {0, 0, 0}, {8, 9, 10}}, rows(x));
  }

  @Test
  void postTruncationKeepsTheFirstValuesAndValueFills() {
    // keras.utils.pad_sequences(seqs, maxlen=2, truncating='post', value=-1) -> [[1,2],[4,5],[-1,-1],[6,7]]
    INDArray x = Sequences.pad(SEQS, 2, DataType.INT, End.PRE, End.POST, -1);
    assertArrayEquals(new long[][] {{1, 2}, {4, 5}, {-1, -1}, {6, 7}}, rows(x));
  }

  @Test
  void theDtypeCastsTheValuesAsNumpyDoes() {
    List<double[]> halves = List.of(new double[] {0.5, 1.5}, new double[] {2.7});
    assertArrayEquals(new long[][] {{0, 1}, {0, 2}}, rows(Sequences.pad(halves, null, DataType.INT, End.PRE, End.PRE, 0)));
    INDArray f = Sequences.pad(halves, null, DataType.FLOAT, End.POST, End.PRE, 0.25);
    assertEquals(DataType.FLOAT, f.dataType());
    assertEquals(0.25, f.getDouble(1, 1), 0);
    assertEquals(2.7, f.getDouble(1, 0), 1e-6);
  }

  @Test
  void maxlenZeroAndNoSequences() {
    assertArrayEquals(new long[] {4, 0}, Sequences.pad(SEQS, 0, DataType.INT, End.PRE, End.PRE, 0).shape());
    assertArrayEquals(new long[] {0, 0}, Sequences.pad(List.of(), null, DataType.INT, End.PRE, End.PRE, 0).shape());
  }

  @Test
  void anUnknownEndIsKerasError() {
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> End.of("middle", "Padding"));
    assertEquals("Padding type \"middle\" not understood", e.getMessage().replaceFirst("^value error: ", ""));
  }

  /** Sequences of 2-vectors (lengths 3, 1, 0, 4) as Keras takes them: each step a row of {@code values}. */
  private static final List<Sequences.Steps> VECTORS = List.of(
      new Sequences.Steps(3, new long[] {2}, new double[] {1, 2, 3, 4, 5, 6}),
      new Sequences.Steps(1, new long[] {2}, new double[] {7, 8}),
      new Sequences.Steps(0, new long[0], new double[0]),
      new Sequences.Steps(4, new long[] {2}, new double[] {9, 10, 11, 12, 13, 14, 15, 16}));

  /** The values Keras gives, from pad_vectors_reference.py (Keras's algorithm in NumPy). */
  @Test
  void sequencesOfVectorsPadToSamplesStepsFeatures() {
    INDArray x = Sequences.padSteps(VECTORS, null, DataType.INT, End.PRE, End.PRE, 0);
    assertEquals(DataType.INT, x.dataType());
    assertArrayEquals(new long[] {4, 4, 2}, x.shape());
    assertArrayEquals(new long[] {0, 0, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 0, 0, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0, 9, 10, 11, 12, 13, 14, 15, 16},
        x.reshape(-1).toLongVector());
    assertArrayEquals(new long[] {3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 13, 14, 15, 16},
        Sequences.padSteps(VECTORS, 2, DataType.INT, End.POST, End.PRE, 0).reshape(-1).toLongVector());
    assertArrayEquals(new long[] {1, 2, 3, 4, 5, 6, -1, -1, -1, -1, 7, 8, -1, -1, -1, -1, -1, -1, 9, 10, 11, 12, 13, 14},
        Sequences.padSteps(VECTORS, 3, DataType.INT, End.PRE, End.POST, -1).reshape(-1).toLongVector());
  }

  @Test
  void aSequenceWithOtherSamplesIsKerasError() {
    List<Sequences.Steps> mixed = List.of(new Sequences.Steps(1, new long[] {2}, new double[] {1, 2}),
        new Sequences.Steps(1, new long[] {3}, new double[] {3, 4, 5}));
    DlnRuntimeException e = assertThrows(DlnRuntimeException.class, () -> Sequences.padSteps(mixed, null, DataType.INT, End.PRE, End.PRE, 0));
    assertEquals("Shape of sample (3,) of sequence at position 1 is different from expected shape (2,)",
        e.getMessage().replaceFirst("^value error: ", ""));
  }
}
