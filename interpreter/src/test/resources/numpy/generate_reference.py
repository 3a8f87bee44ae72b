#!/usr/bin/python3
"""Writes reference.json (and x.npy, d.npz): NumPy's own results for DLN expressions.

Run once with Debian's python3-numpy (/usr/bin/python3 generate_reference.py); the cases from the
dtype rules on were added with NumPy 2.4 (python3 generate_reference.py), which gives every earlier
case the same expected value (the np.linalg decompositions and np.round cases were added with
1.24 again: regenerating left every earlier case unchanged). Each case is an
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
    "s = np.array([[4.0, 7.0], [2.0, 6.0]], dtype='float32')",
    "b = np.arange(24, dtype='float32').reshape(2, 3, 4)",
    "bt = np.transpose(b, (0, 2, 1))",
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
# dtypes: NumPy's rules (ints stay int64, bools bool), but float32 where NumPy makes float64 from
# anything but float64 (Python floats, int / int, linear algebra on ints)
cases += [
    "np.array([1, 2, 3])", "np.array([True, False])", "np.array([1, 2.5])", "np.array([[1, 2], [3, 4]]) + 1",
    "np.array([7, -2]) // 2", "np.array([7, -2]) % 3", "np.array([1, 2]) / 2", "i + i", "i * 2", "i / i", "i * 0.5",
    "np.arange(5) * 2", "i - v[:3]", "(i > 2) + (i > 7)", "i @ i.T",
]
# ... (Ellipsis) and None in indices
cases += [
    "b[..., 0]", "b[0, ...]", "b[..., 1:3]", "b[:, ..., 2]", "b[..., None]", "b[None, ..., 0]", "i[..., -1]", "b[...]",
    "b[1, ..., 1:]", "b[..., [0, 2]]",
]
# einsum, linear algebra, positions
cases += [
    "np.einsum('ij,jk->ik', a, a.T)", "np.einsum('bij,bjk->bik', b, bt)", "np.einsum('ii->', s)", "np.einsum('ij->ji', a)",
    "np.einsum('i,i->', f, f)", "np.einsum('ij,jk', a, a.T)", "np.einsum('ii', s)", "np.einsum('ii->i', s)",
    "np.einsum('ij->', i)", "np.einsum('i,j->ij', f, f)", "np.einsum('...ij,...jk->...ik', b, bt)", "np.einsum('ij,ij->i', a, a)",
    "np.einsum('bij->bji', b)", "np.einsum('ij,jk->ik', i, i.T)", "np.einsum('bij,bjk', b, bt)", "np.einsum('ij', a)",
    "np.einsum('ji', a)", "np.einsum('i,i,i->', f, f, f)", "np.einsum('bij->b', b)", "np.einsum('...j->...', b)",
    "np.linalg.norm(f)", "np.linalg.norm(a)", "np.linalg.norm(b)", "np.linalg.norm(a, axis=1)", "np.linalg.norm(a, ord=1, axis=0)",
    "np.linalg.norm(f, ord=1)", "np.linalg.norm(f, ord=np.inf)", "np.linalg.norm(f, -np.inf)", "np.linalg.norm(f, 3)",
    "np.linalg.norm(f, 0)", "np.linalg.norm(s, ord=2)", "np.linalg.norm(s, ord=-2)", "np.linalg.norm(a, ord=2)",
    "np.linalg.norm(s, ord=1)", "np.linalg.norm(s, ord=np.inf)", "np.linalg.norm(a, -1)", "np.linalg.norm(s, 'fro')",
    "np.linalg.norm(s, 'nuc')", "np.linalg.norm(a, axis=1, keepdims=True)", "np.linalg.norm(b, axis=(1, 2))",
    "np.linalg.norm(b, ord=2, axis=(1, 2))", "np.linalg.norm(b, ord=np.inf, axis=(2, 1))", "np.linalg.norm(i)",
    "np.linalg.inv(s)", "np.linalg.inv(np.stack([s, s * 2]))", "np.linalg.det(s)", "np.linalg.det(np.stack([s, s.T * 3]))",
    "np.linalg.det(np.array([[1, 2], [3, 4]]))", "np.linalg.solve(s, np.array([1.0, 2.0], dtype='float32'))",
    "np.linalg.solve(s, s)", "np.linalg.inv(np.array([[2, 1], [1, 1]]))",
    "np.argwhere(i > 2)", "np.argwhere(f > 3)", "np.nonzero(a > 0)", "np.count_nonzero(i > 2)", "np.count_nonzero(i > 2, axis=0)",
    "np.count_nonzero(a, axis=1)", "np.outer(f, f)", "np.outer(np.array([1, 2]), np.array([3, 4, 5]))", "np.outer(a, f)",
    "np.trace(s)", "np.trace(i)", "np.trace(i, 1)", "np.trace(i, -1)", "np.diag(f)", "np.diag(i)", "np.diag(f, 1)",
    "np.diag(i, -1)", "np.diag([1, 2])", "np.diag(s, 1)",
    "np.linalg.qr(a)", "np.linalg.qr(a.T)", "np.linalg.qr(a.T, mode='complete')", "np.linalg.qr(s, mode='r')",
    "np.linalg.qr(b)", "np.linalg.svd(a, compute_uv=False)", "np.linalg.svd(b, compute_uv=False)",
    "np.abs(np.linalg.svd(s)[0])", "np.abs(np.linalg.svd(a.T, full_matrices=False)[2])", "np.linalg.svd(a.T)[0].shape",
    "np.linalg.eigvalsh(s @ s.T)", "np.linalg.eigh(s @ s.T)[0]", "np.abs(np.linalg.eigh(s @ s.T)[1])",
    "np.linalg.eigvalsh(s, UPLO='U')", "np.sort(np.linalg.eigvals(s))", "np.linalg.norm(np.linalg.eig(s)[1], axis=0)",
    "np.linalg.cholesky(s @ s.T)", "np.linalg.pinv(a)", "np.linalg.pinv(b)", "np.linalg.matrix_rank(a)",
    "np.linalg.matrix_rank(np.ones((3, 3)))", "np.linalg.lstsq(a.T, f[:3], rcond=None)",
    "np.round(a, 1)", "np.round(f / 3, 2)", "np.round(i, -1)", "np.around(np.array([0.5, 1.5, 2.5, -0.5]))",
]
dln_dtype = {"np.linspace(0, 1, 5)": "float32", "np.linspace(0, 1, 4, endpoint=False)": "float32",
             "np.eye(3)": "float32", "np.eye(2, 3, k=1)": "float32", "np.squeeze(np.zeros((1, 3, 1)))": "float32",
             "np.c_[f, f]": "float32", "np.r_[0:3, 7]": "int64"}
for e in ["np.array([1, 2.5])", "np.array([1, 2]) / 2", "i / i", "i * 0.5", "np.linalg.det(np.array([[1, 2], [3, 4]]))",
          "np.linalg.inv(np.array([[2, 1], [1, 1]]))", "np.linalg.norm(i)", "np.around(np.array([0.5, 1.5, 2.5, -0.5]))"]:
    dln_dtype[e] = "float32"

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
