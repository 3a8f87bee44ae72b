"""A frozen ONNX image network as a PyTorch module, read without the `onnx` package (Debian's
python3-torch has none): the PyTorch peer of the transfer workload runs the very weights that
bench/dln/transfer.dln imports, so the two train their heads on the same features.

Reads the protobuf wire format directly (ModelProto.graph = 7; GraphProto.node = 1,
initializer = 5; NodeProto input = 1, output = 2, op_type = 4, attribute = 5; AttributeProto
name = 1, f = 2, i = 3, ints = 8; TensorProto dims = 1, data_type = 2, float_data = 4, name = 8,
raw_data = 9) and runs the ops a default torch export of a ResNet uses: Conv, Relu, MaxPool, Add,
GlobalAveragePool, Flatten, Gemm, Identity. Float32 weights only.
"""
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def _varint(buf, pos):
    shift = value = 0
    while True:
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def _fields(buf):
    """(field number, wire type, value) of one message: ints for varints, bytes for the rest."""
    pos, end = 0, len(buf)
    while pos < end:
        key, pos = _varint(buf, pos)
        num, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos:pos + 8], pos + 8
        elif wire == 2:
            n, pos = _varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
        elif wire == 5:
            value, pos = buf[pos:pos + 4], pos + 4
        else:
            raise ValueError(f"protobuf wire type {wire} is not read here")
        yield num, wire, value


def _int64s(wire, value):
    """A repeated int64 field's values from one occurrence (packed or not), as signed ints."""
    if wire == 0:
        raw = [value]
    else:
        raw, pos = [], 0
        while pos < len(value):
            v, pos = _varint(value, pos)
            raw.append(v)
    return [v - (1 << 64) if v >= 1 << 63 else v for v in raw]


def _tensor(buf):
    dims, name, raw, floats, dtype = [], None, None, [], 1
    for num, wire, value in _fields(buf):
        if num == 1:
            dims += _int64s(wire, value)
        elif num == 2:
            dtype = value
        elif num == 4:
            floats += list(struct.unpack(f"<{len(value) // 4}f", value)) if wire == 2 else [struct.unpack("<f", value)[0]]
        elif num == 8:
            name = value.decode()
        elif num == 9:
            raw = value
    if dtype != 1:
        raise ValueError(f"initializer {name}: data type {dtype}, only float32 is read here")
    data = np.frombuffer(raw, dtype="<f4") if raw is not None else np.array(floats, dtype=np.float32)
    return name, torch.from_numpy(data.astype(np.float32).reshape(dims))


def _attribute(buf):
    name, value = None, None
    for num, wire, v in _fields(buf):
        if num == 1:
            name = v.decode()
        elif num == 2:
            value = struct.unpack("<f", v)[0]
        elif num == 3:
            value = _int64s(0, v)[0]
        elif num == 8:
            value = (value or []) + _int64s(wire, v)
    return name, value


def _node(buf):
    node = {"inputs": [], "outputs": [], "op": None, "attrs": {}}
    for num, wire, value in _fields(buf):
        if num == 1:
            node["inputs"].append(value.decode())
        elif num == 2:
            node["outputs"].append(value.decode())
        elif num == 4:
            node["op"] = value.decode()
        elif num == 5:
            k, v = _attribute(value)
            node["attrs"][k] = v
    return node


def read(path):
    """(nodes in file order, {initializer name: tensor}, the graph's input name) of an ONNX model."""
    with open(path, "rb") as f:
        model = f.read()
    graph = next(v for num, _, v in _fields(model) if num == 7)
    nodes, weights, inputs = [], {}, []
    for num, _, value in _fields(graph):
        if num == 1:
            nodes.append(_node(value))
        elif num == 5:
            name, t = _tensor(value)
            weights[name] = t
        elif num == 11:  # ValueInfoProto, name = 1
            inputs.append(next(v for n, _, v in _fields(value) if n == 1).decode())
    data = [i for i in inputs if i not in weights]
    if len(data) != 1:
        raise ValueError(f"{path}: {len(data)} graph inputs, one is run here")
    return nodes, weights, data[0]


def _symmetric(pads):
    if pads is None:
        return 0, 0
    if len(pads) != 4 or pads[0] != pads[2] or pads[1] != pads[3]:
        raise ValueError(f"asymmetric padding {pads} is not run here")
    return pads[0], pads[1]


class FrozenOnnx(nn.Module):
    """The ONNX graph up to the input of its last node (for a classifier: the pooled, flattened
    features before the final Gemm), its weights frozen buffers."""

    def __init__(self, path):
        super().__init__()
        nodes, weights, self.input = read(path)
        self.nodes = nodes[:-1]
        self.features = nodes[-1]["inputs"][0]
        self.weights = {}
        for i, (name, t) in enumerate(weights.items()):
            self.register_buffer(f"w{i}", t)
            self.weights[name] = f"w{i}"

    def _value(self, values, name):
        return values[name] if name in values else getattr(self, self.weights[name])

    def forward(self, x):
        values = {self.input: x}
        for n in self.nodes:
            ins = [self._value(values, i) for i in n["inputs"] if i]
            a, op = n["attrs"], n["op"]
            if op == "Conv":
                out = F.conv2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, tuple(a.get("strides", [1, 1])),
                               _symmetric(a.get("pads")), tuple(a.get("dilations", [1, 1])), a.get("group", 1))
            elif op == "Relu":
                out = F.relu(ins[0])
            elif op == "MaxPool":
                out = F.max_pool2d(ins[0], tuple(a["kernel_shape"]), tuple(a.get("strides", a["kernel_shape"])),
                                   _symmetric(a.get("pads")))
            elif op == "Add":
                out = ins[0] + ins[1]
            elif op == "GlobalAveragePool":
                out = ins[0].mean((2, 3), keepdim=True)
            elif op == "Flatten":
                out = torch.flatten(ins[0], a.get("axis", 1))
            elif op == "Identity":
                out = ins[0]
            else:
                raise ValueError(f"ONNX op {op} is not run here")
            values[n["outputs"][0]] = out
        return values[self.features]
