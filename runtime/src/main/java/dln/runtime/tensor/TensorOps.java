package dln.runtime.tensor;

import dln.runtime.autodiff.Tape;
import dln.runtime.autodiff.Recording;
import dln.runtime.autodiff.Traced;
import dln.runtime.autodiff.Variable;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The operators of a language on tensor values, eager ({@link INDArray}) or traced for
 * differentiation ({@link Traced}), with a {@link Variable} standing for its current value. The
 * caller hands over both operands as it holds them; this class decides where the operation runs
 * (on the {@link Tape} when either side is traced, in {@link Tensors} otherwise), turns the
 * language's lists next to a tensor into tensors, and words the error when the operands do not
 * combine, as a {@link dln.runtime.DlnRuntimeException} the caller only has to locate.
 *
 * <p>Numbers are Long, Double and Boolean. Nothing here allocates beyond the operation itself:
 * the operator path on small tensors is hot.
 */
public final class TensorOps {
  private TensorOps() {}

  /** Whether {@code v} is a tensor to these operators: eager, traced, or a Variable. */
  public static boolean isTensor(Object v) {
    return v instanceof INDArray || v instanceof Traced || v instanceof Variable;
  }

  /**
   * {@code a op b} for op in {@code + - * / // % ** @} where at least one side
   * {@linkplain #isTensor is a tensor}; the other may be a number or a sequence of numbers. Traced
   * operands give a traced result, others an eager tensor with numpy broadcasting.
   */
  public static Object binary(String op, Object a, Object b, ValueModel values) {
    a = Recording.resolve(a);
    b = Recording.resolve(b);
    if (a instanceof Traced || b instanceof Traced) {
      Object ta = a instanceof Traced ? a : eagerOperand(a, values);
      Object tb = b instanceof Traced ? b : eagerOperand(b, values);
      if (ta == null || tb == null) throw OperatorErrors.mismatch(op, values.typeName(a), values.typeName(b));
      return Tape.binary(op, ta, tb);
    }
    if (isEagerOrNumber(a) && isEagerOrNumber(b)) return Tensors.binary(op, a, b);
    Object ta = eagerOperand(a, values);
    Object tb = eagerOperand(b, values);
    if (ta != null && tb != null) return Tensors.binary(op, ta, tb);
    throw OperatorErrors.mismatch(op, values.typeName(a), values.typeName(b));
  }

  /**
   * {@link Tensors#binaryInto}: {@code a op b} into {@code out}, for eager tensors and numbers only
   * (a traced value or a Variable gives false, as does anything binaryInto refuses).
   */
  public static boolean binaryInto(String op, Object a, Object b, Object out) {
    if (!(out instanceof INDArray o) || !isEagerOrNumber(a) || !isEagerOrNumber(b)) return false;
    return Tensors.binaryInto(op, a, b, o);
  }

  /** True for an eager tensor (not traced, not a Variable). */
  public static boolean isEager(Object v) {
    return v instanceof INDArray;
  }

  /** {@code -v} of a {@linkplain #isTensor tensor}. */
  public static Object negate(Object v) {
    v = Recording.resolve(v);
    if (v instanceof Traced t) return Tape.unary("neg", t);
    if (v instanceof INDArray t) return Tensors.unary("neg", t);
    throw new IllegalArgumentException("not a tensor: " + v);
  }

  /**
   * {@code a op b} for op in {@code == != < <= > >=} where at least one side
   * {@linkplain #isTensor is a tensor}. Against an eager tensor it compares element-wise (a bool
   * tensor); a value that cannot become a tensor is unequal to it and not ordered. Traced values
   * and Variables next to no eager tensor are equal only to themselves, and not ordered.
   */
  public static Object compare(String op, Object a, Object b, ValueModel values) {
    if (a instanceof INDArray || b instanceof INDArray) {
      Object ta = eagerOperand(a, values);
      Object tb = eagerOperand(b, values);
      if (ta != null && tb != null) return Tensors.binary(op, ta, tb);
    }
    if (op.equals("==")) return !(a instanceof INDArray || b instanceof INDArray) && Objects.equals(a, b);
    if (op.equals("!=")) return a instanceof INDArray || b instanceof INDArray || !Objects.equals(a, b);
    throw OperatorErrors.cannotCompare(op, values.typeName(a), values.typeName(b));
  }

  /** True for an eager tensor (not traced, not a Variable) or one of DLN's numbers. */
  public static boolean isEagerOrNumber(Object v) {
    return v instanceof INDArray || isNumber(v);
  }

  /** DLN's numbers: int, float, bool. */
  private static boolean isNumber(Object v) {
    return v instanceof Long || v instanceof Double || v instanceof Boolean;
  }

  /** An eager tensor or number as it is, a sequence as a tensor (ragged ones are an error), else null. */
  private static Object eagerOperand(Object v, ValueModel values) {
    if (isEagerOrNumber(v)) return v;
    List<?> nested = values.asNestedList(v);
    return nested == null ? null : Tensors.fromNested(nested, null);
  }
}
