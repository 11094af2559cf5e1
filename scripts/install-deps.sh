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
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
# strongSwan's package may start a host-wide charon: the tests start their own inside namespaces only.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now strongswan-starter 2>/dev/null || true; fi
