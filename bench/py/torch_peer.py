"""The PyTorch peer: the same MLP and CNN, the same protocol as the JVM peers (dln.bench.Driver):
warm-up slice, one timed epoch (shuffled, batch 128), timed inference at batch 1,000.
Also eager op latency and GEMM throughput, for comparison with DLN's.

Run with Debian's python3 (/usr/bin/python3 with python3-torch and libopenblas0-pthread).
Prints one `RESULT {json}` line per measurement, like the Java peers.
"""
import argparse
import gzip
import json
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 128


def result(**fields):
    print("RESULT " + json.dumps({"peer": "pytorch", **fields}), flush=True)


def idx(path, image):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    if image:
        n, rows, cols = (int.from_bytes(raw[i:i + 4], "big") for i in (4, 8, 12))
        return np.frombuffer(raw, dtype=np.uint8, offset=16).reshape(n, rows * cols).astype(np.float32) / 255.0
    return np.frombuffer(raw, dtype=np.uint8, offset=8).astype(np.int64)


def load(data_dir):
    d = os.path.join(data_dir, "mnist")
    return (torch.from_numpy(idx(os.path.join(d, "train-images-idx3-ubyte.gz"), True)),
            torch.from_numpy(idx(os.path.join(d, "train-labels-idx1-ubyte.gz"), False)),
            torch.from_numpy(idx(os.path.join(d, "t10k-images-idx3-ubyte.gz"), True)),
            torch.from_numpy(idx(os.path.join(d, "t10k-labels-idx1-ubyte.gz"), False)))


def mlp():
    return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(512, 10))


def cnn():
    return nn.Sequential(nn.Unflatten(1, (1, 28, 28)),
                         nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Dropout(0.25), nn.Flatten(),
                         nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


def train_epoch(model, opt, x, y, n):
    model.train()
    perm = torch.randperm(n)
    loss = None
    for start in range(0, n, BATCH):
        b = perm[start:start + BATCH]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x[b]), y[b])  # logits + softmax cross-entropy, as Keras' softmax + CCE
        loss.backward()
        opt.step()
    return float(loss)


def predict(model, x, y, n, batch):
    model.eval()
    hits = 0
    with torch.inference_mode():
        for start in range(0, n, batch):
            p = F.softmax(model(x[start:start + batch]), dim=1)
            hits += int((p.argmax(1) == y[start:start + batch]).sum())
    return hits / n


def network(name, args, data):
    xtr, ytr, xte, yte = data
    torch.manual_seed(42)
    t0 = time.perf_counter()
    model = mlp() if name == "mlp" else cnn()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    build = time.perf_counter() - t0
    samples = args.mlp_samples if name == "mlp" else args.cnn_samples
    warmup = args.mlp_warmup if name == "mlp" else args.cnn_warmup
    train_epoch(model, opt, xtr, ytr, warmup)
    for _ in range(args.repeats):
        t = time.perf_counter()
        loss = train_epoch(model, opt, xtr, ytr, samples)
        s = time.perf_counter() - t
        result(workload=name + "_train", samples=samples, seconds=s, samples_per_s=samples / s, loss=loss, build_s=build)
    predict(model, xte, yte, min(2 * args.infer_batch, args.infer_samples), args.infer_batch)
    for _ in range(args.repeats):
        t = time.perf_counter()
        acc = predict(model, xte, yte, args.infer_samples, args.infer_batch)
        s = time.perf_counter() - t
        result(workload=name + "_infer", samples=args.infer_samples, batch=args.infer_batch, seconds=s,
               samples_per_s=args.infer_samples / s, accuracy=acc)


def per_call_us(fn, seconds):
    """Median microseconds per call over 7 windows, after a warm-up window (as dln.bench.EagerOps)."""
    def window():
        start = time.perf_counter()
        reps = 0
        while True:
            fn()
            reps += 1
            if reps >= 3 and time.perf_counter() - start >= seconds / 8:
                return (time.perf_counter() - start) * 1e6 / reps
    window()
    return statistics.median(window() for _ in range(7))


def eager(seconds):
    for name, a, b, op in [("add 2x2", torch.rand(2, 2), torch.rand(2, 2), torch.add),
                           ("add 512x512", torch.rand(512, 512), torch.rand(512, 512), torch.add),
                           ("matmul 128x784 @ 784x512", torch.rand(128, 784), torch.rand(784, 512), torch.mm)]:
        result(workload="eager", op=name, torch_us=per_call_us(lambda: op(a, b), seconds))


def gemm(seconds):
    for name, m, k, n in [("mlp fwd 128x784 @ 784x512", 128, 784, 512), ("infer 1000x784 @ 784x512", 1000, 784, 512),
                          ("square 2048^3", 2048, 2048, 2048)]:
        a, b, c = torch.rand(m, k), torch.rand(k, n), torch.empty(m, n)
        torch.mm(a, b, out=c)
        best = 0.0
        for _ in range(3):
            start, reps = time.perf_counter(), 0
            while time.perf_counter() - start < seconds:
                torch.mm(a, b, out=c)
                reps += 1
            best = max(best, reps * 2.0 * m * k * n / (time.perf_counter() - start) / 1e9)
        result(workload="gemm", shape=name, m=m, k=k, n=n, gflops=best)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--peer", default="pytorch")
    p.add_argument("--nets", default="mlp,cnn")
    p.add_argument("--mlp-samples", type=int, default=60000)
    p.add_argument("--mlp-warmup", type=int, default=2560)
    p.add_argument("--cnn-samples", type=int, default=6000)
    p.add_argument("--cnn-warmup", type=int, default=640)
    p.add_argument("--infer-samples", type=int, default=10000)
    p.add_argument("--infer-batch", type=int, default=1000)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--extras", default="", help="eager,gemm: also measure op latency / GEMM")
    p.add_argument("--seconds", type=float, default=1.5)
    args = p.parse_args()
    torch.set_num_threads(os.cpu_count())  # threads = cores (Debian's build picks fewer on some VMs)
    print(f"INFO torch {torch.__version__} threads={torch.get_num_threads()} "
          f"blas={'openblas' if 'openblas' in torch.__config__.show().lower() else 'unknown'}", flush=True)
    extras = [e for e in args.extras.split(",") if e]
    if "eager" in extras:
        eager(args.seconds)
    if "gemm" in extras:
        gemm(args.seconds / 3)
    data_dir = os.environ.get("DLN_DATA") or os.path.join("..", "shared", "data")
    data = load(data_dir)
    for net in [n for n in args.nets.split(",") if n]:
        network(net, args, data)


if __name__ == "__main__":
    sys.exit(main())
