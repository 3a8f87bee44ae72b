"""The PyTorch peer of issue 15's workloads (bench/dln/{resbn,resnet,inception,lstm,emb}.dln), with
the protocol of the JVM peers (dln.bench.Driver): build, train a warm-up slice, time one epoch
(shuffled), warm up inference, time inference at batch 1,000. Keras's defaults are mirrored where
they change the work or the result: Glorot-uniform weights and zero biases, BatchNorm eps 1e-3 and
momentum 0.1 (Keras's 0.9), 'same' padding, softmax / sigmoid cross-entropy fused on logits.

Data: MNIST for resbn; generated for the others, by the rules of dln.bench.Synthetic (images:
class k brightens channel k % 3 by 0.1·(k + 1); sequences: label = first feature sums above 0;
tokens: label = last token below 5,000).

Run with Debian's python3 (python3-torch, libopenblas0-pthread); bench.py starts it. Prints one
`RESULT {json}` line per measurement.
"""
import argparse
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from onnx_net import FrozenOnnx  # noqa: E402  (same directory; the transfer workload's base)
from torch_peer import load, result  # noqa: E402  (same directory; MNIST loader and RESULT lines)

EPS, MOMENTUM = 1e-3, 0.1
# ResNet's BatchNorm momentum (Keras's 0.5 too, bench/dln/resnet.dln): its accuracy is read from the
# moving statistics after 18 steps, which momentum 0.1 leaves 15% at their initial values.
RESNET_MOMENTUM = 0.5


def bn(c, momentum=None):
    return nn.BatchNorm2d(c, eps=EPS, momentum=MOMENTUM if momentum is None else momentum)


class ResBN(nn.Module):
    """Conv 32 same, BN, relu, Conv 32 same, BN, relu, Add, MaxPool 2, Flatten, Dense 10."""

    def __init__(self):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(1, 32, 3, padding=1), bn(32)
        self.c2, self.b2 = nn.Conv2d(32, 32, 3, padding=1), bn(32)
        self.out = nn.Linear(32 * 14 * 14, 10)

    def forward(self, x):
        a = F.relu(self.b1(self.c1(x)))
        b = F.relu(self.b2(self.c2(a)))
        return self.out(torch.flatten(F.max_pool2d(a + b, 2), 1))


class Stage(nn.Module):
    """Keras's padding='same' on the strided 3x3 conv: on an even side with stride 2 Keras pads 0 rows
    above and 1 below (0 left, 1 right), where padding=1 would pad 1 on each side and shift every window
    one pixel up-left of Keras's (and off the 1x1 shortcut's sampling grid, which both start at 0)."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.stride = stride
        self.c1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1 if stride == 1 else 0)
        self.b1 = bn(cout, RESNET_MOMENTUM)
        self.c2, self.b2 = nn.Conv2d(cout, cout, 3, padding=1), bn(cout, RESNET_MOMENTUM)
        self.short = nn.Conv2d(cin, cout, 1, stride=stride) if stride != 1 else None

    def forward(self, x):
        h = self.b2(self.c2(F.relu(self.b1(self.c1(x if self.stride == 1 else F.pad(x, (0, 1, 0, 1)))))))
        return F.relu(h + (self.short(x) if self.short is not None else x))


class ResNet(nn.Module):
    """Stem conv 16 + BN + relu, three residual stages (16, 32/2, 64/2), global average pool, Dense 10."""

    def __init__(self):
        super().__init__()
        self.stem, self.bs = nn.Conv2d(3, 16, 3, padding=1), bn(16, RESNET_MOMENTUM)
        self.stages = nn.Sequential(Stage(16, 16, 1), Stage(16, 32, 2), Stage(32, 64, 2))
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        h = self.stages(F.relu(self.bs(self.stem(x))))
        return self.out(h.mean((2, 3)))


class Inception(nn.Module):
    """Stem conv 32; branches 1x1 16 | 1x1 16 -> 3x3 24 | 1x1 16 -> 5x5 8 | maxpool 3 s1 -> 1x1 8; concat, pool, GAP, Dense 10."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, padding=1)
        self.b1 = nn.Conv2d(32, 16, 1)
        self.b2a, self.b2b = nn.Conv2d(32, 16, 1), nn.Conv2d(16, 24, 3, padding=1)
        self.b3a, self.b3b = nn.Conv2d(32, 16, 1), nn.Conv2d(16, 8, 5, padding=2)
        self.b4 = nn.Conv2d(32, 8, 1)
        self.out = nn.Linear(56, 10)

    def forward(self, x):
        s = F.relu(self.stem(x))
        h = torch.cat([F.relu(self.b1(s)), F.relu(self.b2b(F.relu(self.b2a(s)))), F.relu(self.b3b(F.relu(self.b3a(s)))),
                       F.relu(self.b4(F.max_pool2d(s, 3, stride=1, padding=1)))], 1)
        return self.out(F.max_pool2d(h, 2).mean((2, 3)))


