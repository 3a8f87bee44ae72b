package dln.runtime.train;

import dln.runtime.Shapes;
import dln.runtime.nn.Model;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The fast engine of a model with an input axis of unknown size ({@code Input(shape=(None,))}: text
 * of any length, images of any size): one engine per concrete shape of the data, built on first use
 * and kept for the next batch of that shape, as Keras traces one graph per input signature. A fast
 * plan is compiled for fixed shapes (its buffers sized by them); the weights, the optimiser's state
 * and the moving statistics live on the model, so every per-shape engine trains the same model.
 * ({@link SameDiffEngine} keeps its graphs per shape itself.)
 */
public final class PerShapeEngine implements TrainingEngine {
  /** Shapes kept at once: text in many lengths would otherwise keep a graph and its buffers per length. */
  static final int MAX_SHAPES = 16;

  private final int version;
  private final Function<List<long[]>, TrainingEngine> create;
  private final Map<String, TrainingEngine> engines = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TrainingEngine> eldest) {
      return size() > MAX_SHAPES;
    }
  };
  private TrainingEngine last;

  /**
   * @param create the engine for inputs of the given shapes (batch axis first, unknown; every other
   *     axis known)
   */
  public PerShapeEngine(Model model, Function<List<long[]>, TrainingEngine> create) {
    this.version = model.version();
    this.create = create;
  }

  /** The engine for these inputs' shapes, built when this shape is new. */
  private TrainingEngine engineFor(List<INDArray> x) {
    List<long[]> shapes = new ArrayList<>();
    for (INDArray a : x) shapes.add(Shapes.withBatchSize(a.shape(), Shapes.UNKNOWN));
    last = engines.computeIfAbsent(Shapes.format(shapes), k -> create.apply(shapes));
    return last;
  }

  /** The engine that ran the last batch, or null before the first. */
  public TrainingEngine lastEngine() {
    return last;
  }

  /** How many per-shape engines are kept (tests check that a shape seen before reuses its engine). */
  public int shapesKept() {
    return engines.size();
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public StepResult trainStep(List<INDArray> x, List<INDArray> y, INDArray sampleWeights, int epoch) {
    return engineFor(x).trainStep(x, y, sampleWeights, epoch);
  }

  @Override
  public StepResult evaluate(List<INDArray> x, List<INDArray> y) {
    return engineFor(x).evaluate(x, y);
  }

  @Override
  public List<INDArray> predict(List<INDArray> x) {
    return engineFor(x).predict(x);
  }

  @Override
  public List<INDArray> predictTransient(List<INDArray> x) {
    return engineFor(x).predictTransient(x);
  }
}
