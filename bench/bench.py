"""DLN benchmark orchestrator (started by bench/run.sh after the builds).

Runs every peer in its own process, interleaved round by round (A B C D E, A B C D E, ...), so
that a noisy neighbour hurts all peers alike; then start-up and eager-op latency; a GEMM roofline
once at the start. Collects the `RESULT {json}` lines the peers print, and writes
bench/results/latest.json (every raw measurement + the summary) and bench/results/latest.md.
A peer that fails or is unavailable is reported as MISSING, loudly, never dropped.

Standard library only: any python3 runs it; the PyTorch peer itself runs on /usr/bin/python3.
"""
import argparse
import datetime
import fcntl
import json
import os
import platform
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, "results")
PEERS = ["dln", "samediff", "dl4j", "djl", "pytorch"]
PEER_TITLES = {"dln": "DLN script", "samediff": "SameDiff (hand-written)", "dl4j": "DL4J MultiLayerNetwork",
               "djl": "DJL 0.36 / libtorch 2.7.1", "pytorch": "PyTorch (Debian python3-torch)"}
NET_WORKLOADS = ["mlp_train", "cnn_train", "mlp_infer", "cnn_infer"]
WORKLOAD_TITLES = {"mlp_train": "MLP train (epoch, batch 128)", "cnn_train": "CNN train (batch 128)",
                   "mlp_infer": "MLP inference (batch 1,000)", "cnn_infer": "CNN inference (batch 1,000)"}
# Issue 15's graph and sequence workloads (bench/dln/<net>.dln against bench/py/torch_graphs.py): DLN
# and PyTorch only, each in its own process, interleaved like the others.
GRAPH_NETS = ["resbn", "resnet", "inception", "lstm", "gru", "emb", "transfer"]
GRAPH_PEERS = ["dln", "pytorch"]
GRAPH_TITLES = {"resbn": "Residual BN CNN (MNIST, batch 128)", "resnet": "ResNet, 3 residual stages (32×32×3, batch 128)",
                "inception": "Inception block + Concatenate (32×32×3, batch 128)", "lstm": "LSTM(64), 20×8 (batch 64)", "gru": "GRU(64), 20×8 (batch 64)",
                "emb": "Embedding(10000, 64) → LSTM(64), 100 tokens (batch 64)",
                "transfer": "ResNet-18 (ONNX) frozen, new head (224×224×3, batch 32)"}
GRAPH_WORKLOADS = [f"{n}_{k}" for k in ("train", "infer") for n in GRAPH_NETS]
FULL = dict(rounds=3, mlp_samples=60000, mlp_warmup=2560, cnn_samples=6000, cnn_warmup=640, infer_samples=10000,
            gemm_seconds=0.6, eager_seconds=1.5, timeout=1500,
            # (timed training samples, warm-up samples, inference samples) per graph workload
            graphs={"resbn": (6000, 640, 10000), "resnet": (2048, 256, 2000), "inception": (2048, 256, 2000),
                    "lstm": (8192, 1280, 2000), "gru": (8192, 1280, 2000), "emb": (8192, 1280, 2000), "transfer": (256, 32, 128)})
QUICK = dict(rounds=1, mlp_samples=12800, mlp_warmup=1280, cnn_samples=640, cnn_warmup=256, infer_samples=2000,
             gemm_seconds=0.15, eager_seconds=0.4, timeout=600,
             graphs={"resbn": (640, 256, 2000), "resnet": (256, 128, 1000), "inception": (256, 128, 1000),
                     "lstm": (1024, 256, 1000), "gru": (1024, 256, 1000), "emb": (1024, 256, 1000), "transfer": (64, 32, 64)})


# ---------------------------------------------------------------- FLOPs from the layer shapes

def dense_flops(n_in, n_out):
    return 2 * n_in * n_out


def conv_flops(h_out, w_out, c_in, c_out, k=3):
    return 2 * h_out * w_out * c_out * k * k * c_in


# Forward multiply-add FLOPs per sample; training ~ 3x forward (forward, input grads, weight grads).
FORWARD_FLOPS = {
    "mlp": dense_flops(784, 512) + dense_flops(512, 512) + dense_flops(512, 10),
    "cnn": conv_flops(26, 26, 1, 32) + conv_flops(24, 24, 32, 64) + dense_flops(9216, 128) + dense_flops(128, 10),
}


def flops_per_sample(workload):
    net, kind = workload.split("_")
    return FORWARD_FLOPS[net] * (3 if kind == "train" else 1)


# ---------------------------------------------------------------- environment

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception as e:  # noqa: BLE001 - machine description is best effort, says why it is empty
        return f"({e})"


