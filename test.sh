#!/usr/bin/env bash
# The one test command: every test of every module, including the tshark cross-checks and the network-namespace
# end-to-end tests, which need root (namespaces, TUN, raw sockets). Installs missing packages first.
set -euo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then exec sudo -E "$0" "$@"; fi
  echo "test.sh: run as root (the tests create network namespaces)" >&2
  exit 1
fi
scripts/install-deps.sh
. scripts/jdk.sh
echo "test.sh: JDK $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)" >&2
# Maven Central over HTTP (wagon): retry a connection that breaks or a 5xx, give up on a read stalled for 2 min
# instead of 30
NET=(-Dmaven.wagon.http.retryHandler.class=standard -Dmaven.wagon.http.retryHandler.count=5
     -Dmaven.wagon.http.retryHandler.requestSentEnabled=true -Dmaven.wagon.http.serviceUnavailableRetryStrategy.class=standard
     -Dmaven.wagon.rto=120000)
# Everything the build and the test run need from Maven Central first (plugins, dependencies, surefire's JUnit
# provider: a build that runs no test), up to 3 tries 20 s apart when it is the network that failed; any other
# failure is left to the real run below to report. So a hiccup on the way to Central is not a red test run.
# (-U on a retry: Maven remembers a failed transfer in the local repository and would not try it again otherwise.)
fetch_log=$(mktemp)
again=()
for try in 1 2 3; do
  if mvn -B -ntp -q "${again[@]}" "${NET[@]}" verify -Dtest=_fetch_only_ -Dsurefire.failIfNoSpecifiedTests=false \
      >"$fetch_log" 2>&1; then
    again=()
    break
  fi
  grep -qE 'Could not (resolve|transfer)|Connection (reset|refused|timed out)|Read timed out|Temporary failure|Network is unreachable|Remote host terminated|transfer failed' \
    "$fetch_log" || break
  again=(-U)
  [ "$try" = 3 ] || { echo "test.sh: fetching from Maven Central failed (try $try of 3), again in 20 s" >&2; sleep 20; }
done
rm -f "$fetch_log"
exec mvn -B -ntp "${again[@]}" "${NET[@]}" verify "$@"
