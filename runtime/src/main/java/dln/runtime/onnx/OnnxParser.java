package dln.runtime.onnx;

import dln.runtime.onnx.OnnxGraph.AttrDef;
import dln.runtime.onnx.OnnxGraph.NodeDef;
import dln.runtime.onnx.OnnxGraph.TensorDef;
import dln.runtime.onnx.OnnxGraph.ValueDef;
import dln.runtime.onnx.ProtoReader.FloatList;
import dln.runtime.onnx.ProtoReader.LongList;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes an ONNX file (onnx.proto's ModelProto) with {@link ProtoReader}: no generated code,
 * only the fields the importer needs. Field numbers are those of onnx.proto (IR version 3 and up).
 */
final class OnnxParser {
  // TensorProto.DataType values
  static final int FLOAT = 1;
  static final int UINT8 = 2;
  static final int INT8 = 3;
  static final int INT32 = 6;
  static final int INT64 = 7;
  static final int DOUBLE = 11;

  private OnnxParser() {}

  static OnnxGraph parse(byte[] bytes) {
    ProtoReader r = new ProtoReader(bytes);
    long ir = 0;
    long opset = 0;
    String producer = "";
    ProtoReader graph = null;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> ir = expect(r, ProtoReader.VARINT).varint();
        case 2 -> producer = expect(r, ProtoReader.LEN).string();
        case 7 -> graph = expect(r, ProtoReader.LEN).message();
        case 8 -> {
          ProtoReader o = expect(r, ProtoReader.LEN).message();
          String domain = "";
          long version = 0;
          while (o.next()) {
            if (o.field() == 1 && o.wireType() == ProtoReader.LEN) domain = o.string();
            else if (o.field() == 2 && o.wireType() == ProtoReader.VARINT) version = o.varint();
            else o.skip();
          }
          if (domain.isEmpty() || domain.equals("ai.onnx")) opset = version;
        }
        default -> r.skip();
      }
    }
    if (graph == null) throw new ProtoReader.BadProto("no graph (ModelProto field 7)");
    List<NodeDef> nodes = new ArrayList<>();
    Map<String, TensorDef> inits = new LinkedHashMap<>();
    List<ValueDef> inputs = new ArrayList<>();
    List<ValueDef> outputs = new ArrayList<>();
    while (graph.next()) {
      switch (graph.field()) {
        case 1 -> nodes.add(node(expect(graph, ProtoReader.LEN).message()));
        case 5 -> {
          TensorDef t = tensor(expect(graph, ProtoReader.LEN).message());
          inits.put(t.name(), t);
        }
        case 11 -> inputs.add(valueInfo(expect(graph, ProtoReader.LEN).message()));
        case 12 -> outputs.add(valueInfo(expect(graph, ProtoReader.LEN).message()));
        default -> graph.skip();
      }
    }
    return new OnnxGraph(ir, opset, producer, nodes, inits, inputs, outputs);
  }

  private static ProtoReader expect(ProtoReader r, int wireType) {
    if (r.wireType() != wireType) {
      throw new ProtoReader.BadProto("field " + r.field() + " has wire type " + r.wireType() + ", expected " + wireType);
    }
    return r;
  }

  private static NodeDef node(ProtoReader r) {
    List<String> ins = new ArrayList<>();
    List<String> outs = new ArrayList<>();
    String name = "";
    String op = "";
    String domain = "";
    Map<String, AttrDef> attrs = new LinkedHashMap<>();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> ins.add(expect(r, ProtoReader.LEN).string());
        case 2 -> outs.add(expect(r, ProtoReader.LEN).string());
        case 3 -> name = expect(r, ProtoReader.LEN).string();
        case 4 -> op = expect(r, ProtoReader.LEN).string();
        case 5 -> {
          AttrDef a = attribute(expect(r, ProtoReader.LEN).message());
          attrs.put(a.name(), a);
        }
        case 7 -> domain = expect(r, ProtoReader.LEN).string();
        default -> r.skip();
      }
    }
    return new NodeDef(name, op, domain, ins, outs, attrs);
  }

  private static AttrDef attribute(ProtoReader r) {
    String name = "";
    float f = 0;
    long i = 0;
    String s = null;
    TensorDef t = null;
    FloatList floats = new FloatList();
    LongList ints = new LongList();
    while (r.next()) {
      switch (r.field()) {
        case 1 -> name = expect(r, ProtoReader.LEN).string();
        case 2 -> f = Float.intBitsToFloat(expect(r, ProtoReader.FIXED32).fixed32());
        case 3 -> i = expect(r, ProtoReader.VARINT).varint();
        case 4 -> s = expect(r, ProtoReader.LEN).string();
        case 5 -> t = tensor(expect(r, ProtoReader.LEN).message());
        case 7 -> r.floats(floats);
        case 8 -> r.int64s(ints);
        default -> r.skip();
      }
    }
    return new AttrDef(name, f, i, s, t, floats.toArray(), ints.toArray());
  }

  private static TensorDef tensor(ProtoReader r) {
    LongList dims = new LongList();
    int type = 0;
    FloatList floats = new FloatList();
    LongList longs = new LongList();
    String name = "";
    int[] raw = null;
    boolean external = false;
    while (r.next()) {
      switch (r.field()) {
        case 1 -> r.int64s(dims);
        case 2 -> type = (int) expect(r, ProtoReader.VARINT).varint();
        case 4 -> r.floats(floats);
        case 5, 7 -> r.int64s(longs); // int32_data and int64_data are both varints
        case 8 -> name = expect(r, ProtoReader.LEN).string();
        case 9 -> raw = expect(r, ProtoReader.LEN).span();
        case 10 -> r.doubles(floats);
        case 14 -> external = expect(r, ProtoReader.VARINT).varint() == 1;
        default -> r.skip();
      }
    }
    if (external) throw new ProtoReader.BadProto("tensor '" + name + "' keeps its data in an external file, which DLN does not read");
    long[] shape = dims.toArray();
    long n = 1;
    for (long d : shape) {
      if (d < 0) throw new ProtoReader.BadProto("tensor '" + name + "' has a negative dimension");
      n *= d;
      if (n > Integer.MAX_VALUE) throw new ProtoReader.BadProto("tensor '" + name + "' is too large");
    }
    float[] fv = null;
    long[] lv = null;
    if (raw != null) {
      ByteBuffer b = ByteBuffer.wrap(r.buffer(), raw[0], raw[1]).slice().order(ByteOrder.LITTLE_ENDIAN);
      int item = switch (type) {
        case FLOAT, INT32 -> 4;
        case INT64, DOUBLE -> 8;
        case UINT8, INT8 -> 1;
        default -> throw new ProtoReader.BadProto("tensor '" + name + "' has data type " + type + ", which DLN does not read");
      };
      if ((long) raw[1] != n * item) {
        throw new ProtoReader.BadProto("tensor '" + name + "' has " + raw[1] + " bytes of data for " + n + " values");
      }
      switch (type) {
        case FLOAT -> {
          fv = new float[(int) n];
          b.asFloatBuffer().get(fv);
        }
        case DOUBLE -> {
          fv = new float[(int) n];
          for (int i = 0; i < n; i++) fv[i] = (float) b.getDouble(i * 8);
        }
        case INT64 -> {
          lv = new long[(int) n];
          b.asLongBuffer().get(lv);
        }
        case INT32 -> {
          lv = new long[(int) n];
          for (int i = 0; i < n; i++) lv[i] = b.getInt(i * 4);
        }
        default -> {
          lv = new long[(int) n];
          for (int i = 0; i < n; i++) lv[i] = type == UINT8 ? Byte.toUnsignedInt(b.get(i)) : b.get(i);
        }
      }
    } else if (type == FLOAT || type == DOUBLE) {
      fv = floats.toArray();
    } else {
      lv = longs.toArray();
    }
    long have = fv != null ? fv.length : lv.length;
    if (have != n) throw new ProtoReader.BadProto("tensor '" + name + "' has " + have + " values for shape of " + n);
    return new TensorDef(name, shape, type, fv, lv);
  }

  private static ValueDef valueInfo(ProtoReader r) {
    String name = "";
    LongList dims = new LongList();
    while (r.next()) {
      if (r.field() == 1 && r.wireType() == ProtoReader.LEN) {
        name = r.string();
      } else if (r.field() == 2 && r.wireType() == ProtoReader.LEN) {
        ProtoReader type = r.message();
        while (type.next()) {
          if (type.field() == 1 && type.wireType() == ProtoReader.LEN) {
            ProtoReader tensorType = type.message();
            while (tensorType.next()) {
              if (tensorType.field() == 2 && tensorType.wireType() == ProtoReader.LEN) {
                ProtoReader shape = tensorType.message();
                while (shape.next()) {
                  if (shape.field() == 1 && shape.wireType() == ProtoReader.LEN) dims.add(dimension(shape.message()));
                  else shape.skip();
                }
              } else {
                tensorType.skip();
              }
            }
          } else {
            type.skip();
          }
        }
      } else {
        r.skip();
      }
    }
    return new ValueDef(name, dims.toArray());
  }

  /** TensorShapeProto.Dimension: dim_value, or -1 for a symbolic dim_param ("batch"). */
  private static long dimension(ProtoReader d) {
    long v = -1;
    while (d.next()) {
      if (d.field() == 1 && d.wireType() == ProtoReader.VARINT) v = d.varint();
      else d.skip();
    }
    return v;
  }
}
