package dln.runtime.train;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.InputLayer;
import dln.runtime.nn.Model;
import dln.runtime.nn.Node;
import dln.runtime.Shapes;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Embedding;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Checks data against a model before the first batch, so mistakes fail at the fit call with the
 * arithmetic spelled out instead of deep inside the engine.
 */
final class DataCheck {
  private DataCheck() {}

  static void check(Model model, CompileConfig config, List<INDArray> x, List<INDArray> y, String xName, String yName) {
    checkInputs(model, x, xName);
    if (y == null) throw DlnRuntimeException.value("labels are missing", "call fit(x, y, ...)");
    List<SymbolicTensor> outs = model.outputs();
    if (y.size() != outs.size()) {
      throw DlnRuntimeException.value("the model has " + outs.size() + " output" + (outs.size() == 1 ? "" : "s") + " but " + y.size()
          + " label arrays were given", "give one label array per output");
    }
    long n = x.get(0).size(0);
    // The outputs' shapes for this data: a None axis of the inputs (a sequence's length) has its size here.
    List<long[]> outShapes = model.outputShapesForSamples(Trainer.sampleShapes(x));
    for (int i = 0; i < y.size(); i++) {
      INDArray yi = y.get(i);
      String what = y.size() == 1 ? yName : yName + "[" + i + "]";
      if (yi.rank() == 0 || yi.size(0) != n) {
        throw DlnRuntimeException.shape(
            xName + " has " + n + " samples but " + what + " has " + (yi.rank() == 0 ? "a single value" : yi.size(0) + " (shape " + Shapes.format(yi.shape()) + ")"),
            "features and labels need one row per sample");
      }
      config.loss(i, outs.size()).checkLabels(yi, outShapes.get(i), what);
    }
  }

  static void checkInputs(Model model, List<INDArray> x, String xName) {
    List<SymbolicTensor> ins = model.inputs();
    if (x.size() != ins.size()) {
      throw DlnRuntimeException.value("the model has " + ins.size() + " input" + (ins.size() == 1 ? "" : "s") + " but " + x.size()
          + " input arrays were given", "give one array per input, in the order of Model(inputs=[...])");
    }
    long n = -1;
    for (int i = 0; i < x.size(); i++) {
      INDArray xi = x.get(i);
      String what = x.size() == 1 ? xName : xName + "[" + i + "]";
      long[] expected = ins.get(i).shape();
      if (xi.rank() == 0 || !Shapes.compatibleSample(expected, xi.shape())) {
        long[] got = xi.shape();
        long[] gotSample = got.length == 0 ? got : Shapes.sample(got);
        String msg = "the model expects samples of shape " + Shapes.format(Shapes.sample(expected)) + ", but " + what + " has shape "
            + Shapes.format(got) + (got.length > 0 ? " (" + got[0] + " samples of shape " + Shapes.format(gotSample) + ")" : "");
        String hint = null;
        long want = Shapes.sampleSize(expected);
        long have = got.length == 0 ? 1 : Shapes.product(gotSample).contains("=") ? Shapes.sampleSize(got) : Shapes.sampleSize(got);
        if (got.length > 0 && want == have) {
          hint = "each sample has " + Shapes.product(gotSample) + " values, as the model expects: reshape " + what + " to "
              + Shapes.format(Shapes.withBatchSize(expected, got[0])) + (expected.length == 2 ? " or start the model with Flatten()" : "");
        } else if (got.length > 0) {
          hint = "each sample has " + Shapes.product(gotSample) + " values but the model's input takes " + Shapes.product(Shapes.sample(expected));
        }
        throw DlnRuntimeException.shape(msg, hint);
      }
      if (n >= 0 && xi.size(0) != n) {
        throw DlnRuntimeException.shape("the input arrays have different numbers of samples: " + n + " and " + xi.size(0), null);
      }
      n = xi.size(0);
    }
    checkDtypes(model, x, xName);
    checkEmbeddingIndices(model, x, xName);
  }

  /**
   * Data for an input declared with an integer or bool dtype ({@code Input(..., dtype="int32")})
   * must be values that dtype holds: the engines compute in float32, so a fraction fed to word
   * indices would otherwise be truncated silently where Keras's cast at least makes it visible.
   */
  private static void checkDtypes(Model model, List<INDArray> x, String xName) {
    for (int i = 0; i < x.size(); i++) {
      if (!(model.inputs().get(i).layer() instanceof InputLayer input)) continue;
      String dtype = input.config().dtype();
      if (dtype.startsWith("float") || x.get(i).isEmpty()) continue;
      String what = x.size() == 1 ? xName : xName + "[" + i + "]";
      INDArray xi = x.get(i);
      // x − floor(x), one temporary the size of x (in [0, 1): no abs needed to find a fraction).
      INDArray fraction = Transforms.floor(xi, true).rsubi(xi);
      int at = fraction.maxNumber().doubleValue() > 0 ? (int) fraction.argMax().getLong(0) : -1;
      if (at >= 0) {
        throw DlnRuntimeException.value(what + " holds " + xi.reshape(xi.length()).getDouble(at) + ", but input '" + input.name()
            + "' has dtype " + dtype + ", which holds whole numbers only", "round the data first, or declare the input with dtype='float32'");
      }
      double[] range = RANGES.get(dtype);
      double min = xi.minNumber().doubleValue();
      double max = xi.maxNumber().doubleValue();
      if (range != null && (min < range[0] || max > range[1])) {
        throw DlnRuntimeException.value(what + " holds " + (long) (min < range[0] ? min : max) + ", outside the range "
            + (long) range[0] + ".." + (long) range[1] + " of input '" + input.name() + "' (dtype " + dtype + ")",
            "declare the input with a wider dtype, e.g. dtype='int32'");
      }
    }
  }

  /** What each bounded integer dtype holds (int32 and int64 hold every index a float32 array can). */
  private static final java.util.Map<String, double[]> RANGES = java.util.Map.of(
      "bool", new double[] {0, 1}, "uint8", new double[] {0, 255}, "int8", new double[] {-128, 127},
      "int16", new double[] {-32768, 32767});

  /** Indices fed straight into an Embedding must be whole numbers within its vocabulary. */
  private static void checkEmbeddingIndices(Model model, List<INDArray> x, String xName) {
    for (Node node : model.nodes()) {
      if (!(node.layer() instanceof Embedding e)) continue;
      for (SymbolicTensor t : node.inputs()) {
        int i = model.inputs().indexOf(t);
        if (i < 0) continue;
        double min = x.get(i).minNumber().doubleValue();
        double max = x.get(i).maxNumber().doubleValue();
        int dim = e.config().inputDim();
        if (min < 0 || max >= dim) {
          throw DlnRuntimeException.value(
              xName + " holds index " + (long) (min < 0 ? min : max) + ", outside " + e.describe() + "'s vocabulary 0.." + (dim - 1),
              "make input_dim at least " + ((long) max + 1));
        }
      }
    }
  }

  static boolean same(long[] a, long[] b) {
    return Arrays.equals(a, b);
  }
}
