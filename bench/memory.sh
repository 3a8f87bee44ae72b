#!/usr/bin/env bash
# The long-run memory check (not part of `mvn test`): ./bench/memory.sh [EPOCHS] [IMAGES] [OPTIMIZER]
# Trains the Keras MNIST MLP on IMAGES images (default 6000) for EPOCHS epochs (default 30) in one
# fit and prints heap (after GC), JavaCPP off-heap and physical memory after each epoch.
# JAVA_OPTS=-Ddln.engine=samediff measures the SameDiff engine instead of the fast one.
# See docs/reliability.md, "Long runs".
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl interpreter -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
cp_run=""
for d in interpreter/target/test-classes interpreter/target/classes grammar/target/classes runtime/target/classes stdlib/target/classes; do
  cp_run="$cp_run:$PWD/$d"
done
deps=$(tr ':' '\n' < interpreter/target/test-classpath.txt | grep -v '/target/classes$' | paste -sd: -)
export OMP_WAIT_POLICY=passive
export DLN_DATA="${DLN_DATA:-$PWD/../shared/data}"
exec java -Xmx2g ${JAVA_OPTS:-} -cp "${cp_run#:}:$deps" dln.reliability.TrainingMemoryWatch "${1:-30}" "${2:-6000}" "${3:-Adam()}"
