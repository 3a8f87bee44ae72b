package dln.runtime.train;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;

/**
 * The graphs of recent gradient tapes, by structure, so that a custom training loop, which records
 * the same operations on same-shaped batches every step, differentiates one graph: SameDiff builds
 * its backward graph and execution plan once, and each later step only swaps in its own variable
 * and constant arrays (the weights as they are now, the batch). Two graphs share an entry only when
 * every operation (class, arguments, properties, inputs, outputs) and every variable (name, kind,
 * shape, type) is the same, so what is reused computes exactly what the fresh graph would.
 */
final class GradientGraphs {
  private static final int KEPT = 4;
  private static final ThreadLocal<Map<String, SameDiff>> RECENT = ThreadLocal.withInitial(() ->
      new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SameDiff> eldest) {
          return size() > KEPT;
        }
      });

  private GradientGraphs() {}

  /**
   * The graph to differentiate {@code loss} of {@code sd} by {@code wanted} on: a kept graph of the
   * same structure with {@code sd}'s arrays put into it, or {@code sd} itself, kept for later steps.
   */
  static SameDiff forGradients(SameDiff sd, String loss, Collection<String> wanted) {
    String key = structure(sd) + "|loss=" + loss + "|wrt=" + wanted;
    Map<String, SameDiff> recent = RECENT.get();
    SameDiff kept = recent.get(key);
    if (kept == null) {
      recent.put(key, sd);
      return sd;
    }
    for (SDVariable v : sd.variables()) {
      VariableType type = v.getVariableType();
      if (type != VariableType.VARIABLE && type != VariableType.CONSTANT) continue;
      INDArray arr = v.getArr();
      if (arr != null) kept.setArrayForVariable(v.name(), arr);
    }
    return kept;
  }

  /** Every operation and variable of the graph, as text. */
  static String structure(SameDiff sd) {
    StringBuilder b = new StringBuilder();
    for (SDVariable v : sd.variables()) {
      b.append(v.name()).append(':').append(v.getVariableType()).append(':').append(v.dataType());
      long[] shape = v.getVariableType() == VariableType.ARRAY ? null : v.getShape();
      if (shape != null) b.append(Arrays.toString(shape));
      b.append(';');
    }
    for (DifferentialFunction op : sd.ops()) {
      b.append('\n').append(op.getClass().getName()).append(' ').append(op.getOwnName())
          .append(Arrays.toString(op.argNames())).append("->").append(Arrays.toString(op.outputVariablesNames()));
      if (op instanceof DynamicCustomOp c) {
        b.append(" i").append(Arrays.toString(c.iArgs())).append(" t").append(Arrays.toString(c.tArgs()))
            .append(" b").append(Arrays.toString(c.bArgs())).append(" d").append(Arrays.toString(c.dArgs()));
      }
      Object[] extra = op.getExtraArgs();
      if (extra != null) b.append(" x").append(Arrays.deepToString(extra));
      Map<String, Object> props = op.propertiesForFunction();
      if (props != null) {
        for (Map.Entry<String, Object> e : props.entrySet()) {
          Object val = e.getValue();
          b.append(' ').append(e.getKey()).append('=').append(val instanceof Object[] arr ? Arrays.deepToString(arr)
              : val != null && val.getClass().isArray() ? Arrays.deepToString(new Object[] {val}) : String.valueOf(val));
        }
      }
    }
    return b.toString();
  }
}
