package dln.runtime.tensor;

import dln.runtime.DlnRuntimeException;
import dln.runtime.Shapes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * NumPy's {@code np.einsum}: explicit ({@code 'ij,jk->ik'}) and implicit ({@code 'ij,jk'}: the
 * labels used once, in alphabetical order) subscripts, repeated labels (the diagonal
 * {@code 'ii->i'}, the trace {@code 'ii->'}) and {@code ...} for leading axes.
 *
 * <p>One or two operands without repeated labels go through transposes, sums and one matrix
 * product, so {@code 'bij,bjk->bik'} costs what {@code a @ b} does; the rest (diagonals, axes
 * broadcast under {@code ...}, three or more operands, bools) is a direct loop over every label
 * combination.
 */
public final class Einsum {
  /** The labels that {@code ...} stands for, distinct from the letters a user can write. */
  private static final char FIRST_ELLIPSIS_LABEL = '\u0100';

  private Einsum() {}

  /** {@code np.einsum(subscripts, *operands)}. */
  public static INDArray of(String subscripts, List<INDArray> operands) {
    String spec = subscripts.replace(" ", "");
    String[] io = spec.split("->", -1);
    if (io.length > 2) throw bad(subscripts, "has more than one '->'");
    String[] ins = io[0].split(",", -1);
    if (ins.length != operands.size()) {
      throw DlnRuntimeException.value("einsum(): '" + subscripts + "' names " + ins.length + " operand" + (ins.length == 1 ? "" : "s")
          + " but " + operands.size() + " were given", null);
    }
    int ellipsisRank = 0;
    for (int k = 0; k < ins.length; k++) ellipsisRank = Math.max(ellipsisRank, ellipsisRank(subscripts, ins[k], operands.get(k)));
    List<String> labels = new ArrayList<>();
    Map<Character, Long> sizes = new LinkedHashMap<>();
    for (int k = 0; k < ins.length; k++) {
      String l = expand(subscripts, ins[k], operands.get(k).rank(), ellipsisRank);
      labels.add(l);
      for (int d = 0; d < l.length(); d++) size(subscripts, sizes, l.charAt(d), operands.get(k).size(d));
    }
    String out = io.length == 2 ? expand(subscripts, io[1], -1, ellipsisRank) : implicitOutput(labels, ellipsisRank);
    for (char c : out.toCharArray()) {
      if (!sizes.containsKey(c)) throw bad(subscripts, "has output label '" + c + "' that no operand has");
      if (out.indexOf(c) != out.lastIndexOf(c)) throw bad(subscripts, "repeats output label '" + c + "'");
    }
    DataType t = operands.get(0).dataType();
    for (INDArray x : operands) t = DTypes.wider(t, x.dataType());
    if (t != DataType.BOOL && operands.size() <= 2 && plainLabels(labels, sizes, operands)) return byMatmul(labels, out, operands, t);
    return byLoop(labels, out, sizes, operands, t);
  }

  // ---- subscripts -----------------------------------------------------------------------------

  private static DlnRuntimeException bad(String subscripts, String what) {
    return DlnRuntimeException.value("einsum(): the subscripts '" + subscripts + "' " + what,
        "write one letter per axis for each operand, as in 'ij,jk->ik'");
  }

  /** How many axes {@code ...} covers in one operand (0 without it). */
  private static int ellipsisRank(String subscripts, String in, INDArray x) {
    int letters = in.replace("...", "").length();
    if (!in.replace("...", "").chars().allMatch(Character::isLetter)) throw bad(subscripts, "holds a character that is not a letter");
    if (!in.contains("...")) {
      if (letters != x.rank()) {
        throw DlnRuntimeException.value("einsum(): '" + in + "' has " + letters + " label" + (letters == 1 ? "" : "s")
            + " for an operand of rank " + x.rank() + " (shape " + Shapes.str(x.shape()) + ")", "give one letter per axis");
      }
      return 0;
    }
    if (letters > x.rank()) throw bad(subscripts, "has more labels than operand axes in '" + in + "'");
    return x.rank() - letters;
  }

