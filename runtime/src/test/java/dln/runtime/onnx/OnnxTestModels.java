package dln.runtime.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes small ONNX protobufs by hand for tests (the wire format the parser reads). */
final class OnnxTestModels {
  private OnnxTestModels() {}

  /** A graph with one input "x" of shape (N, 4) and a chain of nodes with the given op types. */
  static byte[] graphWithOps(String... ops) {
    ByteArrayOutputStream graph = new ByteArrayOutputStream();
    String prev = "x";
    for (int i = 0; i < ops.length; i++) {
      ByteArrayOutputStream node = new ByteArrayOutputStream();
      str(node, 1, prev);
      str(node, 2, "t" + i);
      str(node, 3, "n" + i);
      str(node, 4, ops[i]);
      bytes(graph, 1, node.toByteArray());
      prev = "t" + i;
    }
    bytes(graph, 11, valueInfo("x", -1, 4));
    bytes(graph, 12, valueInfo(prev, -1, 4));
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    tag(model, 1, 0);
    varint(model, 7);
    bytes(model, 7, graph.toByteArray());
    return model.toByteArray();
  }

  private static byte[] valueInfo(String name, long... dims) {
    ByteArrayOutputStream shape = new ByteArrayOutputStream();
    for (long d : dims) {
      ByteArrayOutputStream dim = new ByteArrayOutputStream();
      if (d < 0) str(dim, 2, "batch");
      else {
        tag(dim, 1, 0);
        varint(dim, d);
      }
      bytes(shape, 1, dim.toByteArray());
    }
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    tag(tensor, 1, 0);
    varint(tensor, 1);
    bytes(tensor, 2, shape.toByteArray());
    ByteArrayOutputStream type = new ByteArrayOutputStream();
    bytes(type, 1, tensor.toByteArray());
    ByteArrayOutputStream vi = new ByteArrayOutputStream();
    str(vi, 1, name);
    bytes(vi, 2, type.toByteArray());
    return vi.toByteArray();
  }

  static void str(ByteArrayOutputStream out, int field, String s) {
    bytes(out, field, s.getBytes(StandardCharsets.UTF_8));
  }

  static void bytes(ByteArrayOutputStream out, int field, byte[] b) {
    tag(out, field, 2);
    varint(out, b.length);
    out.writeBytes(b);
  }

  static void tag(ByteArrayOutputStream out, int field, int wire) {
    varint(out, ((long) field << 3) | wire);
  }

  static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) ((v & 0x7f) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
