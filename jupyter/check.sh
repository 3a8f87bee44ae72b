#!/usr/bin/env bash
# Checks the DLN Jupyter kernel with Jupyter's own tools:
#   1. jupyter_kernel_test (the kernel conformance suite), subclassed in jupyter/check_kernel.py;
#   2. nbclient executing every notebook in notebooks/ top to bottom (each with the quick settings
#      of its script's "# ci-args:" line, passed to the kernel as DLN_ARGS);
#   3. when jupyter-notebook is installed, a headless notebook server starting a DLN kernel and
#      running a cell over its websocket, as a browser does (check_server.py).
# It installs the Debian packages it needs when they are missing and it runs as root; otherwise it
# says loudly what is missing and exits 0 (or 1 with --require, for CI that must run it).
# The kernelspec goes to a temporary JUPYTER_PATH: the user's own Jupyter setup is not touched.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
require=0
[ "${1:-}" = "--require" ] && require=1
py=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in jupyter/
packages=(python3-jupyter-client python3-jupyter-kernel-test python3-nbclient python3-nbformat jupyter-client jupyter-notebook)

have_modules() {
  "$py" -c 'import jupyter_client, jupyter_kernel_test, nbclient, nbformat' 2>/dev/null
}

if ! have_modules && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "jupyter/check.sh: installing ${packages[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >/tmp/dln-jupyter-apt.log 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${packages[@]}" >>/tmp/dln-jupyter-apt.log 2>&1; } \
    || echo "jupyter/check.sh: apt-get failed, see /tmp/dln-jupyter-apt.log" >&2
fi
if ! have_modules; then
  echo "=====================================================================================" >&2
  echo "jupyter/check.sh: SKIPPED — $py lacks jupyter_client / jupyter_kernel_test / nbclient." >&2
  echo "  install: apt-get install ${packages[*]}" >&2
  echo "=====================================================================================" >&2
  exit $require
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export JUPYTER_PATH="$work/share/jupyter"
export JUPYTER_DATA_DIR="$work/data" JUPYTER_RUNTIME_DIR="$work/runtime" JUPYTER_CONFIG_DIR="$work/config"
"$here/dln" kernel install --prefix "$work" --name dln >/dev/null

echo "== jupyter_kernel_test (conformance suite)"
(cd "$here/jupyter" && DLN_KERNEL_NAME=dln "$py" -m unittest -v check_kernel 2>&1) | tee "$work/conformance.log" | grep -E '^(test_|Ran |OK|FAILED)' || true
grep -q '^OK' "$work/conformance.log" || { tail -n 40 "$work/conformance.log"; echo "jupyter/check.sh: the conformance suite FAILED"; exit 1; }

echo "== nbclient: every notebook, top to bottom"
status=0
for nb in "$here"/notebooks/*.ipynb; do
  script="$here/scripts/$(basename "$nb" .ipynb).dln"
  args=""
  [ -f "$script" ] && args="$(sed -n 's/^# ci-args: *//p' "$script" | head -n 1)"
  start=$(date +%s)
  if DLN_ARGS="$args" "$py" - "$nb" "$work" <<'PY'
import sys, nbformat
from nbclient import NotebookClient
path, work = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
# Run in a scratch folder: notebooks that save files (models, pictures) leave nothing behind.
NotebookClient(nb, kernel_name="dln", timeout=900, resources={"metadata": {"path": work}}).execute()
kinds = {o.get("output_type") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])}
pngs = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if "image/png" in o.get("data", {}))
print("   outputs:", ", ".join(sorted(k for k in kinds if k)), "- pictures:", pngs)
PY
  then
    echo "   ok   $(basename "$nb") (DLN_ARGS='$args', $(( $(date +%s) - start )) s)"
  else
    echo "   FAIL $(basename "$nb")"
    status=1
  fi
done
if command -v jupyter-notebook >/dev/null && "$py" -c 'import tornado' 2>/dev/null; then
  echo "== a Jupyter Notebook server running a DLN cell"
  (cd "$here/jupyter" && "$py" check_server.py "$work/server.log") || status=1
else
  echo "== (no jupyter-notebook: the notebook-server check is skipped)"
fi
[ $status = 0 ] && echo "jupyter/check.sh: all passed" || echo "jupyter/check.sh: FAILED"
exit $status