  /**
   * The labels with {@code ...} replaced by its own labels, right-aligned: an operand of lower rank
   * takes the last of them, as broadcasting does. {@code rank} -1: the output, taking all.
   */
  private static String expand(String subscripts, String in, int rank, int ellipsisRank) {
    int at = in.indexOf("...");
    if (at < 0) return in;
    if (in.indexOf("...", at + 1) >= 0) throw bad(subscripts, "has more than one '...' in one operand");
    int covered = rank < 0 ? ellipsisRank : rank - (in.length() - 3);
    StringBuilder sb = new StringBuilder(in.substring(0, at));
    for (int k = ellipsisRank - covered; k < ellipsisRank; k++) sb.append((char) (FIRST_ELLIPSIS_LABEL + k));
    return sb.append(in.substring(at + 3)).toString();
  }

  private static void size(String subscripts, Map<Character, Long> sizes, char label, long n) {
    Long seen = sizes.get(label);
    boolean ellipsis = label >= FIRST_ELLIPSIS_LABEL;
    if (seen == null || (ellipsis && seen == 1)) {
      sizes.put(label, n);
    } else if (seen != n && !(ellipsis && n == 1)) {
      String name = ellipsis ? "an axis under '...'" : "label '" + label + "'";
      throw DlnRuntimeException.shape("einsum(): " + name + " has size " + seen + " in one operand and " + n + " in another",
          "the axes a label names must have one size");
    }
  }

