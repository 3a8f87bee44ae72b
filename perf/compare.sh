#!/usr/bin/env bash
# Side-by-side speed check of two DLN builds (e.g. main before and after a change), interleaved.
# usage: perf/compare.sh BASE_DIR NEW_DIR [rounds]
#   each DIR holds a dln.jar with its lib/ (copy interpreter/target/dln.jar and lib/ there).
# Prints wall and CPU seconds of scripts/playground.dln and the ms/step of perf/mlp.dln and
# perf/cnn.dln (from the progress lines), per round.
set -uo pipefail
base="$1"; new="$2"; rounds="${3:-3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}" DLN_DATA="${DLN_DATA:-$here/../shared/data}"
ext=""; grep -qw avx2 /proc/cpuinfo && ext="-onednn-avx2"
run() { # dir script args...
  local dir="$1"; shift
  (cd "$(mktemp -d)" && /usr/bin/time -f "  %e s wall, %U s user CPU" java -Xss16m -XX:+UseParallelGC \
    -Dorg.bytedeco.javacpp.platform.extension="$ext" -Dorg.bytedeco.javacpp.logger=slf4j -jar "$dir/dln.jar" "$@" 2>&1 \
    | grep -E "step|wall" | sed 's/^/  /')
}
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)  cores: $(nproc)"
for r in $(seq 1 "$rounds"); do
  for which in base new; do
    dir="$base"; [ "$which" = new ] && dir="$new"
    echo "round $r $which: playground.dln"; run "$dir" "$here/scripts/playground.dln"
    echo "round $r $which: mlp.dln epochs=1"; run "$dir" "$here/perf/mlp.dln" epochs=1
    echo "round $r $which: cnn.dln epochs=1"; run "$dir" "$here/perf/cnn.dln" epochs=1
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
