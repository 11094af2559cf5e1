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
exec mvn -B -ntp verify "$@"
