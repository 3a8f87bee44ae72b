package dln.runtime.onnx;

import dln.runtime.DlnRuntimeException;
import dln.runtime.nn.Input;
import dln.runtime.nn.Layer;
import dln.runtime.nn.Model;
import dln.runtime.Shapes;
import dln.runtime.nn.SymbolicTensor;
import dln.runtime.nn.layers.Add;
import dln.runtime.nn.layers.AveragePooling2D;
import dln.runtime.nn.layers.BatchNormalization;
import dln.runtime.nn.layers.Concatenate;
import dln.runtime.nn.layers.Conv2D;
import dln.runtime.nn.layers.Dense;
import dln.runtime.nn.layers.Dropout;
import dln.runtime.nn.layers.Flatten;
import dln.runtime.nn.layers.GlobalAveragePooling2D;
import dln.runtime.nn.layers.MaxPooling2D;
import dln.runtime.nn.layers.Pooling2D;
import dln.runtime.nn.layers.ReLU;
import dln.runtime.nn.layers.Reshape;
import dln.runtime.nn.layers.Softmax;
import dln.runtime.nn.layers.ZeroPadding2D;
import dln.runtime.onnx.OnnxGraph.NodeDef;
import dln.runtime.onnx.OnnxGraph.TensorDef;
import dln.runtime.onnx.OnnxGraph.ValueDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Imports an ONNX model (as PyTorch and Keras export it) into DLN's own layer graph: the result
 * is an ordinary {@link Model} (summary, freeze, new head, fine-tune, save).
 *
 * <p>ONNX images are channels-first (NCHW); DLN's are channels-last (NHWC). Each ONNX tensor is
 * tracked with its layout: image tensors live in DLN as NHWC, convolution kernels are permuted
 * from [out, in, kH, kW] to [kH, kW, in, out], and a Flatten of an NCHW feature map (which orders
 * values C, H, W, while DLN's Flatten orders them H, W, C) is compensated by permuting the input
 * rows of the Gemm/MatMul that follows. So an imported image model takes NHWC input:
 * {@code x.permute(0, 2, 3, 1)} turns an ONNX input batch into DLN's. Explicit pads that 'same'
 * does not reproduce become a {@link ZeroPadding2D} layer before a 'valid' convolution or pooling.
 *
 * <p>Supported operators: {@link #SUPPORTED}. Every unsupported operator in a file is reported in
 * one error. The importer reads the protobuf itself ({@link OnnxParser}); ND4J's own ONNX importer
 * is not used (in 1.0.0-M2.1 it drops Gemm biases and corrupts memory after GlobalAveragePool).
 */
public final class OnnxImporter {
  /** The ONNX operators the importer maps onto DLN layers. */
  public static final List<String> SUPPORTED = List.of("Conv", "BatchNormalization", "Relu", "MaxPool", "AveragePool",
      "GlobalAveragePool", "Gemm", "MatMul", "Add", "Concat", "Flatten", "Reshape", "Softmax", "Identity", "Dropout",
      "Constant");

  /** Largest ONNX file read (the whole file is held in memory while importing). */
  static final long MAX_FILE_BYTES = 1L << 30;

  /** How a DLN tensor relates to the ONNX tensor it stands for. */
  private enum Layout {
    /** Same axes in the same order. */
    PLAIN,
    /** ONNX NCHW, DLN NHWC. */
    NCHW,
    /** ONNX [N, C, 1, 1] after global pooling, DLN [N, C]. */
    POOLED,
    /** ONNX [N, C·H·W] flattened from NCHW (C, H, W order); DLN flattened the NHWC map (H, W, C order). */
    FLAT_CHW
  }

  /** A DLN tensor standing for an ONNX tensor; {@code chw} is set for FLAT_CHW. */
  private record Value(SymbolicTensor tensor, Layout layout, long[] chw) {
    Value(SymbolicTensor tensor, Layout layout) {
      this(tensor, layout, null);
    }
  }

  private final OnnxGraph graph;
  private final String where;
  private final Map<String, Value> values = new HashMap<>();
  private final Map<String, TensorDef> constants = new HashMap<>();
  private final Map<String, Integer> consumers = new HashMap<>();
  private final Set<String> usedNames = new HashSet<>();
  private final Set<NodeDef> fused = new HashSet<>();

  private OnnxImporter(OnnxGraph graph, String where) {
    this.graph = graph;
    this.where = where;
  }

  /** Imports an ONNX file; the model is named after the file. */
  public static Model importFile(Path path) {
    String where = "'" + path + "'";
    byte[] bytes;
    try {
      long size = Files.size(path);
      if (size > MAX_FILE_BYTES) throw DlnRuntimeException.io(where + " is too large to import (" + size + " bytes)", null);
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw DlnRuntimeException.io("ONNX file " + where + " does not exist", "check the path");
    } catch (IOException e) {
      throw DlnRuntimeException.io("cannot read " + where + ": " + e.getMessage(), null);
    }
    String file = path.getFileName().toString();
    String name = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
    return importBytes(bytes, where, name);
  }

  /**
   * Imports ONNX bytes.
   *
   * @param where how messages name the source, e.g. the quoted path
   * @param modelName the DLN model's name
   */
  public static Model importBytes(byte[] bytes, String where, String modelName) {
    OnnxGraph g;
    try {
      g = OnnxParser.parse(bytes);
    } catch (ProtoReader.BadProto e) {
      throw DlnRuntimeException.io(where + " is not a valid ONNX model: " + e.getMessage(),
          "pass a .onnx file exported by PyTorch (torch.onnx.export) or tf2onnx");
    }
    if (g.nodes().isEmpty()) {
      throw DlnRuntimeException.io(where + " is not a valid ONNX model: its graph has no nodes",
          "pass a .onnx file exported by PyTorch (torch.onnx.export) or tf2onnx");
    }
    return new OnnxImporter(g, where).run(sanitize(modelName));
  }

  // ---------------------------------------------------------------- driver

  private Model run(String modelName) {
    checkSupported();
    constants.putAll(graph.initializers());
    for (NodeDef n : graph.nodes()) for (String in : n.inputs()) if (!in.isEmpty()) consumers.merge(in, 1, Integer::sum);
    for (ValueDef o : graph.outputs()) consumers.merge(o.name(), 1, Integer::sum);

    List<SymbolicTensor> inputs = new ArrayList<>();
    for (ValueDef in : graph.inputs()) {
      if (constants.containsKey(in.name())) continue; // older exports list initializers as inputs too
      inputs.add(input(in));
    }
    if (inputs.isEmpty()) throw DlnRuntimeException.value(where + " has no graph input", null);
    for (NodeDef n : graph.nodes()) {
      if (!fused.contains(n)) convert(n);
    }
    List<SymbolicTensor> outputs = new ArrayList<>();
    for (ValueDef o : graph.outputs()) {
      Value v = values.get(o.name());
      if (v == null) throw DlnRuntimeException.value(where + ": graph output '" + o.name() + "' is not computed by any node", null);
      outputs.add(v.tensor());
    }
    return new Model(inputs, outputs, modelName);
  }

  /** One error naming every unsupported operator (with its count), before anything is built. */
  private void checkSupported() {
    Map<String, Integer> unsupported = new LinkedHashMap<>();
    for (NodeDef n : graph.nodes()) {
      boolean standard = n.domain().isEmpty() || n.domain().equals("ai.onnx");
      String op = standard ? n.opType() : n.domain() + "." + n.opType();
      if (!standard || !SUPPORTED.contains(n.opType())) unsupported.merge(op, 1, Integer::sum);
    }
    if (unsupported.isEmpty()) return;
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Integer> e : unsupported.entrySet()) {
      parts.add(e.getKey() + " (" + e.getValue() + (e.getValue() == 1 ? " node)" : " nodes)"));
    }
    throw DlnRuntimeException.value("cannot import " + where + ": " + unsupported.size() + " unsupported ONNX operator"
        + (unsupported.size() == 1 ? "" : "s") + ": " + String.join(", ", parts),
        "DLN imports " + String.join(", ", SUPPORTED));
  }

  private SymbolicTensor input(ValueDef in) {
    long[] d = in.dims();
    if (d.length < 2) throw DlnRuntimeException.value(where + ": input '" + in.name() + "' has shape " + dims(d) + "; DLN needs a batch axis and a sample shape", null);
    for (int i = 1; i < d.length; i++) {
      if (d[i] <= 0) {
        throw DlnRuntimeException.value(where + ": input '" + in.name() + "' has shape " + dims(d)
            + " with an unknown size on axis " + i + "; DLN needs every axis but the batch fixed", "export the model with a fixed input size");
      }
    }
    SymbolicTensor t;
    if (d.length == 4) {
      t = Input.named(uniqueName(in.name()), d[2], d[3], d[1]);
      values.put(in.name(), new Value(t, Layout.NCHW));
    } else {
      t = Input.named(uniqueName(in.name()), Arrays.copyOfRange(d, 1, d.length));
      values.put(in.name(), new Value(t, Layout.PLAIN));
    }
    return t;
  }

  private void convert(NodeDef n) {
    switch (n.opType()) {
      case "Constant" -> {
        OnnxGraph.AttrDef t = n.attributes().get("value");
        if (t == null || t.t() == null) throw unsupported(n, "only the 'value' form of Constant is supported");
        constants.put(n.outputs().get(0), t.t());
      }
      case "Identity" -> {
        String in = n.input(0);
        if (constants.containsKey(in)) constants.put(n.outputs().get(0), constants.get(in));
        else put(n, value(n, in));
      }
      case "Dropout" -> dropout(n);
      case "Relu" -> {
        Value x = value(n, n.input(0));
        put(n, new Value(apply(n, new ReLU(new ReLU.Config(null, 0, 0), name(n)), x.tensor()), x.layout(), x.chw()));
      }
      case "Conv" -> conv(n);
      case "BatchNormalization" -> batchNorm(n);
      case "MaxPool", "AveragePool" -> pool(n);
      case "GlobalAveragePool" -> {
        Value x = image(n, value(n, n.input(0)));
        put(n, new Value(apply(n, new GlobalAveragePooling2D(new dln.runtime.nn.layers.GlobalPooling2D.Config(), name(n)), x.tensor()), Layout.POOLED));
      }
      case "Gemm" -> gemm(n);
      case "MatMul" -> matmul(n);
      case "Add" -> add(n);
      case "Concat" -> concat(n);
      case "Flatten" -> flatten(n, n.i("axis", 1));
      case "Reshape" -> reshape(n);
      case "Softmax" -> softmax(n);
      default -> throw new IllegalStateException("checked by checkSupported: " + n.opType());
    }
  }

  // ---------------------------------------------------------------- operators

  private void dropout(NodeDef n) {
    Value x = value(n, n.input(0));
    if (n.outputs().size() > 1 && !n.outputs().get(1).isEmpty() && consumers.containsKey(n.outputs().get(1))) {
      throw unsupported(n, "its mask output is used");
    }
    double rate = n.f("ratio", 0.5f);
    if (!n.input(1).isEmpty()) rate = constant(n, n.input(1)).floats()[0];
    Layer l = rate == 0 ? null : new Dropout(new Dropout.Config(rate), name(n));
    put(n, l == null ? x : new Value(apply(n, l, x.tensor()), x.layout(), x.chw()));
  }

  private void conv(NodeDef n) {
    Value x = image(n, value(n, n.input(0)));
    TensorDef w = constant(n, n.input(1));
    if (w.dims().length != 4) throw unsupported(n, "only 2-D convolutions are supported (kernel " + dims(w.dims()) + ")");
    if (n.i("group", 1) != 1) throw unsupported(n, "grouped convolution (group=" + n.i("group", 1) + ")");
    requireOnes(n, "dilations");
    int kh = (int) w.dims()[2];
    int kw = (int) w.dims()[3];
    int[] strides = pair(n.ints("strides"), 1);
    SymbolicTensor in = x.tensor();
    String layerName = name(n);
    String padding = padding(n, in, kh, kw, strides);
    if (padding == null) {
      in = apply(n, new ZeroPadding2D(new ZeroPadding2D.Config(pads(n), 0), uniqueName(layerName + "_pad")), in);
      padding = "valid";
    }
    TensorDef b = n.input(2).isEmpty() ? null : constant(n, n.input(2));
    Conv2D conv = new Conv2D(new Conv2D.Config((int) w.dims()[0], new int[] {kh, kw}, strides, padding, "linear", b != null,
        "glorot_uniform", "zeros", null), layerName);
    SymbolicTensor y = apply(n, conv, in);
    INDArray kernel = array(w).permute(2, 3, 1, 0);
    conv.setWeights(b == null ? List.of(kernel) : List.of(kernel, array(b).reshape(b.size())));
    put(n, new Value(y, Layout.NCHW));
  }

  private void batchNorm(NodeDef n) {
    Value x = value(n, n.input(0));
    if (x.layout() == Layout.FLAT_CHW) throw unsupported(n, "normalising a flattened channels-first feature map");
    if (x.layout() == Layout.PLAIN && x.tensor().rank() != 2) throw unsupported(n, "inputs of rank " + x.tensor().rank());
    if (n.outputs().size() > 1 && consumers.containsKey(n.outputs().get(1))) throw unsupported(n, "training-mode outputs");
    BatchNormalization bn = new BatchNormalization(new BatchNormalization.Config(n.f("momentum", 0.9f), n.f("epsilon", 1e-5f), true, true), name(n));
    SymbolicTensor y = apply(n, bn, x.tensor());
    List<INDArray> ws = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      TensorDef t = constant(n, n.input(i));
      ws.add(array(t).reshape(t.size()));
    }
    bn.setWeights(ws);
    put(n, new Value(y, x.layout()));
  }

  private void pool(NodeDef n) {
    Value x = image(n, value(n, n.input(0)));
    long[] k = n.ints("kernel_shape");
    if (k == null || k.length != 2) throw unsupported(n, "only 2-D pooling with a kernel_shape is supported");
    if (n.i("ceil_mode", 0) != 0) throw unsupported(n, "ceil_mode=1");
    requireOnes(n, "dilations");
    boolean max = n.opType().equals("MaxPool");
    int[] strides = pair(n.ints("strides"), 1);
    SymbolicTensor in = x.tensor();
    String layerName = name(n);
    String padding = padding(n, in, (int) k[0], (int) k[1], strides);
    boolean includePad = n.i("count_include_pad", 0) == 1;
    boolean anyPad = Arrays.stream(pads(n)).anyMatch(p -> p != 0);
    if (padding == null || (!max && includePad && anyPad)) {
      if (!max && !includePad) throw unsupported(n, "explicit pads other than 'same' with count_include_pad=0");
      // Max pooling pads with the lowest float so a border never wins; average pooling with zeros it counts.
      in = apply(n, new ZeroPadding2D(new ZeroPadding2D.Config(pads(n), max ? -Float.MAX_VALUE : 0), uniqueName(layerName + "_pad")), in);
      padding = "valid";
    }
    Pooling2D.Config cfg = new Pooling2D.Config(new int[] {(int) k[0], (int) k[1]}, strides, padding);
    Layer l = max ? new MaxPooling2D(cfg, layerName) : new AveragePooling2D(cfg, layerName);
    put(n, new Value(apply(n, l, in), Layout.NCHW));
  }

  private void gemm(NodeDef n) {
    Value a = flat(n, value(n, n.input(0)));
    if (n.i("transA", 0) != 0) throw unsupported(n, "transA=1");
    INDArray b = array(constant(n, n.input(1)));
    if (b.rank() != 2) throw unsupported(n, "a B operand of rank " + b.rank());
    if (n.i("transB", 0) != 0) b = b.transpose();
    b = b.mul(n.f("alpha", 1f));
    INDArray bias = null;
    if (!n.input(2).isEmpty()) {
      INDArray c = array(constant(n, n.input(2)));
      if (c.length() != 1 && c.length() != b.size(1)) throw unsupported(n, "a C operand of shape " + Arrays.toString(c.shape()));
      bias = (c.length() == 1 ? Nd4j.zeros(DataType.FLOAT, b.size(1)).addi(c.getDouble(0)) : c.reshape(b.size(1))).mul(n.f("beta", 1f));
    }
    dense(n, a, b, bias, n.outputs().get(0));
  }

  /** MatMul by a constant matrix; a following Add of a constant vector becomes the Dense bias. */
  private void matmul(NodeDef n) {
    Value a = flat(n, value(n, n.input(0)));
    if (!constants.containsKey(n.input(1))) throw unsupported(n, "only multiplication by a constant weight matrix is supported");
    INDArray b = array(constant(n, n.input(1)));
    if (b.rank() != 2 || a.tensor().rank() != 2) throw unsupported(n, "only 2-D matrix products are supported");
    String out = n.outputs().get(0);
    INDArray bias = null;
    NodeDef add = consumers.getOrDefault(out, 0) == 1 ? onlyConsumer(out) : null;
    if (add != null && add.opType().equals("Add")) {
      String other = add.input(0).equals(out) ? add.input(1) : add.input(0);
      TensorDef c = constants.get(other);
      if (c != null && c.size() == b.size(1)) {
        bias = array(c).reshape(b.size(1));
        fused.add(add);
        out = add.outputs().get(0);
      }
    }
    dense(n, a, b, bias, out);
  }

  private void dense(NodeDef n, Value a, INDArray kernel, INDArray bias, String output) {
    if (kernel.size(0) != a.tensor().shape()[1]) {
      throw DlnRuntimeException.shape(where + ": " + n.describe() + " multiplies " + Shapes.format(a.tensor().shape())
          + " by a weight matrix of " + kernel.size(0) + " rows", null);
    }
    if (a.layout() == Layout.FLAT_CHW) kernel = chwRowsToHwc(kernel, a.chw());
    Dense d = new Dense(new Dense.Config((int) kernel.size(1), "linear", bias != null, "glorot_uniform", "zeros", null, null), name(n));
    SymbolicTensor y = apply(n, d, a.tensor());
    d.setWeights(bias == null ? List.of(kernel) : List.of(kernel, bias));
    values.put(output, new Value(y, Layout.PLAIN));
  }

  /**
   * Reorders a weight matrix's rows from ONNX's flatten order (c, h, w) to DLN's (h, w, c), so
   * Dense on DLN's flattened NHWC map computes what Gemm computed on the flattened NCHW map.
   */
  static INDArray chwRowsToHwc(INDArray kernel, long[] chw) {
    long c = chw[0];
    long h = chw[1];
    long w = chw[2];
    long units = kernel.size(1);
    // rows indexed [c][h][w] -> view as (C, H, W, units), move to (H, W, C, units)
    return kernel.dup('c').reshape('c', c, h, w, units).permute(1, 2, 0, 3).dup('c').reshape('c', c * h * w, units);
  }

  private void add(NodeDef n) {
    if (constants.containsKey(n.input(0)) || constants.containsKey(n.input(1))) {
      throw unsupported(n, "adding a constant is supported only as the bias right after MatMul");
    }
    Value a = value(n, n.input(0));
    Value b = value(n, n.input(1));
    if (a.layout() == Layout.POOLED && b.layout() == Layout.POOLED) {
      put(n, new Value(apply(n, new Add(new Add.Config(), name(n)), List.of(a.tensor(), b.tensor())), Layout.POOLED));
      return;
    }
    a = unpool(n, a);
    b = unpool(n, b);
    if (a.layout() != b.layout() || !Arrays.equals(a.tensor().shape(), b.tensor().shape())) {
      throw unsupported(n, "adding tensors of different shapes " + Shapes.format(a.tensor().shape()) + " and "
          + Shapes.format(b.tensor().shape()) + " (broadcasting)");
    }
    put(n, new Value(apply(n, new Add(new Add.Config(), name(n)), List.of(a.tensor(), b.tensor())), a.layout(), a.chw()));
  }

  private void concat(NodeDef n) {
    List<Value> ins = new ArrayList<>();
    for (String s : n.inputs()) ins.add(unpool(n, value(n, s)));
    Layout layout = ins.get(0).layout();
    int rank = ins.get(0).tensor().rank();
    for (Value v : ins) if (v.layout() != layout || v.layout() == Layout.FLAT_CHW) throw unsupported(n, "joining tensors of different layouts");
    long axis = n.i("axis", 1);
    if (axis < 0) axis += rank;
    int dlnAxis;
    if (layout == Layout.NCHW) {
      dlnAxis = switch ((int) axis) {
        case 1 -> 3;
        case 2 -> 1;
        case 3 -> 2;
        default -> throw unsupported(n, "joining along the batch axis");
      };
    } else {
      if (axis == 0) throw unsupported(n, "joining along the batch axis");
      dlnAxis = (int) axis;
    }
    List<SymbolicTensor> ts = new ArrayList<>();
    for (Value v : ins) ts.add(v.tensor());
    put(n, new Value(apply(n, new Concatenate(new Concatenate.Config(dlnAxis), name(n)), ts), layout));
  }

  private void flatten(NodeDef n, long axis) {
    Value x = value(n, n.input(0));
    if (axis != 1) throw unsupported(n, "axis=" + axis + " (only axis=1 keeps the batch axis)");
    switch (x.layout()) {
      case POOLED, FLAT_CHW -> put(n, x);
      case PLAIN -> put(n, x.tensor().rank() == 2 ? x : new Value(apply(n, new Flatten(new Flatten.Config(), name(n)), x.tensor()), Layout.PLAIN));
      case NCHW -> {
        long[] s = x.tensor().shape(); // N, H, W, C
        SymbolicTensor y = apply(n, new Flatten(new Flatten.Config(), name(n)), x.tensor());
        boolean trivial = s[1] == 1 && s[2] == 1;
        put(n, trivial ? new Value(y, Layout.PLAIN) : new Value(y, Layout.FLAT_CHW, new long[] {s[3], s[1], s[2]}));
      }
      default -> throw new IllegalStateException();
    }
  }

  private void reshape(NodeDef n) {
    Value x = value(n, n.input(0));
    long[] target = constant(n, n.input(1)).longs();
    if (target == null) throw unsupported(n, "a shape that is not int64");
    long[] onnxShape = onnxShape(x);
    long[] t = target.clone();
    for (int i = 0; i < t.length; i++) if (t[i] == 0 && n.i("allowzero", 0) == 0 && i < onnxShape.length) t[i] = onnxShape[i];
    boolean keepsBatch = t.length >= 1 && (t[0] == -1 || t[0] == onnxShape[0]);
    if (t.length == 2 && (keepsBatch || t[1] == -1 || t[1] == Shapes.sampleSize(x.tensor().shape()))) {
      flatten(n, 1);
      return;
    }
    if (x.layout() != Layout.PLAIN || !keepsBatch) throw unsupported(n, "reshaping " + dims(onnxShape) + " to " + dims(target));
    long[] sample = Arrays.copyOfRange(t, 1, t.length);
    put(n, new Value(apply(n, new Reshape(new Reshape.Config(sample), name(n)), x.tensor()), Layout.PLAIN));
  }

  private void softmax(NodeDef n) {
    Value x = unpool(n, value(n, n.input(0)));
    int rank = x.tensor().rank();
    long axis = n.i("axis", graph.opset() >= 13 ? -1 : 1);
    if (axis < 0) axis += rank;
    if (graph.opset() < 13 && axis != rank - 1) throw unsupported(n, "opset " + graph.opset() + " softmax over axes " + axis + ".. (flattened)");
    int dlnAxis;
    if (x.layout() == Layout.NCHW) {
      dlnAxis = switch ((int) axis) {
        case 1 -> 3;
        case 2 -> 1;
        case 3 -> 2;
        default -> throw unsupported(n, "softmax over the batch axis");
      };
    } else if (x.layout() == Layout.FLAT_CHW) {
      dlnAxis = 1; // over all features: the order does not matter
    } else {
      if (axis == 0) throw unsupported(n, "softmax over the batch axis");
      dlnAxis = (int) axis;
    }
    put(n, new Value(apply(n, new Softmax(new Softmax.Config(dlnAxis), name(n)), x.tensor()), x.layout(), x.chw()));
  }

  // ---------------------------------------------------------------- padding

  /** ONNX pads [top, left, bottom, right] as DLN's [top, bottom, left, right]. */
  private static int[] pads(NodeDef n) {
    long[] p = n.ints("pads");
    if (p == null) return new int[4];
    if (p.length != 4) return new int[] {-1, -1, -1, -1};
    return new int[] {(int) p[0], (int) p[2], (int) p[1], (int) p[3]};
  }

  /**
   * 'valid' for no padding, 'same' when the pads are exactly what 'same' adds for this input
   * (the smaller half before, as TensorFlow and ONNX's SAME_UPPER do), otherwise null (an explicit
   * padding layer is needed).
   */
  private String padding(NodeDef n, SymbolicTensor x, int kh, int kw, int[] strides) {
    String auto = n.s("auto_pad", "NOTSET");
    if (auto.equals("VALID")) return "valid";
    if (auto.equals("SAME_UPPER")) return "same";
    long[] s = x.shape();
    int[] p;
    if (auto.equals("SAME_LOWER")) {
      int th = samePad(s[1], kh, strides[0]);
      int tw = samePad(s[2], kw, strides[1]);
      p = new int[] {th - th / 2, th / 2, tw - tw / 2, tw / 2};
      n.attributes().put("pads", new OnnxGraph.AttrDef("pads", 0, 0, null, null, null, new long[] {p[0], p[2], p[1], p[3]}));
    } else {
      p = pads(n);
    }
    if (p[0] < 0) throw unsupported(n, "pads with other than 4 values");
    if (p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) return "valid";
    int th = samePad(s[1], kh, strides[0]);
    int tw = samePad(s[2], kw, strides[1]);
    if (p[0] == th / 2 && p[1] == th - th / 2 && p[2] == tw / 2 && p[3] == tw - tw / 2) return "same";
    return null;
  }

  private static int samePad(long in, int k, int stride) {
    long out = (in + stride - 1) / stride;
    return (int) Math.max(0, (out - 1) * stride + k - in);
  }

  // ---------------------------------------------------------------- helpers

  private Value value(NodeDef n, String name) {
    Value v = values.get(name);
    if (v != null) return v;
    if (constants.containsKey(name)) throw unsupported(n, "a constant where DLN expects a computed tensor ('" + name + "')");
    throw DlnRuntimeException.value(where + ": " + n.describe() + " reads '" + name + "', which no earlier node computes", null);
  }

  private TensorDef constant(NodeDef n, String name) {
    TensorDef t = constants.get(name);
    if (t == null) throw unsupported(n, "a computed tensor where DLN expects a constant weight ('" + name + "')");
    return t;
  }

  /** An NCHW image value (a POOLED one becomes a 1×1 image again). */
  private Value image(NodeDef n, Value x) {
    Value v = unpool(n, x);
    if (v.layout() != Layout.NCHW) throw unsupported(n, "an input of shape " + dims(onnxShape(x)) + " (expected NCHW images)");
    return v;
  }

  private Value unpool(NodeDef n, Value x) {
    if (x.layout() != Layout.POOLED) return x;
    long c = x.tensor().shape()[1];
    return new Value(apply(n, new Reshape(new Reshape.Config(new long[] {1, 1, c}), uniqueName(n.opType().toLowerCase(Locale.ROOT) + "_unpool")), x.tensor()), Layout.NCHW);
  }

  /** A 2-D value for a matrix product (POOLED and FLAT_CHW are 2-D already). */
  private Value flat(NodeDef n, Value x) {
    if (x.layout() == Layout.POOLED) return new Value(x.tensor(), Layout.PLAIN);
    if (x.layout() == Layout.NCHW || x.tensor().rank() != 2) throw unsupported(n, "an input of shape " + dims(onnxShape(x)) + " (expected a matrix)");
    return x;
  }

  private static long[] onnxShape(Value v) {
    long[] s = v.tensor().shape();
    return switch (v.layout()) {
      case NCHW -> new long[] {s[0], s[3], s[1], s[2]};
      case POOLED -> new long[] {s[0], s[1], 1, 1};
      default -> s;
    };
  }

  private void put(NodeDef n, Value v) {
    values.put(n.outputs().get(0), v);
  }

  private SymbolicTensor apply(NodeDef n, Layer l, SymbolicTensor x) {
    return apply(n, l, List.of(x));
  }

  private SymbolicTensor apply(NodeDef n, Layer l, List<SymbolicTensor> xs) {
    try {
      return l.apply(xs).get(0);
    } catch (DlnRuntimeException e) {
      throw DlnRuntimeException.shape(where + ": cannot map " + n.describe() + ": " + e.getMessage(), e.hint());
    }
  }

  private NodeDef onlyConsumer(String tensor) {
    for (NodeDef m : graph.nodes()) if (m.inputs().contains(tensor)) return m;
    return null;
  }

  private static INDArray array(TensorDef t) {
    long[] shape = t.dims().length == 0 ? new long[] {1} : t.dims();
    if (t.floats() != null) return Nd4j.create(t.floats(), shape, 'c');
    float[] f = new float[t.longs().length];
    for (int i = 0; i < f.length; i++) f[i] = t.longs()[i];
    return Nd4j.create(f, shape, 'c');
  }

  private static int[] pair(long[] v, int dflt) {
    if (v == null) return new int[] {dflt, dflt};
    if (v.length != 2) throw DlnRuntimeException.value("expected two values, got " + v.length);
    return new int[] {(int) v[0], (int) v[1]};
  }

  private void requireOnes(NodeDef n, String attr) {
    long[] v = n.ints(attr);
    if (v != null) for (long d : v) if (d != 1) throw unsupported(n, attr + "=" + Arrays.toString(v));
  }

  private DlnRuntimeException unsupported(NodeDef n, String what) {
    return DlnRuntimeException.value("cannot import " + where + ": " + n.describe() + " uses " + what + ", which DLN does not support", null);
  }

  /** A layer name from the node name ("/layer1/layer1.0/conv1/Conv" -> "layer1.0_conv1"), unique in the model. */
  private String name(NodeDef n) {
    String base = n.name().isEmpty() ? n.opType().toLowerCase(Locale.ROOT) : n.name();
    String[] parts = base.split("/");
    List<String> keep = new ArrayList<>();
    for (String p : parts) if (!p.isEmpty()) keep.add(p);
    // torch names repeat the module path ("/layer1/layer1.0/conv1/Conv"): keep the last two parts.
    if (keep.size() > 2) keep = keep.subList(keep.size() - 2, keep.size());
    return uniqueName(String.join("_", keep));
  }

  private String uniqueName(String base) {
    String clean = sanitize(base);
    String name = clean;
    for (int i = 1; !usedNames.add(name); i++) name = clean + "_" + i;
    return name;
  }

  private static String sanitize(String s) {
    String c = s.replaceAll("[^A-Za-z0-9_.-]", "_").replaceAll("_+", "_");
    c = c.replaceAll("^[_.-]+|[_.-]+$", "");
    return c.isEmpty() ? "onnx" : c;
  }

  private static String dims(long[] d) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < d.length; i++) sb.append(i > 0 ? ", " : "").append(d[i] < 0 ? "?" : Long.toString(d[i]));
    return sb.append(d.length == 1 ? ",)" : ")").toString();
  }
}
