#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks use, if any is missing. Needs root.
set -euo pipefail
PKGS=(tshark tcpdump iperf3 iputils-ping iproute2 nftables python3 python3-cryptography
      strongswan-charon strongswan-swanctl libcharon-extra-plugins
      chromium)  # mgmt-ui browser test (Playwright drives this one; no browser download)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: need root to install: ${missing[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Another apt may hold the lock (e.g. unattended upgrades at boot): wait for it, bounded.
for _ in $(seq 1 60); do
  if ! fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1; then break; fi
  sleep 5
done
# A mirror or the network may hiccup: apt retries each download (Acquire::Retries), and each step is tried up to 3
# times 20 s apart, bounded in time (an interrupted download leaves dpkg untouched: apt fetches before it installs).
apt_try() {
  local i
  for i in 1 2 3; do
    timeout "$1" apt-get -o Acquire::Retries=3 "${@:2}" && return 0
    [ "$i" = 3 ] || { echo "install-deps: apt-get ${*:2} failed (try $i of 3), again in 20 s" >&2; sleep 20; }
  done
  return 1
}
apt_try 300 update -q
apt_try 1200 install -y -q --no-install-recommends "${missing[@]}"
# strongSwan's package may start a host-wide charon: the tests start their own inside namespaces only.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now strongswan-starter 2>/dev/null || true; fi
