#!/usr/bin/env bash
# The long fuzz run (not part of `mvn test`): ./bench/fuzz.sh [EXECUTIONS] [SEED] [THREADS] [MAX_MINUTES]
# Defaults: 1,000,000 executions, seed 20261101, 2 threads. Findings (input + description) go to
# interpreter/target/fuzz-findings/; the input running when a native crash kills the JVM is in
# interpreter/target/fuzz-current-N.dln. Exit code 1 when anything was found. See docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl interpreter -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
cd interpreter
export OMP_WAIT_POLICY=passive
exec java -Xmx4g -Xss16m -Dorg.bytedeco.javacpp.maxbytes=8G \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  dln.fuzz.Fuzzer "${1:-1000000}" "${2:-20261101}" "${3:-2}" "${4:-600}"