  /** NumPy's implicit output: the {@code ...} axes, then the labels used exactly once, sorted. */
  private static String implicitOutput(List<String> labels, int ellipsisRank) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < ellipsisRank; k++) sb.append((char) (FIRST_ELLIPSIS_LABEL + k));
    String all = String.join("", labels);
    all.chars().filter(c -> c < FIRST_ELLIPSIS_LABEL && all.indexOf(c) == all.lastIndexOf(c)).sorted()
        .forEach(c -> sb.append((char) c));
    return sb.toString();
  }

  /** No label twice in one operand, and every shared label of one size in each (no broadcasting). */
  private static boolean plainLabels(List<String> labels, Map<Character, Long> sizes, List<INDArray> operands) {
    for (int k = 0; k < labels.size(); k++) {
      String l = labels.get(k);
      for (int d = 0; d < l.length(); d++) {
        if (l.indexOf(l.charAt(d)) != d || operands.get(k).size(d) != sizes.get(l.charAt(d))) return false;
      }
    }
    return true;
  }

  // ---- by transposes and a matrix product -----------------------------------------------------

  private static INDArray byMatmul(List<String> labels, String out, List<INDArray> operands, DataType t) {
    if (operands.size() == 1) {
      Reduced a = sumOnly(labels.get(0), DTypes.as(operands.get(0), t), out);
      return permute(a.x, a.labels, out);
    }
    String other = labels.get(1) + out;
    Reduced a = sumOnly(labels.get(0), DTypes.as(operands.get(0), t), other);
    other = a.labels + out;
    Reduced b = sumOnly(labels.get(1), DTypes.as(operands.get(1), t), other);
    StringBuilder batch = new StringBuilder();
    StringBuilder keptA = new StringBuilder();
    StringBuilder keptB = new StringBuilder();
    StringBuilder contracted = new StringBuilder();
    for (char c : a.labels.toCharArray()) {
      boolean inB = b.labels.indexOf(c) >= 0;
      boolean inOut = out.indexOf(c) >= 0;
      (inB ? inOut ? batch : contracted : keptA).append(c);
    }
    for (char c : b.labels.toCharArray()) if (a.labels.indexOf(c) < 0) keptB.append(c);
    long nb = product(a, batch);
    long m = product(a, keptA);
    long kc = product(a, contracted);
    long n = product(b, keptB);
    INDArray x = Tensors.reshape(permute(a.x, a.labels, "" + batch + keptA + contracted), nb, m, kc);
    INDArray y = Tensors.reshape(permute(b.x, b.labels, "" + batch + contracted + keptB), nb, kc, n);
    String labelsOut = "" + batch + keptA + keptB;
    long[] shape = new long[labelsOut.length()];
    for (int d = 0; d < shape.length; d++) {
      char c = labelsOut.charAt(d);
      shape[d] = a.labels.indexOf(c) >= 0 ? a.x.size(a.labels.indexOf(c)) : b.x.size(b.labels.indexOf(c));
    }
    return permute(Tensors.reshape(Tensors.matmul(x, y), shape), labelsOut, out);
  }

  /** An operand with its labels. */
  private record Reduced(INDArray x, String labels) {}

  /** x summed over the labels {@code keep} does not name (those only this operand has). */
  private static Reduced sumOnly(String labels, INDArray x, String keep) {
    List<Integer> axes = new ArrayList<>();
    StringBuilder left = new StringBuilder();
    for (int d = 0; d < labels.length(); d++) {
      if (keep.indexOf(labels.charAt(d)) < 0) axes.add(d);
      else left.append(labels.charAt(d));
    }
    if (axes.isEmpty()) return new Reduced(x, labels);
    int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
    return new Reduced(Tensors.reduce("sum", x, ax, false), left.toString());
  }

  private static long product(Reduced r, CharSequence labels) {
    long p = 1;
    for (int d = 0; d < labels.length(); d++) p *= r.x.size(r.labels.indexOf(labels.charAt(d)));
    return p;
  }

  /** x, labelled {@code from}, with its axes in the order of {@code to} (the same labels). */
  private static INDArray permute(INDArray x, String from, String to) {
    if (from.equals(to)) return x;
    int[] axes = new int[to.length()];
    for (int d = 0; d < axes.length; d++) axes[d] = from.indexOf(to.charAt(d));
    return Tensors.transpose(x, axes);
  }

  // ---- by a loop over every label combination -------------------------------------------------

  private static INDArray byLoop(List<String> labels, String out, Map<Character, Long> sizes, List<INDArray> operands,
      DataType t) {
    List<Character> all = new ArrayList<>();
    for (char c : out.toCharArray()) all.add(c);
    for (Character c : sizes.keySet()) if (!all.contains(c)) all.add(c);
    long[] extent = new long[all.size()];
    for (int d = 0; d < extent.length; d++) extent[d] = sizes.get(all.get(d));
    // For each operand, the stride each label steps its row-major position by (0 where broadcast).
    long[][] strides = new long[operands.size()][all.size()];
    double[][] values = new double[operands.size()][];
    for (int k = 0; k < operands.size(); k++) {
      INDArray x = operands.get(k);
      long[] own = ArrayOps.strides(x.shape());
      String l = labels.get(k);
      for (int d = 0; d < l.length(); d++) {
        if (x.size(d) != 1 || sizes.get(l.charAt(d)) == 1) strides[k][all.indexOf(l.charAt(d))] += own[d];
      }
      values[k] = ArrayOps.doubles(x);
    }
    long[] outShape = Arrays.copyOf(extent, out.length());
    long outSize = Shapes.size(outShape);
    long inner = Shapes.size(Arrays.copyOfRange(extent, out.length(), extent.length));
    double[] result = new double[Math.toIntExact(outSize)];
    long[] at = new long[extent.length];
    long[] pos = new long[operands.size()];
    for (long o = 0; o < outSize; o++) {
      double sum = 0;
      for (long s = 0; s < inner; s++) {
        double p = 1;
        for (int k = 0; k < pos.length; k++) p *= values[k][(int) pos[k]];
        sum += p;
        step(at, extent, strides, pos);
      }
      result[(int) o] = sum;
    }
    return ArrayOps.fromDoubles(result, outShape, DTypes.normal(t) == DataType.BOOL ? DataType.LONG : DTypes.normal(t));
  }

  /** Advances the label counters (the last fastest) and each operand's position with them. */
  private static void step(long[] at, long[] extent, long[][] strides, long[] pos) {
    for (int d = at.length - 1; d >= 0; d--) {
      at[d]++;
      for (int k = 0; k < pos.length; k++) pos[k] += strides[k][d];
      if (at[d] < extent[d]) return;
      for (int k = 0; k < pos.length; k++) pos[k] -= strides[k][d] * at[d];
      at[d] = 0;
    }
  }
}
