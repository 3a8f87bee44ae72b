#!/usr/bin/env bash
# DLN benchmark suite: one command.
#   bench/run.sh [--quick] [--rounds N] [--peers dln,samediff,dl4j,djl,pytorch] [--skip roofline,startup,eager]
# Builds the main project (interpreter/target/dln.jar + lib) and this separate bench project
# (never part of the root reactor: `mvn test` at the root does not touch it), makes sure the
# PyTorch peer is installed (Debian python3-torch + libopenblas0-pthread), then runs bench.py,
# which writes bench/results/latest.md and latest.json and prints the summary table.
set -euo pipefail
bench="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$bench")"
mkdir -p "$bench/results"
log="$bench/results/build.log"

echo "bench: building DLN (mvn package -DskipTests)…" >&2
if ! (cd "$repo" && mvn -q -B package -DskipTests) >"$log" 2>&1; then
  echo "bench: the DLN build failed; see $log" >&2; tail -n 30 "$log" >&2; exit 2
fi
echo "bench: building the benchmark peers (bench/pom.xml)…" >&2
if ! (cd "$bench" && mvn -q -B package -DskipTests) >>"$log" 2>&1; then
  echo "bench: the bench build failed; see $log" >&2; tail -n 30 "$log" >&2; exit 2
fi

# PyTorch peer: Debian's build, with OpenBLAS (without libopenblas0-pthread it runs reference BLAS,
# ~4 GFLOP/s). Installed when missing and we may; otherwise bench.py reports the peer MISSING.
torch_py="${BENCH_TORCH_PYTHON:-/usr/bin/python3}"
if ! "$torch_py" -c 'import torch' 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bench: installing python3-torch and libopenblas0-pthread (apt-get)…" >&2
    (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch libopenblas0-pthread) \
      >>"$log" 2>&1 || echo "bench: could not install PyTorch; its peer will be reported MISSING (see $log)" >&2
  else
    echo "bench: PyTorch is not installed and I cannot apt-get it; its peer will be reported MISSING" >&2
  fi
fi

orchestrator_py="$(command -v python3 || echo "$torch_py")"
exec "$orchestrator_py" "$bench/bench.py" "$@"