def machine():
    lscpu = sh("lscpu")
    field = lambda name: (re.search(rf"^{name}:\s*(.*)$", lscpu, re.M) or [None, "?"])[1]
    flags = set(field("Flags").split())
    simd = [f for f in ["avx", "avx2", "fma", "avx512f", "avx512bw", "avx512_vnni", "avx512_bf16", "amx_tile"] if f in flags]
    mem_kb = int((re.search(r"MemTotal:\s+(\d+)", open("/proc/meminfo").read()) or [0, 0])[1])
    return {
        "cpu": field("Model name"), "cores": os.cpu_count(), "threads_per_core": field("Thread\\(s\\) per core"),
        "simd": simd, "memory_gib": round(mem_kb / 2**20, 1), "os": platform.platform(),
        "java": sh("java -version 2>&1 | head -1"), "python_torch": torch_version(),
        "nd4j_natives": "linux-x86_64" + native_extension(flags), "loadavg_start": open("/proc/loadavg").read().split()[:3],
        "openblas_core": openblas_core() if torch_version() else None,
    }


def native_extension(flags=None):
    """The ND4J build DLN's launcher picks: oneDNN/AVX2 where the CPU has AVX2 (DLN_NATIVE=plain forces plain)."""
    if os.environ.get("DLN_NATIVE", "auto") == "plain":
        return ""
    if flags is None:
        flags = set(open("/proc/cpuinfo").read().split())
    return "-onednn-avx2" if "avx2" in flags else ""


def torch_python():
    return os.environ.get("BENCH_TORCH_PYTHON", "/usr/bin/python3")