class Basic(nn.Module):
    """torchvision's ResNet BasicBlock: 3x3 conv, BN, relu, 3x3 conv, BN, add (1x1 strided projection when the shape changes), relu."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1, self.b1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout)
        self.c2, self.b2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout)
        self.down = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                     if stride != 1 or cin != cout else None)

    def forward(self, x):
        h = self.b2(self.c2(F.relu(self.b1(self.c1(x)))))
        return F.relu(h + (self.down(x) if self.down is not None else x))


class Transfer(nn.Module):
    """torchvision's resnet18 (the architecture of shared/data/onnx/resnet18.onnx, written out since
    Debian has no torchvision; its default initialisation) frozen (requires_grad=False, BN in eval
    mode), its 1000-class fc replaced by a trainable Linear(512, 10)."""

    def __init__(self):
        super().__init__()
        layers = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
        cin = 64
        for cout, stride in ((64, 1), (128, 2), (256, 2), (512, 2)):
            layers += [Basic(cin, cout, stride), Basic(cout, cout, 1)]
            cin = cout
        self.base = nn.Sequential(*layers)
        for m in self.base.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        for p in self.base.parameters():
            p.requires_grad = False
        self.head = nn.Linear(512, 10)

    def train(self, mode=True):
        super().train(mode)
        self.base.eval()  # a frozen base keeps BatchNorm in inference mode (Keras's trainable=False)
        return self

    def forward(self, x):
        return self.head(self.base(x).mean((2, 3)))


class OnnxTransfer(nn.Module):
    """The transfer workload on the very ONNX file bench/dln/transfer.dln imports (onnx_net.FrozenOnnx:
    its weights, BatchNorm folded into the convolutions as the export left it), frozen, a trainable
    Linear(512, 10) head on its pooled features. Both peers then train their heads on the same
    features; with Transfer (its own random draw of weights) the accuracies compared two different
    random networks."""

    def __init__(self, path):
        super().__init__()
        self.base = FrozenOnnx(path)
        self.head = nn.Linear(512, 10)

    def forward(self, x):
        return self.head(self.base(x))


class Seq(nn.Module):
    """[Embedding(10000, 64) ->] LSTM(64) or GRU(64) -> Dense(1) (sigmoid in the loss)."""

    def __init__(self, emb, cell=nn.LSTM):
        super().__init__()
        self.emb = nn.Embedding(10000, 64) if emb else None
        self.lstm = cell(64 if emb else 8, 64, batch_first=True)
        self.out = nn.Linear(64, 1)

    def forward(self, x):
        if self.emb is not None:
            x = self.emb(x)
        _, h = self.lstm(x)
        return self.out((h[0] if isinstance(h, tuple) else h)[-1])


def transfer(args):
    """OnnxTransfer on the ResNet-18 that the DLN peer imports, else (no file) Transfer's own weights."""
    if args.resnet18 and os.path.isfile(args.resnet18):
        return OnnxTransfer(args.resnet18)
    print(f"INFO transfer: no ONNX file at {args.resnet18!r}, a fresh random ResNet-18 (other weights than DLN's)", flush=True)
    return Transfer()


def keras_init(model):
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)) and m.weight.requires_grad:  # a frozen base keeps its own weights
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.LSTM, nn.GRU)):
            for name, p in m.named_parameters():
                (nn.init.zeros_ if "bias" in name else nn.init.xavier_uniform_)(p)
    return model


def images(n, rng, side=32):
    k = rng.integers(0, 10, n)
    x = rng.random((n, 3, side, side), dtype=np.float32)
    x[np.arange(n), k % 3] += (0.1 * (k + 1)).astype(np.float32)[:, None, None]
    return torch.from_numpy(x), torch.from_numpy(k.astype(np.int64))


def sequences(n, rng):
    x = (2 * rng.random((n, 20, 8), dtype=np.float32) - 1)
    return torch.from_numpy(x), torch.from_numpy((x[:, :, 0].sum(1) > 0).astype(np.float32)[:, None])


def tokens(n, rng):
    x = rng.integers(0, 10000, (n, 100))
    return torch.from_numpy(x), torch.from_numpy((x[:, -1] < 5000).astype(np.float32)[:, None])


