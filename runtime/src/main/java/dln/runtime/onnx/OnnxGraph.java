package dln.runtime.onnx;

import java.util.List;
import java.util.Map;

/**
 * The part of an ONNX model the importer uses, decoded from onnx.proto: nodes in order,
 * initializers (weights) by name, graph inputs and outputs with their shapes.
 *
 * @param opset the default-domain opset version (0 when absent)
 */
record OnnxGraph(long irVersion, long opset, String producer, List<NodeDef> nodes, Map<String, TensorDef> initializers,
    List<ValueDef> inputs, List<ValueDef> outputs) {

  /** NodeProto: an operator application. */
  record NodeDef(String name, String opType, String domain, List<String> inputs, List<String> outputs, Map<String, AttrDef> attributes) {
    /** An integer attribute or the default. */
    long i(String attr, long dflt) {
      AttrDef a = attributes.get(attr);
      return a == null ? dflt : a.i();
    }

    float f(String attr, float dflt) {
      AttrDef a = attributes.get(attr);
      return a == null ? dflt : a.f();
    }

    /** An integer-list attribute, or null when absent. */
    long[] ints(String attr) {
      AttrDef a = attributes.get(attr);
      return a == null ? null : a.ints();
    }

    String s(String attr, String dflt) {
      AttrDef a = attributes.get(attr);
      return a == null || a.s() == null ? dflt : a.s();
    }

    /** The i-th input name, or "" when absent (ONNX marks skipped optional inputs with ""). */
    String input(int i) {
      return i < inputs.size() ? inputs.get(i) : "";
    }

    String describe() {
      return opType + (name.isEmpty() ? "" : " node '" + name + "'");
    }
  }

  /** AttributeProto: the fields DLN reads (f, i, s, t, floats, ints). */
  record AttrDef(String name, float f, long i, String s, TensorDef t, float[] floats, long[] ints) {}

  /** TensorProto, decoded to float or int64 values. */
  record TensorDef(String name, long[] dims, int dataType, float[] floats, long[] longs) {
    long size() {
      long n = 1;
      for (long d : dims) n *= d;
      return n;
    }
  }

  /** ValueInfoProto: a graph input or output with its (possibly symbolic) dims; -1 = unknown. */
  record ValueDef(String name, long[] dims) {}
}
