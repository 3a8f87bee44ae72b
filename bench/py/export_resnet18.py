"""Writes a ResNet-18 ONNX file for the `transfer` workload when shared/data/onnx/resnet18.onnx is
missing: torchvision's resnet18 architecture (written out in torch_graphs.Transfer, since Debian has
no torchvision) with the fixture's conventions (shared/data/onnx/README.md): torch.manual_seed(0),
eval mode, a default export at opset 13 (BatchNorm folded into the convolutions), one input `input`
and one output `output`, the batch axis dynamic. Random weights, as in the fixture: the workload
measures speed, not predictions.

usage: python3 bench/py/export_resnet18.py OUT.onnx
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_graphs import Transfer  # noqa: E402  (same directory)


def resnet18():
    """Transfer's frozen base, then torchvision's head: global average pool, flatten, fc 512 -> 1000."""
    torch.manual_seed(0)
    base = Transfer().base
    return nn.Sequential(base, nn.AdaptiveAvgPool2d(1), nn.Flatten(1), nn.Linear(512, 1000)).eval()


def main():
    out = sys.argv[1]
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".part"  # a killed export leaves no half-written model behind
    with torch.no_grad():
        torch.onnx.export(resnet18(), torch.randn(1, 3, 224, 224), tmp, opset_version=13, input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
    os.replace(tmp, out)
    print(out)


if __name__ == "__main__":
    main()
