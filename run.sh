#!/usr/bin/env bash
# The one run command: builds the appliance if needed (sources newer than the jar), then starts it on the newest
# JDK present. No arguments: the appliance daemon (data in ./data, admin panel on https://127.0.0.1:8443);
# `./run.sh --help` lists its options, `./run.sh selfcheck` and `./run.sh gateway <config>` the other commands.
set -euo pipefail
cd "$(dirname "$0")"
. scripts/jdk.sh
JAR=appliance/target/edgegw-appliance.jar
if [ ! -f "$JAR" ] || [ -n "$(find pom.xml */pom.xml */src/main -newer "$JAR" -type f 2>/dev/null | head -1)" ]; then
  echo "run.sh: building (mvn package, tests skipped; ./test.sh runs them)" >&2
  mvn -q -B -ntp package -DskipTests
fi
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -jar "$JAR" "$@"
