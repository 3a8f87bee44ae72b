#!/usr/bin/python3
"""Writes reference.json (and x.npy, d.npz): NumPy's own results for DLN expressions.

Run once with Debian's python3-numpy (/usr/bin/python3 generate_reference.py). Each case is an
expression that is valid Python and valid DLN; NumpyReferenceTest evaluates it in DLN after the
same setup lines and compares values, shape and dtype. "dln_dtype" marks a documented difference
(Python float lists and floats give float32 in DLN, float64 in NumPy).
"""
import json
import numpy as np

setup = [
    "import numpy as np",
    "a = np.array([[3.0, -1.0, 2.0], [0.5, 7.0, -4.0]], dtype='float32')",
    "i = np.array([[3, 1, 2], [9, 7, 8]], dtype='int64')",
    "v = np.array([4, 1, 3, 1, 4, 4], dtype='int64')",
    "f = np.array([1.0, 4.0, 9.0, 16.0], dtype='float32')",
]
cases = [
    "np.sort(a)", "np.sort(a, axis=0)", "np.sort(i, axis=None)", "np.argsort(a)", "np.argsort(i, axis=0)",
    "np.argsort(f)[::-1]",
    "np.unique(v)", "np.unique(v, return_counts=True)", "np.unique(v, return_index=True, return_inverse=True)",
    "np.where(a > 0, a, 0)", "np.where(a > 0)", "np.where(i > 4, i, -i)", "np.nonzero(i > 7)",
    "np.sum(a, axis=0)", "np.sum(i, axis=1, keepdims=True)", "np.mean(a, axis=1)", "np.std(a, axis=0)",
    "np.min(a, axis=1)", "np.max(i, axis=0, keepdims=True)", "np.argmax(a, axis=1)", "np.argmin(i)",
    "np.concatenate([a, a], axis=1)", "np.concatenate([i, i], axis=None)", "np.stack([f, f], axis=1)",
    "np.split(np.arange(6), 3)", "np.split(i, [1, 2], axis=1)", "np.array_split(np.arange(7), 3)",
    "np.pad(i, 1)", "np.pad(f, (2, 1), mode='edge')", "np.pad(f, (3, 2), mode='reflect')",
    "np.pad(i, ((0, 1), (2, 0)), constant_values=5)", "np.pad(f, 2, mode='symmetric')", "np.pad(f, (6, 7), mode='wrap')", "np.pad(f, (6, 7), mode='reflect')", "np.pad(f, (6, 7), mode='symmetric')",
    "np.tile(f, 2)", "np.tile(i, (2, 1))", "np.repeat(i, 2)", "np.repeat(i, [1, 2], axis=0)",
    "np.diff(f)", "np.diff(i, axis=0)", "np.diff(f, n=2)", "np.clip(a, -1, 2)", "np.clip(i, 2, None)",
    "np.expand_dims(f, 0)", "np.expand_dims(a, -1)", "np.squeeze(np.zeros((1, 3, 1)))",
    "np.meshgrid(np.arange(3), np.arange(2))", "np.meshgrid(np.arange(3), np.arange(2), indexing='ij')",
    "np.eye(3)", "np.eye(2, 3, k=1)", "np.arange(5)", "np.arange(1, 10, 3)", "np.linspace(0, 1, 5)",
    "np.linspace(0, 1, 4, endpoint=False)", "np.zeros_like(i)", "np.ones_like(a)", "np.full_like(i, 7)",
    "np.r_[0:3, 7]", "np.c_[f, f]", "np.cumsum(i, axis=1)", "np.log1p(f)", "np.isclose(f, f + 1e-7)", "np.all(a > -5)", "np.any(a > 5, axis=0)", "np.all(i > 1, axis=1)",
    "a.T", "a.reshape(-1, 2)", "i.astype('uint8')", "a.astype(np.int32)", "(a > 0).astype('float32')",
    "a[a > 0]", "i[[0, 1], [2, 0]]", "i[:, [0, 2]]", "i[[1, 0]]", "i[1, [2, 1]]", "a[:, a[0] > 0]",
    "np.arange(24).reshape(2, 3, 4)[0, :, [1, 2]]", "i[:, None]", "i[None, 1]", "f[:, np.newaxis]", "np.vstack([f, f])", "np.hstack([i, i])",
]
dln_dtype = {"np.linspace(0, 1, 5)": "float32", "np.linspace(0, 1, 4, endpoint=False)": "float32",
             "np.eye(3)": "float32", "np.eye(2, 3, k=1)": "float32", "np.squeeze(np.zeros((1, 3, 1)))": "float32",
             "np.c_[f, f]": "float32", "np.r_[0:3, 7]": "int64"}

env = {}
for line in setup:
    exec(line, env)


def encode(value, expr):
    if isinstance(value, (tuple, list)):
        return {"items": [encode(x, expr) for x in value]}
    arr = np.asarray(value)
    out = {"shape": list(arr.shape), "dtype": str(arr.dtype),
           "values": arr.astype(np.float64).ravel().tolist() if arr.dtype != np.bool_ else arr.ravel().astype(int).tolist()}
    if expr in dln_dtype:
        out["dln_dtype"] = dln_dtype[expr]
    return out


ref = {"numpy": np.__version__, "setup": setup, "cases": [{"expr": e, "expected": encode(eval(e, env), e)} for e in cases]}
# Mutations: the statements run, then the variable is compared
mutations = [("m = i.copy()\nm[m > 7] = 0", "m"), ("m = i.copy()\nm[[0, 1], [0, 1]] = -1", "m"),
             ("m = i.copy()\nm[:, [0, 2]] = 5", "m"), ("m = a.copy()\nm[a < 0] = np.array([10.0, 20.0], dtype='float32')", "m")]
ref["mutations"] = []
for code, var in mutations:
    exec(code, env)
    ref["mutations"].append({"code": code, "var": var, "expected": encode(env[var], code)})
json.dump(ref, open("reference.json", "w"), indent=0)
np.save("x.npy", env["a"])
np.savez("d.npz", a=env["a"], i=env["i"], b=env["a"] > 0, u=env["i"].astype(np.uint8))