def data(net, n, test, mnist):
    if net == "resbn":
        xtr, ytr, xte, yte = mnist()
        return xtr[:n].reshape(-1, 1, 28, 28), ytr[:n], xte[:test].reshape(-1, 1, 28, 28), yte[:test]
    if net == "transfer":
        return (*images(n, np.random.default_rng(1), 224), *images(test, np.random.default_rng(2), 224))
    make = {"resnet": images, "inception": images, "lstm": sequences, "gru": sequences, "emb": tokens}[net]
    return (*make(n, np.random.default_rng(1)), *make(test, np.random.default_rng(2)))


def loss_fn(net, out, y):
    return F.binary_cross_entropy_with_logits(out, y) if net in ("lstm", "gru", "emb") else F.cross_entropy(out, y)


def train_epoch(net, model, opt, x, y, n, batch):
    model.train()
    perm = torch.randperm(n)
    loss = None
    for start in range(0, n, batch):
        b = perm[start:start + batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net, model(x[b]), y[b])
        loss.backward()
        opt.step()
    return float(loss)


def accuracy(net, model, x, y, n, batch):
    model.eval()
    hits = 0
    with torch.inference_mode():
        for start in range(0, n, batch):
            out = model(x[start:start + batch])
            target = y[start:start + batch]
            pred = (torch.sigmoid(out) > 0.5).float() if net in ("lstm", "gru", "emb") else F.softmax(out, 1).argmax(1)
            hits += int((pred == target).sum())
    return hits / n


def measure(net, args, mnist):
    samples, warmup, test = getattr(args, net + "_samples"), getattr(args, net + "_warmup"), getattr(args, net + "_infer")
    batch = 64 if net in ("lstm", "gru", "emb") else 32 if net == "transfer" else 128
    infer_batch = 32 if net == "transfer" else args.infer_batch  # 224x224 images: as bench/dln/transfer.dln
    xtr, ytr, xte, yte = data(net, samples, test, mnist)
    torch.manual_seed(args.seed)
    t0 = time.perf_counter()
    model = keras_init({"resbn": ResBN, "resnet": ResNet, "inception": Inception, "transfer": lambda: transfer(args)}[net]()
                       if net not in ("lstm", "gru", "emb") else Seq(net == "emb", nn.GRU if net == "gru" else nn.LSTM))
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    build = time.perf_counter() - t0
    train_epoch(net, model, opt, xtr, ytr, warmup, batch)
    t = time.perf_counter()
    loss = train_epoch(net, model, opt, xtr, ytr, samples, batch)
    s = time.perf_counter() - t
    result(workload=net + "_train", samples=samples, seconds=s, samples_per_s=samples / s, loss=loss, build_s=build)
    accuracy(net, model, xte, yte, min(2 * infer_batch, test), infer_batch)
    t = time.perf_counter()
    acc = accuracy(net, model, xte, yte, test, infer_batch)
    s = time.perf_counter() - t
    result(workload=net + "_infer", samples=test, batch=infer_batch, seconds=s, samples_per_s=test / s, accuracy=acc)


NETS = ["resbn", "resnet", "inception", "lstm", "gru", "emb", "transfer"]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--peer", default="pytorch")
    p.add_argument("--nets", default=",".join(NETS))
    p.add_argument("--infer-batch", type=int, default=1000)
    p.add_argument("--infer-samples", type=int, default=2000)
    p.add_argument("--seed", type=int, default=42, help="torch.manual_seed: initial weights and the shuffles")
    data_dir = os.environ.get("DLN_DATA") or os.path.join("..", "shared", "data")
    p.add_argument("--resnet18", default=os.path.join(data_dir, "onnx", "resnet18.onnx"),
                   help="the transfer workload's ONNX base (bench.py passes the one the DLN peer imports)")
    for net, (n, w) in {"resbn": (6000, 640), "resnet": (2048, 256), "inception": (2048, 256),
                        "lstm": (8192, 1280), "gru": (8192, 1280), "emb": (8192, 1280), "transfer": (256, 32)}.items():
        p.add_argument(f"--{net}-samples", type=int, default=n)
        p.add_argument(f"--{net}-warmup", type=int, default=w)
        p.add_argument(f"--{net}-infer", type=int, default=None)
    args = p.parse_args()
    for net in NETS:
        if getattr(args, net + "_infer") is None:
            setattr(args, net + "_infer", args.infer_samples)
    torch.set_num_threads(os.cpu_count())
    print(f"INFO torch {torch.__version__} threads={torch.get_num_threads()}", flush=True)
    cache = {}

    def mnist():
        if "d" not in cache:
            cache["d"] = load(os.environ.get("DLN_DATA") or os.path.join("..", "shared", "data"))
        return cache["d"]

    for net in [n for n in args.nets.split(",") if n]:
        if net not in NETS:
            raise SystemExit(f"unknown network {net!r} ({', '.join(NETS)})")
        measure(net, args, mnist)


if __name__ == "__main__":
    sys.exit(main())
