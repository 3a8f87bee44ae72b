package dln.interp.lib;

import dln.interp.DlnException;
import dln.interp.call.Args;
import dln.interp.value.Namespace;
import dln.interp.value.Values;
import dln.runtime.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * More of NumPy under np (and so the module numpy), with NumPy's semantics: the stacking helpers,
 * cumulative sums, the closeness tests and the NaN test Keras examples use. The basics (array,
 * zeros, sum with axis, concatenate…) are in {@link TensorLib}.
 */
public final class NumpyLib implements Library {
  @Override
  public void install(Globals g) {
    Namespace np = g.namespace("np");
    g.def(np, "vstack", "tup", "Tensors stacked as rows: 1-D ones become rows of a matrix, others join on axis 0.\n"
        + "Example: np.vstack([a, b])", a -> {
          List<INDArray> rows = new ArrayList<>();
          for (INDArray x : tensors(a)) rows.add(x.rank() == 1 ? x.reshape(1, x.length()) : x);
          return Tensors.concat(rows, 0);
        });
    g.def(np, "hstack", "tup", "Tensors joined side by side: 1-D ones end to end, others on axis 1.\n"
        + "Example: np.hstack([a, b])", a -> {
          List<INDArray> xs = tensors(a);
          return Tensors.concat(xs, xs.get(0).rank() == 1 ? 0 : 1);
        });
    g.def(np, "cumsum", "a, axis?", "Running sums, of the flattened tensor or along axis.\nExample: np.cumsum(x, axis=0)", a -> {
      INDArray x = a.tensor("a");
      INDArray f = x.dataType().isFPType() ? x.dup() : x.castTo(DataType.LONG);
      if (!a.has("axis")) return f.reshape(f.length()).cumsum(0);
      int axis = a.intValue("axis");
      if (axis < -f.rank() || axis >= f.rank()) {
        throw DlnException.value("np.cumsum() axis " + axis + " is out of range for a tensor of rank " + f.rank(), null);
      }
      return f.cumsum(axis < 0 ? axis + f.rank() : axis);
    });
    g.def(np, "log1p", "x", "Element-wise log(1 + x), accurate for small x.\nExample: np.log1p(x)", a -> {
      Object x = a.get("x");
      if (Values.isNumber(x)) return Math.log1p(a.number("x"));
      INDArray t = a.tensor("x");
      return Transforms.log1p(t.dataType().isFPType() ? t : t.castTo(DataType.FLOAT), true);
    });
    g.def(np, "isnan", "x", "Element-wise test for NaN (a bool tensor).\nExample: np.isnan(x).any()", a -> {
      Object x = a.get("x");
      if (Values.isNumber(x)) return Double.isNaN(a.number("x"));
      INDArray t = a.tensor("x");
      // NaN is the one value unequal to itself; integer tensors have none
      return Tensors.binary("!=", t, t);
    });
    g.def(np, "isclose", "a, b, rtol?, atol?", "Element-wise |a - b| <= atol + rtol·|b| (rtol 1e-5, atol 1e-8), broadcasting.\n"
        + "Example: np.isclose(x, y)", NumpyLib::isclose);
    g.def(np, "allclose", "a, b, rtol?, atol?", "True when every element of a is close to b (see np.isclose).\n"
        + "Example: np.allclose(w, w2)", a -> {
          INDArray close = isclose(a);
          return close.castTo(DataType.FLOAT).minNumber().doubleValue() > 0;
        });
  }

  private static INDArray isclose(Args a) {
    INDArray x = a.tensor("a").castTo(DataType.DOUBLE);
    INDArray y = a.tensor("b").castTo(DataType.DOUBLE);
    INDArray diff = Transforms.abs(Tensors.binary("-", x, y), false);
    INDArray tolerance = Tensors.binary("+", Transforms.abs(y, true).mul(a.number("rtol", 1e-5)), a.number("atol", 1e-8));
    return Tensors.binary("<=", diff, tolerance);
  }

  private static List<INDArray> tensors(Args a) {
    List<INDArray> out = new ArrayList<>();
    for (Object v : a.list("tup")) out.add(Values.toTensor(v));
    if (out.isEmpty()) throw DlnException.value(a.function() + "() needs at least one tensor", null);
    return out;
  }
}
