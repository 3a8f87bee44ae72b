#!/usr/bin/env bash
# spark-submit without a Spark installation (issue 19): Spark's own launcher and SparkSubmit from the Maven
# jars in spark/target/lib, exactly as a distribution's bin/spark-submit runs them (bin/spark-class: the
# launcher org.apache.spark.launcher.Main builds the driver's java command line, with Spark's Java 17
# module options, --driver-memory and --driver-java-options, and this script runs it). Takes
# spark-submit's arguments, e.g. the job jar of `mvn package -Pjob-jar`:
#
#   spark/submit.sh --master spark://localhost:7077 --class dln.spark.SubmitMain \
#     spark/target/dln-spark-0.1.0-job.jar spark/examples/mnist.dln spark://localhost:7077 2
#
# A SPARK_HOME from the environment is used as is; otherwise spark/target/spark-home, whose jars/ is
# spark/target/lib (built by `mvn package`). spark/cluster-check.sh (SUBMIT=1) runs its job this way.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lib="$here/spark/target/lib"
[ -d "$lib" ] || { echo "submit: $lib is missing: run 'mvn -q package -DskipTests' in $here" >&2; exit 2; }

if [ -z "${SPARK_HOME:-}" ]; then
  SPARK_HOME="$here/spark/target/spark-home"
  mkdir -p "$SPARK_HOME"
  [ -e "$SPARK_HOME/jars" ] || ln -s "$lib" "$SPARK_HOME/jars"
  # The launcher takes jars/ as Spark's own class path when RELEASE is there (a distribution's layout).
  echo "Spark from the Maven jars in $lib" > "$SPARK_HOME/RELEASE"
  # conf/ comes first on the driver's class path: Spark's INFO lines stay out of the script's output, as
  # under ./dln (a real installation's conf/ says what its cluster logs).
  mkdir -p "$SPARK_HOME/conf"
  printf '%s\n' org.slf4j.simpleLogger.defaultLogLevel=error org.slf4j.simpleLogger.showShortLogName=true \
    > "$SPARK_HOME/conf/simplelogger.properties"
fi
export SPARK_HOME SPARK_SCALA_VERSION="${SPARK_SCALA_VERSION:-2.13}"

# bin/spark-class: the launcher prints messages line by line, then a NUL line, then the command
# NUL-separated; the launcher's own exit status follows.
cmd=()
delim=$'\n'
started=0
while IFS= read -r -d "$delim" arg; do
  if [ "$started" = 1 ]; then
    cmd+=("$arg")
  elif [ -z "$arg" ]; then  # the NUL line (bash drops the NUL byte)
    delim=''
    started=1
  else
    echo "$arg"
  fi
done < <(java -Xmx128m -cp "$lib/*" org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@"
  printf '%d\0' $?)
[ "${#cmd[@]}" -gt 0 ] || { echo "submit: Spark's launcher gave no command" >&2; exit 1; }
status="${cmd[-1]}"
unset 'cmd[-1]'
if [ "$status" != 0 ]; then exit "$status"; fi
exec "${cmd[@]}"
