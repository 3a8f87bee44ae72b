package dln.runtime.train.fast;

import dln.runtime.nn.Model;
import dln.runtime.train.TapeModelRunner;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The fast engine's {@link TapeModelRunner}: a model call inside a tape runs as a {@link TapeCall}. */
public final class FastTapeRunner implements TapeModelRunner {
  @Override
  public Run forward(Model model, List<INDArray> xs, boolean training, Object owner) {
    return TapeCall.forward(model, xs, training, owner);
  }
}
