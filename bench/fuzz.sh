#!/usr/bin/env bash
# The long fuzz run (not part of `mvn test`): ./bench/fuzz.sh [EXECUTIONS] [SEED] [THREADS] [MAX_MINUTES]
# Defaults: 1,000,000 executions, seed 20261101, 2 threads. Findings (input + description) go to
# interpreter/target/fuzz-findings/; the input running when a native crash kills the JVM is in
# interpreter/target/fuzz-current-N.dln. Exit code 1 when anything was found. See docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl interpreter -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
# Run from a copy of the compiled classes, so that rebuilding during a long run cannot disturb it.
run=interpreter/target/fuzz-run
rm -rf "$run" && mkdir -p "$run"
cp_run=""
for d in interpreter/target/test-classes interpreter/target/classes grammar/target/classes runtime/target/classes stdlib/target/classes; do
  name=$(echo "$d" | tr '/' '-')
  cp -r "$d" "$run/$name"
  cp_run="$cp_run:$PWD/$run/$name"
done
deps=$(tr ':' '\n' < interpreter/target/test-classpath.txt | grep -v '/target/classes$' | paste -sd: -)
cd interpreter
export OMP_WAIT_POLICY=passive
exec java -Xmx4g -Xss16m -Dorg.bytedeco.javacpp.maxbytes=8G -cp "${cp_run#:}:$deps" \
  dln.fuzz.Fuzzer "${1:-1000000}" "${2:-20261101}" "${3:-2}" "${4:-600}"
