#!/usr/bin/env bash
# Builds and runs this example the way docs/embedding.md tells a user: install DLN's artifacts, then
# `mvn -q compile exec:java` here. To leave the shared ~/.m2 alone, both use a scratch local repository
# that reads everything else from ~/.m2 first (a file:// repository), then from Maven Central.
# Fails when the example's output is wrong or its stderr shows anything (JavaCPP version warnings, SLF4J
# provider complaints), or when DLN drags an SLF4J provider onto the application's runtime classpath.
# Usage (after `mvn -q package -DskipTests` in the DLN root): examples/embed/check.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
scratch="$(mktemp -d)"
[ -n "${DLN_CHECK_KEEP:-}" ] || trap 'rm -rf "$scratch"' EXIT
cat >"$scratch/settings.xml" <<XML
<settings>
  <localRepository>$scratch/repo</localRepository>
  <profiles><profile><id>home</id>
    <repositories><repository><id>home</id><url>file://$HOME/.m2/repository</url></repository></repositories>
    <pluginRepositories><pluginRepository><id>home</id><url>file://$HOME/.m2/repository</url></pluginRepository></pluginRepositories>
  </profile></profiles>
  <activeProfiles><activeProfile>home</activeProfile></activeProfiles>
</settings>
XML
mvn_() { mvn -B -q -Dstyle.color=never -s "$scratch/settings.xml" "$@"; }

# "mvn install" of the DLN clone, without rebuilding it: its poms and the jars `package` made.
install() { mvn_ -f "$root/pom.xml" -N org.apache.maven.plugins:maven-install-plugin:3.1.2:install-file "$@"; }
install -Dfile="$root/pom.xml" -DpomFile="$root/pom.xml"
install -Dfile="$root/grammar/target/dln-grammar-0.1.0.jar" -DpomFile="$root/grammar/pom.xml"
install -Dfile="$root/runtime/target/dln-runtime-0.1.0.jar" -DpomFile="$root/runtime/pom.xml"
install -Dfile="$root/stdlib/target/dln-stdlib-0.1.0.jar" -DpomFile="$root/stdlib/pom.xml"
install -Dfile="$root/interpreter/target/dln.jar" -DpomFile="$root/interpreter/pom.xml"

cp -r "$here/pom.xml" "$here/src" "$scratch/"
cd "$scratch"
mvn_ org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list -DoutputFile="$scratch/deps.txt" -DincludeScope=runtime
if grep -E 'slf4j-(simple|log4j|jdk14|reload4j)|logback' "$scratch/deps.txt"; then
  echo "check.sh: DLN puts an SLF4J provider on the application's classpath (above)" >&2; exit 1
fi
grep -E 'org.bytedeco:(javacpp|openblas):jar:[^:]*:' "$scratch/deps.txt" | sed 's/^ */  /'
status=0
mvn_ compile exec:java >"$scratch/out.txt" 2>"$scratch/err.txt" || status=$?
cat "$scratch/out.txt"
# Maven itself writes bare colour resets (ESC[0m) even with -B; anything else on stderr is a finding.
sed -i 's/\x1b\[[0-9;]*m//g; /^[[:space:]]*$/d' "$scratch/err.txt"
if [ "$status" -ne 0 ] || [ -s "$scratch/err.txt" ]; then
  echo "check.sh: mvn compile exec:java exited $status; its stderr:" >&2; cat "$scratch/err.txt" >&2; exit 1
fi
for want in 'scores from Java: ' '[host] [computed, 4, scores]' 'score([1, 1], [2, 3], 1) = [3.0, 4.0]' \
    'caught: type error at line 1' 'javax.script says: 15.0'; do
  grep -qF "$want" "$scratch/out.txt" || { echo "check.sh: no line with '$want' in the output" >&2; exit 1; }
done
echo "check.sh: the example builds and runs with $(mvn -v -Dstyle.color=never | grep -o 'Maven [0-9.]*' | head -1) as documented"
