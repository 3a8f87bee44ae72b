#!/usr/bin/env bash
# The long fuzz run (not part of `mvn test`): ./bench/fuzz.sh [EXECUTIONS] [SEED] [THREADS] [MAX_MINUTES]
# Defaults: 1,000,000 executions, seed 20261101, 2 threads. Findings (input + description) go to
# interpreter/target/fuzz-findings/; the input running when a native crash kills the JVM is in
# interpreter/target/fuzz-current-N.dln. Exit code 1 when anything was found. See docs/reliability.md.
#
# Coverage: the run carries the JaCoCo agent (org.jacoco 0.8.15 from Maven Central) over DLN's own
# classes; the line and branch coverage of each module is printed at the end and written to
# interpreter/target/fuzz-coverage/ (coverage.csv and an HTML report). FUZZ_COVERAGE=0 turns it off.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl interpreter -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >/dev/null
# Run from a copy of the compiled classes, so that rebuilding during a long run cannot disturb it.
run=interpreter/target/fuzz-run
rm -rf "$run" && mkdir -p "$run"
cp_run=""
modules="interpreter grammar runtime stdlib"
for m in $modules; do
  cp -r "$m/target/classes" "$run/$m-classes"
  cp_run="$cp_run:$PWD/$run/$m-classes"
done
cp -r interpreter/target/test-classes "$run/interpreter-test-classes"
cp_run="$cp_run:$PWD/$run/interpreter-test-classes"
deps=$(tr ':' '\n' < interpreter/target/test-classpath.txt | grep -v '/target/classes$' | paste -sd: -)

agent_opt=()
jacoco=interpreter/target/jacoco
cov_out=interpreter/target/fuzz-coverage
if [ "${FUZZ_COVERAGE:-1}" != 0 ]; then
  mkdir -p "$jacoco"
  mvn -B -q dependency:copy -Dartifact=org.jacoco:org.jacoco.agent:0.8.15:jar:runtime -DoutputDirectory="$jacoco" >/dev/null
  mvn -B -q dependency:copy -Dartifact=org.jacoco:org.jacoco.cli:0.8.15:jar:nodeps -DoutputDirectory="$jacoco" >/dev/null
  rm -f "$jacoco/fuzz.exec"
  # DLN's own classes only (the fuzzer itself excluded): ND4J is not what the fuzzer tests.
  agent_opt=("-javaagent:$PWD/$jacoco/org.jacoco.agent-0.8.15-runtime.jar=destfile=$PWD/$jacoco/fuzz.exec,includes=dln.*,excludes=dln.fuzz.*")
fi

set +e
(cd interpreter && OMP_WAIT_POLICY=passive java "${agent_opt[@]}" -Xmx4g -Xss16m -Dorg.bytedeco.javacpp.maxbytes=8G \
  -cp "${cp_run#:}:$deps" dln.fuzz.Fuzzer "${1:-1000000}" "${2:-20261101}" "${3:-2}" "${4:-600}")
rc=$?
set -e

if [ "${FUZZ_COVERAGE:-1}" != 0 ] && [ -f "$jacoco/fuzz.exec" ]; then
  rm -rf "$cov_out" && mkdir -p "$cov_out"
  class_args=()
  for m in $modules; do class_args+=(--classfiles "$run/$m-classes"); done
  java -jar "$jacoco/org.jacoco.cli-0.8.15-nodeps.jar" report "$jacoco/fuzz.exec" "${class_args[@]}" \
    --csv "$cov_out/coverage.csv" --html "$cov_out/html" --name "DLN fuzz run" >/dev/null
  echo "coverage of DLN's classes by this run (JaCoCo; report in $cov_out/html/index.html):"
  # CSV columns: GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,BRANCH_COVERED,LINE_MISSED,LINE_COVERED,...
  awk -F, 'NR > 1 {
      split($2, p, "."); mod = p[1] (p[2] == "" ? "" : "." p[2]);
      lm[mod] += $8; lc[mod] += $9; bm[mod] += $6; bc[mod] += $7;
      LM += $8; LC += $9; BM += $6; BC += $7 }
    END {
      printf "  %-12s %14s %16s\n", "package", "lines", "branches";
      for (m in lm) printf "  %-12s %7.1f%% of %5d %8.1f%% of %5d\n", m, 100 * lc[m] / (lm[m] + lc[m]), lm[m] + lc[m], (bm[m] + bc[m]) ? 100 * bc[m] / (bm[m] + bc[m]) : 0, bm[m] + bc[m];
      printf "  %-12s %7.1f%% of %5d %8.1f%% of %5d\n", "all", 100 * LC / (LM + LC), LM + LC, 100 * BC / (BM + BC), BM + BC }' \
    "$cov_out/coverage.csv" | tee "$cov_out/summary.txt"
fi
exit $rc