def torch_version():
    out = subprocess.run([torch_python(), "-c", "import torch; print(torch.__version__)"], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def data_dir():
    d = os.environ.get("DLN_DATA") or os.path.join(REPO, "..", "shared", "data")
    return os.path.abspath(os.path.join(REPO, d)) if not os.path.isabs(d) else d


def env():
    e = dict(os.environ)
    e["OMP_WAIT_POLICY"] = "passive"  # everyone waits passively: spinning threads fight on small machines
    e["DLN_DATA"] = data_dir()
    return e


# Cores OpenBLAS 0.3.21 falls back to when it does not know a CPU: on a Sapphire Rapids VM Debian's
# libopenblas0-pthread reports "Prescott" (SSE3 kernels, ~50 GFLOP/s where SkylakeX kernels give ~220).
OLD_OPENBLAS_CORES = {"Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Atom", "Katmai", "Coppermine",
                      "Northwood", "Banias", "Athlon", "Opteron", "Barcelona", "Nano", "Generic", "Unknown"}
_openblas_core = None


def openblas_core():
    """(detected, forced): the core Debian's OpenBLAS picks for PyTorch, and the OPENBLAS_CORETYPE the
    benchmark sets when that pick ignores the CPU's AVX-512/AVX2 (None when the pick is right, or the
    user set OPENBLAS_CORETYPE)."""
    global _openblas_core
    if _openblas_core is None:
        probe = subprocess.run([torch_python(), "-c", "import torch; torch.ones(64, 64) @ torch.ones(64, 64)"],
                               env={**env(), "OPENBLAS_VERBOSE": "2"}, capture_output=True, text=True)
        found = re.search(r"Core: (\S+)", probe.stdout + probe.stderr)
        detected = found.group(1) if found else "?"
        flags = set(open("/proc/cpuinfo").read().split())
        forced = None
        if "OPENBLAS_CORETYPE" not in os.environ and detected in OLD_OPENBLAS_CORES:
            forced = "SkylakeX" if {"avx512f", "avx512bw", "avx512vl"} <= flags else "Haswell" if "avx2" in flags else None
        _openblas_core = (detected, forced)
    return _openblas_core


def torch_env():
    """PyTorch at its best: OpenBLAS with the kernels for this CPU."""
    e = env()
    forced = openblas_core()[1]
    if forced:
        e["OPENBLAS_CORETYPE"] = forced
    return e


# ---------------------------------------------------------------- peer commands

def java(classpath, main, args, extra=()):
    return (["java", "-Xss16m", "-Xmx6g", "-XX:+UseParallelGC", "-Dorg.bytedeco.javacpp.maxbytes=8G",
             "-Dorg.bytedeco.javacpp.platform.extension=" + native_extension(), "-Dorg.bytedeco.javacpp.logger=slf4j",
             *extra, "-cp", classpath, main] + args)


def classpath(kind):
    if kind == "dln":
        return os.pathsep.join([os.path.join(BENCH, "target", "classes"), os.path.join(REPO, "interpreter", "target", "dln.jar"),
                                os.path.join(REPO, "interpreter", "target", "lib", "*")])
    return os.pathsep.join([os.path.join(BENCH, "target", "classes"), os.path.join(BENCH, "target", "lib", "*")])


def net_args(cfg):
    return ["--nets", "mlp,cnn", "--mlp-samples", str(cfg["mlp_samples"]), "--mlp-warmup", str(cfg["mlp_warmup"]),
            "--cnn-samples", str(cfg["cnn_samples"]), "--cnn-warmup", str(cfg["cnn_warmup"]),
            "--infer-samples", str(cfg["infer_samples"]), "--infer-batch", "1000"]


def graph_args(cfg, nets):
    a = ["--nets", ",".join(nets), "--infer-batch", "1000"]
    for net in nets:
        n, w, i = cfg["graphs"][net]
        a += [f"--{net}-samples", str(n), f"--{net}-warmup", str(w), f"--{net}-infer", str(i)]
    return a


def resnet18_onnx():
    """The transfer workload's ResNet-18: the data folder's fixture, else one exported into bench/target/onnx
    (bench/py/export_resnet18.py, torchvision's architecture, random weights; never into the repository or
    shared/). None, with the reason printed, when neither is there and the export fails."""
    fixture = os.path.join(data_dir(), "onnx", "resnet18.onnx")
    if os.path.isfile(fixture):
        return fixture
    out = os.path.join(BENCH, "target", "onnx", "resnet18.onnx")
    if not os.path.isfile(out):
        print(f"  {fixture} is missing: exporting ResNet-18 to {os.path.relpath(out, REPO)}", flush=True)
        p = subprocess.run([torch_python(), os.path.join(BENCH, "py", "export_resnet18.py"), out], cwd=REPO,
                           env=torch_env(), capture_output=True, text=True, timeout=600)
        if p.returncode != 0 or not os.path.isfile(out):
            print("  ResNet-18 export failed: " + why(p.stderr or p.stdout), flush=True)
            return None
    return out


def graph_command(peer, cfg, nets, resnet18=None, seed=42):
    """One peer's graph workloads; round r runs with seed r on both peers (initial weights, shuffles), so the
    accuracy medians compare the same seed lottery on each side."""
    if peer == "dln":
        return java(classpath("dln"), "dln.bench.DlnMain", ["--peer", "dln", "--seed", str(seed)] + graph_args(cfg, nets),
                    ["-Dbench.scripts=" + os.path.join(BENCH, "dln")] + (["-Dbench.resnet18=" + resnet18] if resnet18 else []))
    return ([torch_python(), os.path.join(BENCH, "py", "torch_graphs.py"), "--seed", str(seed)] + graph_args(cfg, nets)
            + (["--resnet18", resnet18] if resnet18 else []))


def peer_command(peer, cfg):
    cores = str(os.cpu_count())
    if peer == "dln":
        return java(classpath("dln"), "dln.bench.DlnMain", ["--peer", "dln"] + net_args(cfg),
                    ["-Dbench.scripts=" + os.path.join(BENCH, "dln")])
    if peer in ("samediff", "dl4j"):
        return java(classpath("peers"), "dln.bench.PeerMain", ["--peer", peer] + net_args(cfg))
    if peer == "djl":
        return java(classpath("peers"), "dln.bench.PeerMain", ["--peer", "djl"] + net_args(cfg),
                    ["-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=" + cores, "-Dai.djl.pytorch.num_interop_threads=1"])
    if peer == "pytorch":
        return [torch_python(), os.path.join(BENCH, "py", "torch_peer.py")] + net_args(cfg)
    raise ValueError(peer)


# ---------------------------------------------------------------- running and collecting

def why(text):
    """The informative part of a failed process's output: its first exception/error lines and its last line."""
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    errors = [l for l in lines if re.search(r"Exception|Error|error|MISSING|Traceback", l) and not l.startswith("at ")]
    picked = list(dict.fromkeys(errors[:3] + lines[-1:]))
    return " | ".join(picked)[-800:]


class Run:
    """Every measurement and failure of this benchmark run."""

    def __init__(self, cfg, log):
        self.cfg = cfg
        self.log = log
        self.results = []   # dicts from RESULT lines, plus "round"
        self.failures = []  # {"peer", "what", "round", "reason"}

    def process(self, label, cmd, rnd, expect, timeout):
        """Runs one peer process; keeps its RESULT lines; a failure or a missing result is recorded."""
        self.log.write(f"\n===== round {rnd}: {label}: {' '.join(cmd)}\n")
        self.log.flush()
        start = time.perf_counter()
        try:
            p = subprocess.run(cmd, cwd=REPO, env=torch_env() if label == "pytorch" else env(), capture_output=True,
                               text=True, timeout=timeout)
            out, err, rc = p.stdout, p.stderr, p.returncode
        except subprocess.TimeoutExpired as e:
            out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
            err, rc = f"timed out after {timeout} s", "timeout"
        except OSError as e:
            out, err, rc = "", str(e), "not started"
        self.log.write(out + "\n--- stderr ---\n" + err + "\n")
        self.log.flush()
        got = []
        for line in out.splitlines():
            if line.startswith("RESULT "):
                r = json.loads(line[len("RESULT "):])
                r["round"] = rnd
                r["loadavg"] = float(open("/proc/loadavg").read().split()[0])
                got.append(r)
        self.results.extend(got)
        seen = {r["workload"] for r in got}
        missing = [w for w in expect if w not in seen]
        if rc != 0 or missing:
            tail = why(err or out)
            reason = f"exit {rc}" + (f", no result for {', '.join(missing)}" if missing else "") + f": {tail}"
            self.failures.append({"peer": label, "round": rnd, "what": ",".join(missing) or "process", "reason": reason})
            print(f"  !! {label} FAILED in round {rnd}: {reason}", flush=True)
        else:
            summary = ", ".join(f"{r['workload']} {r['samples_per_s']:,.0f}/s" for r in got if "samples_per_s" in r)
            print(f"  {label:9s} {time.perf_counter() - start:6.1f} s  {summary}", flush=True)

    def fail(self, peer, rnd, what, reason):
        self.failures.append({"peer": peer, "round": rnd, "what": what, "reason": reason})
        print(f"  !! {peer} MISSING ({what}): {reason}", flush=True)


def startup(run, rnd):
    """Launch to REPL prompt (through a pty, as a person at a terminal) and launch to first tensor result."""
    launcher = os.path.join(REPO, "dln")
    t = repl_prompt_seconds(launcher)
    if isinstance(t, str):
        run.fail("dln", rnd, "startup_repl", t)
    else:
        run.results.append({"peer": "dln", "workload": "startup_repl", "seconds": t, "round": rnd})
    start = time.perf_counter()
    p = subprocess.Popen([launcher, "-e", "print(tensor([1,2]) + 1)"], cwd=REPO, env=env(), stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    first = p.stdout.readline()
    t_first = time.perf_counter() - start
    rest, err = p.communicate(timeout=120)
    t_exit = time.perf_counter() - start
    if p.returncode != 0 or "tensor" not in first:
        run.fail("dln", rnd, "startup_first_tensor", f"exit {p.returncode}: {(first + rest + err).strip()[-300:]}")
    else:
        run.results.append({"peer": "dln", "workload": "startup_first_tensor", "seconds": t_first, "exit_seconds": t_exit,
                            "output": first.strip(), "round": rnd})
    print(f"  startup   REPL prompt {fmt_s(t)}, first tensor {t_first:.2f} s (exit {t_exit:.2f} s)", flush=True)


def fmt_s(t):
    return t if isinstance(t, str) else f"{t:.2f} s"


def repl_prompt_seconds(launcher, timeout=60.0):
    """Seconds from launching ./dln on a pseudo-terminal until its 'dln> ' prompt appears."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child: the REPL, on the pty
        os.chdir(REPO)
        os.environ.update(env())
        os.environ.setdefault("TERM", "xterm")
        # A new pty is 0x0; JLine would then squeeze the prompt out of the line. Be an 80x24 terminal.
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execv(launcher, [launcher])
    buf = b""
    seen = None
    status = None
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                buf += chunk
                if b"dln> " in buf:
                    seen = time.perf_counter() - start
                    break
        if seen is not None:
            os.write(fd, b"\x04")  # Ctrl-D ends the REPL
            deadline = time.time() + 10
            while time.time() < deadline and os.waitpid(pid, os.WNOHANG) == (0, 0):
                try:
                    if select.select([fd], [], [], 0.1)[0]:
                        os.read(fd, 4096)
                except OSError:
                    pass
    finally:
        waited = time.perf_counter() - start
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == 0:
                os.kill(pid, signal.SIGKILL)
                status = "killed by the benchmark"
                os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
    if seen is None:
        return "no 'dln> ' prompt after %.1f s (limit %.0f s; child status %s); output: %r" % (
            waited, timeout, status, buf[-300:].decode(errors="replace"))
    return seen


# ---------------------------------------------------------------- summary

def median_of(results, peer, workload, key="samples_per_s"):
    vals = [r[key] for r in results if r["peer"] == peer and r["workload"] == workload and r.get(key) is not None]
    return (statistics.median(vals), min(vals), max(vals), len(vals)) if vals else None


def summarise(run):
    res = run.results
    s = {"throughput": {}, "accuracy": {}, "ratios": {}, "gemm": {}, "achieved": {}, "startup": {}, "eager": {}}
    for w in NET_WORKLOADS + GRAPH_WORKLOADS:
        for p in PEERS:
            m = median_of(res, p, w)
            if m:
                s["throughput"].setdefault(w, {})[p] = {"median": m[0], "min": m[1], "max": m[2], "n": m[3]}
            acc = median_of(res, p, w.replace("train", "infer"), "accuracy")
            if acc and w.endswith("infer"):
                s["accuracy"].setdefault(w.split("_")[0], {})[p] = acc[0]
        dln = s["throughput"].get(w, {}).get("dln")
        for p in PEERS[1:]:
            other = s["throughput"].get(w, {}).get(p)
            if dln and other:
                s["ratios"].setdefault(w, {})[p] = dln["median"] / other["median"]
    for r in res:
        if r["workload"] == "gemm":
            key = r["shape"]
            s["gemm"].setdefault(key, {})[r["peer"]] = max(r["gflops"], s["gemm"].get(key, {}).get(r["peer"], 0))
    peak = s["gemm"].get("square 2048^3", {}).get("roofline")
    s["gemm_peak_gflops"] = peak
    for w, by_peer in s["throughput"].items():
        if w not in NET_WORKLOADS:
            continue  # FLOPs are counted for the MNIST MLP and CNN only
        for p, m in by_peer.items():
            gflops = m["median"] * flops_per_sample(w) / 1e9
            s["achieved"].setdefault(w, {})[p] = {"gflops": gflops, "fraction_of_peak": gflops / peak if peak else None}
    for w in ["startup_repl", "startup_first_tensor"]:
        m = median_of(res, "dln", w, "seconds")
        if m:
            s["startup"][w] = {"median": m[0], "min": m[1], "max": m[2], "n": m[3]}
    for r in res:
        if r["workload"] == "eager":
            e = s["eager"].setdefault(r["op"], {})
            if r.get("pass") == 1:  # the first pass of a fresh JVM: the JIT is still warming up
                if "statement_us" in r:
                    e.setdefault("cold_statement_us", []).append(r["statement_us"])
                continue
            for k in ("statement_us", "loop_us", "nd4j_us", "torch_us", "empty_loop_iteration_us"):
                if k in r:
                    e.setdefault(k, []).append(r[k])
    for op, e in s["eager"].items():
        for k in list(e):
            e[k] = statistics.median(e[k])
    s["flops_per_sample"] = {w: flops_per_sample(w) for w in NET_WORKLOADS}
    s["failures"] = run.failures
    return s


def num(x, digits=0):
    return "—" if x is None else f"{x:,.{digits}f}"


def markdown(meta, cfg, s, mode, seconds):
    L = []
    a = L.append
    a(f"# DLN benchmark results ({mode})\n")
    a(f"Measured {meta['date']} in {seconds / 60:.1f} min with `bench/run.sh{' --quick' if mode.startswith('quick') else ''}"
      f"{'' if cfg['rounds'] == (QUICK if mode.startswith('quick') else FULL)['rounds'] else ' --rounds ' + str(cfg['rounds'])}`; "
      f"{cfg['rounds']} round(s), peers interleaved in each round; medians over rounds (min–max in brackets).\n")
    m = meta["machine"]
    a("## Machine\n")
    a(f"- CPU: {m['cpu']}, {m['cores']} logical cores ({m['threads_per_core']} thread(s) per core), SIMD: {', '.join(m['simd'])}")
    a(f"- Memory {m['memory_gib']} GiB; {m['os']}; {m['java']}; PyTorch {m['python_torch'] or 'NOT INSTALLED'}")
    a(f"- ND4J natives for DLN, SameDiff and DL4J: `{m['nd4j_natives']}`; every peer runs with `OMP_WAIT_POLICY=passive`, "
      f"threads = cores")
    if m.get("openblas_core"):
        detected, forced = m["openblas_core"]
        a(f"- PyTorch's OpenBLAS (Debian): detected core `{detected}`" + (
            f", which ignores this CPU's SIMD: the PyTorch peer runs with `OPENBLAS_CORETYPE={forced}` (its best here)"
            if forced else (" (`OPENBLAS_CORETYPE` set by the user)" if "OPENBLAS_CORETYPE" in os.environ else "")))
    a(f"- Load average at start {' '.join(m['loadavg_start'])}, at end {' '.join(meta['loadavg_end'])} "
      f"(above {m['cores']} means other work shared the cores: treat the figures as noisy)\n")
    if s["failures"]:
        a("## ⚠ MISSING OR FAILED\n")
        for f in s["failures"]:
            a(f"- **{f['peer']}** (round {f['round']}, {f['what']}): {f['reason']}")
        a("")
    a("## Throughput (samples/s)\n")
    a(f"MLP: one epoch of {cfg['mlp_samples']:,} MNIST images after a {cfg['mlp_warmup']:,}-sample warm-up; "
      f"CNN: {cfg['cnn_samples']:,} images after {cfg['cnn_warmup']:,}; inference: {cfg['infer_samples']:,} test images.\n")
    a("| workload | " + " | ".join(PEER_TITLES[p] for p in PEERS) + " |")
    a("|---|" + "---:|" * len(PEERS))
    for w in NET_WORKLOADS:
        row = []
        for p in PEERS:
            t = s["throughput"].get(w, {}).get(p)
            row.append("**MISSING**" if not t else f"{num(t['median'])} ({num(t['min'])}–{num(t['max'])})" if t["n"] > 1 else num(t["median"]))
        a(f"| {WORKLOAD_TITLES[w]} | " + " | ".join(row) + " |")
    a("\n## DLN ÷ peer (ratio of median samples/s; > 1 means DLN is faster)\n")
    a("| workload | " + " | ".join(PEER_TITLES[p] for p in PEERS[1:]) + " |")
    a("|---|" + "---:|" * (len(PEERS) - 1))
    for w in NET_WORKLOADS:
        a(f"| {WORKLOAD_TITLES[w]} | " + " | ".join(num(s["ratios"].get(w, {}).get(p), 2) for p in PEERS[1:]) + " |")
    a("\nTargets (issue 7): DLN ≥ 0.97 × SameDiff (language overhead); MLP and CNN training ≥ 1.0 × PyTorch and DJL.\n")
    if any(w in s["throughput"] for w in GRAPH_WORKLOADS):
        a("## Issue 15 workloads: DLN against PyTorch (samples/s)\n")
        g = cfg["graphs"]
        a("bench/dln/<net>.dln through the embedding API against bench/py/torch_graphs.py, one process each, interleaved; "
          "residual BN CNN on MNIST, the others on generated data (dln.bench.Synthetic). Timed training samples after a "
          "warm-up: " + ", ".join(f"{n} {g[n][0]:,} (+{g[n][1]:,})" for n in GRAPH_NETS) + ". Accuracy: on the test set "
          "after the timed epoch, round r seeded r on both peers (initial weights, shuffles); the generated data sets are "
          "drawn by each side's own generator from the same rules, so one seed's accuracies are not the same network's.\n")
        a("| workload | DLN train | PyTorch train | DLN ÷ PyTorch | DLN inference | PyTorch inference | DLN ÷ PyTorch | accuracy DLN / PyTorch |")
        a("|---|---:|---:|---:|---:|---:|---:|---:|")
        for n in GRAPH_NETS:
            cells = []
            for k in ("train", "infer"):
                w = f"{n}_{k}"
                for p in GRAPH_PEERS:
                    t = s["throughput"].get(w, {}).get(p)
                    cells.append("**MISSING**" if not t else f"{num(t['median'])} ({num(t['min'])}–{num(t['max'])})" if t["n"] > 1 else num(t["median"]))
                cells.append(num(s["ratios"].get(w, {}).get("pytorch"), 2))
            acc = s["accuracy"].get(n, {})
            cells.append(f"{num(acc.get('dln'), 3)} / {num(acc.get('pytorch'), 3)}")
            a(f"| {GRAPH_TITLES[n]} | " + " | ".join(cells) + " |")
        a("\nTarget (issue 15): every workload ≥ 1.0× PyTorch, accuracy within 1 point.\n")
    a("## Roofline: float32 GEMM (GFLOP/s, best of three windows)\n")
    a("| shape | ND4J `Nd4j.gemm` | PyTorch `torch.mm` |")
    a("|---|---:|---:|")
    for shape, g in s["gemm"].items():
        a(f"| {shape} | {num(g.get('roofline'), 1)} | {num(g.get('pytorch'), 1)} |")
    peak = s["gemm_peak_gflops"]
    a(f"\nAchieved GFLOP/s (samples/s × FLOPs per sample from the layer shapes: MLP forward "
      f"{FORWARD_FLOPS['mlp'] / 1e6:.2f} MFLOP, CNN forward {FORWARD_FLOPS['cnn'] / 1e6:.2f} MFLOP; training counted as 3 × forward) "
      f"and fraction of the 2048³ GEMM peak ({num(peak, 1)} GFLOP/s):\n")
    a("| workload | " + " | ".join(PEER_TITLES[p] for p in PEERS) + " |")
    a("|---|" + "---:|" * len(PEERS))
    for w in NET_WORKLOADS:
        cells = []
        for p in PEERS:
            x = s["achieved"].get(w, {}).get(p)
            cells.append("—" if not x else f"{x['gflops']:.1f} ({x['fraction_of_peak'] * 100:.0f}%)" if x["fraction_of_peak"] else f"{x['gflops']:.1f}")
        a(f"| {WORKLOAD_TITLES[w]} | " + " | ".join(cells) + " |")
    a("\n## Start-up (`./dln`, seconds)\n")
    a("| what | median | min–max | target |")
    a("|---|---:|---:|---:|")
    for w, title, target in [("startup_repl", "launch → `dln> ` prompt (pty)", "1.0"),
                             ("startup_first_tensor", "launch → first tensor printed (`-e 'print(tensor([1,2]) + 1)'`)", "3.0")]:
        t = s["startup"].get(w)
        a(f"| {title} | {num(t['median'], 2) if t else '**MISSING**'} | {num(t['min'], 2) + '–' + num(t['max'], 2) if t else ''} | {target} |")
    a("\n## Eager op latency (µs per op, warm, median)\n")
    a("Warm: passes 2 and 3 of three in one JVM; the first pass (JIT still compiling the parser and "
      "interpreter) is shown apart.\n")
    a("| op | DLN statement (`eval('c = a + b')`) | DLN op in a loop | ND4J call alone | PyTorch | DLN statement, first pass |")
    a("|---|---:|---:|---:|---:|---:|")
    for op, e in s["eager"].items():
        a(f"| {op} | {num(e.get('statement_us'), 1)} | {num(e.get('loop_us'), 1)} | {num(e.get('nd4j_us'), 1)} | "
          f"{num(e.get('torch_us'), 1)} | {num(e.get('cold_statement_us'), 1)} |")
    a("\nTarget: ≤ 10 µs for small tensors at the prompt.\n")
    a("## Sanity: test accuracy after the timed training\n")
    a("| net | " + " | ".join(PEER_TITLES[p] for p in PEERS) + " |")
    a("|---|" + "---:|" * len(PEERS))
    for net in ["mlp", "cnn"]:
        a(f"| {net.upper()} | " + " | ".join(num(s['accuracy'].get(net, {}).get(p), 3) if s['accuracy'].get(net, {}).get(p) is not None
                                            else "—" for p in PEERS) + " |")
    a("\nSee bench/README.md for what each number means.")
    return "\n".join(L) + "\n"


def print_summary(s):
    print("\n" + "=" * 100)
    print(f"{'samples/s (median)':32s}" + "".join(f"{p:>13s}" for p in PEERS))
    for w in NET_WORKLOADS:
        print(f"{WORKLOAD_TITLES[w]:32s}" + "".join(
            f"{num(s['throughput'].get(w, {}).get(p, {}).get('median')) if s['throughput'].get(w, {}).get(p) else 'MISSING':>13s}" for p in PEERS))
    print(f"\n{'DLN / peer':32s}" + "".join(f"{p:>13s}" for p in PEERS[1:]))
    for w in NET_WORKLOADS:
        print(f"{WORKLOAD_TITLES[w]:32s}" + "".join(f"{num(s['ratios'].get(w, {}).get(p), 2):>13s}" for p in PEERS[1:]))
    if any(w in s["throughput"] for w in GRAPH_WORKLOADS):
        print(f"\n{'issue 15 workloads, samples/s':48s}{'dln':>10s}{'pytorch':>10s}{'ratio':>8s}")
        for w in GRAPH_WORKLOADS:
            t = s["throughput"].get(w, {})
            print(f"{w:48s}" + "".join(f"{num(t[p]['median']) if p in t else 'MISSING':>10s}" for p in GRAPH_PEERS)
                  + f"{num(s['ratios'].get(w, {}).get('pytorch'), 2):>8s}")
    print(f"\nGEMM peak (2048^3): {num(s['gemm_peak_gflops'], 1)} GFLOP/s")
    for w, t in s["startup"].items():
        print(f"{w}: {t['median']:.2f} s")
    for op, e in s["eager"].items():
        print(f"eager {op}: DLN statement {num(e.get('statement_us'), 1)} µs, loop {num(e.get('loop_us'), 1)} µs, "
              f"ND4J {num(e.get('nd4j_us'), 1)} µs, PyTorch {num(e.get('torch_us'), 1)} µs")
    if s["failures"]:
        print("\n!!!!! MISSING OR FAILED:")
        for f in s["failures"]:
            print(f"!!!!!   {f['peer']} round {f['round']} ({f['what']}): {f['reason']}")
    print("=" * 100)


# ---------------------------------------------------------------- main

def write(meta, cfg, run, mode, elapsed):
    """Writes latest.json and latest.md from everything measured so far; returns the summary."""
    meta["loadavg_end"] = open("/proc/loadavg").read().split()[:3]
    s = summarise(run)
    with open(os.path.join(RESULTS, "latest.json"), "w") as f:
        json.dump({"meta": meta, "summary": s, "results": run.results}, f, indent=1)
    with open(os.path.join(RESULTS, "latest.md"), "w") as f:
        f.write(markdown(meta, cfg, s, mode, elapsed))
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, 1 round: a smoke test in a few minutes")
    ap.add_argument("--rounds", type=int, help="rounds of interleaved peers (default 3; quick 1)")
    ap.add_argument("--peers", default=",".join(PEERS), help="comma-separated subset of " + ",".join(PEERS))
    ap.add_argument("--skip", default="", help="comma-separated parts to leave out: roofline,nets,graphs,startup,eager "
                    "(nets: the MNIST MLP/CNN peers; graphs: issue 15's DLN-vs-PyTorch workloads)")
    ap.add_argument("--graphs", default=",".join(GRAPH_NETS), help="comma-separated subset of " + ",".join(GRAPH_NETS))
    args = ap.parse_args()
    mode = "quick" if args.quick else "full"
    cfg = dict(QUICK if args.quick else FULL)
    if args.rounds:
        cfg["rounds"] = args.rounds
    peers = [p for p in args.peers.split(",") if p]
    unknown = [p for p in peers if p not in PEERS]
    if unknown:
        ap.error(f"unknown peer(s) {unknown}; choose from {PEERS}")
    skip = set(x for x in args.skip.split(",") if x)
    graph_nets = [n for n in args.graphs.split(",") if n]
    if [n for n in graph_nets if n not in GRAPH_NETS]:
        ap.error(f"unknown graph workload(s) {[n for n in graph_nets if n not in GRAPH_NETS]}; choose from {GRAPH_NETS}")
    os.makedirs(RESULTS, exist_ok=True)
    began = time.perf_counter()
    meta = {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "mode": mode, "config": cfg, "machine": machine()}
    print(f"DLN benchmark ({mode}): {cfg['rounds']} round(s); {meta['machine']['cpu']}, {meta['machine']['cores']} cores, "
          f"natives {meta['machine']['nd4j_natives']}, load {' '.join(meta['machine']['loadavg_start'])}", flush=True)
    with open(os.path.join(RESULTS, "latest.log"), "w") as log:
        run = Run(cfg, log)
        for p in PEERS:
            if p not in peers:
                run.fail(p, 0, "all", "left out with --peers")
        if "pytorch" in peers and not meta["machine"]["python_torch"]:
            run.fail("pytorch", 0, "all", f"{torch_python()} cannot import torch: install python3-torch and "
                     "libopenblas0-pthread (apt-get install -y python3-torch libopenblas0-pthread), or set BENCH_TORCH_PYTHON")
            peers.remove("pytorch")
        if "roofline" not in skip:
            print("roofline (GEMM):", flush=True)
            run.process("roofline", java(classpath("peers"), "dln.bench.PeerMain", ["--peer", "roofline"],
                                         [f"-Dbench.seconds={cfg['gemm_seconds']}"]), 0, ["gemm"], 600)
            if meta["machine"]["python_torch"]:
                run.process("pytorch", [torch_python(), os.path.join(BENCH, "py", "torch_peer.py"), "--nets", "",
                                        "--extras", "gemm", "--seconds", str(cfg["gemm_seconds"] * 3)], 0, ["gemm"], 600)
        resnet18 = resnet18_onnx() if "graphs" not in skip and "transfer" in graph_nets else None
        for rnd in range(1, cfg["rounds"] + 1):
            print(f"round {rnd}/{cfg['rounds']}:", flush=True)
            if "nets" not in skip:
                for p in peers:
                    run.process(p, peer_command(p, cfg), rnd, NET_WORKLOADS, cfg["timeout"])
            if "graphs" not in skip and graph_nets:
                for p in [p for p in GRAPH_PEERS if p in peers]:
                    run.process(p, graph_command(p, cfg, graph_nets, resnet18, seed=rnd), rnd,
                                [f"{n}_{k}" for n in graph_nets for k in ("train", "infer")], cfg["timeout"])
            if "startup" not in skip:
                startup(run, rnd)
            if "eager" not in skip:
                run.process("dln", java(classpath("dln"), "dln.bench.DlnMain", ["--peer", "eager"],
                                        [f"-Dbench.seconds={cfg['eager_seconds']}", "-Dbench.eager.passes=3"]),
                            rnd, ["eager"], 600)
                if "pytorch" in peers:
                    run.process("pytorch", [torch_python(), os.path.join(BENCH, "py", "torch_peer.py"), "--nets", "",
                                            "--extras", "eager", "--seconds", str(cfg["eager_seconds"])], rnd, ["eager"], 600)
            if rnd < cfg["rounds"]:  # partial results survive an interrupted run
                write(meta, cfg, run, f"{mode}, partial: {rnd} of {cfg['rounds']} rounds", time.perf_counter() - began)
    s = write(meta, cfg, run, mode, time.perf_counter() - began)
    print_summary(s)
    print(f"written: {os.path.relpath(os.path.join(RESULTS, 'latest.md'), REPO)}, "
          f"{os.path.relpath(os.path.join(RESULTS, 'latest.json'), REPO)} (raw process output: bench/results/latest.log)")
    return 1 if run.failures else 0


if __name__ == "__main__":
    sys.exit(main())
