#!/usr/bin/env bash
# qemu smoke test of a built image: boots it under qemu-system-x86_64 with OVMF (UEFI) -- software emulation
# (TCG) by default, as a CI machine without /dev/kvm would -- on a copy-on-write overlay (the image file is never
# written), forwards the admin port to 127.0.0.1 only, waits for the appliance's boot report on the serial
# console, checks it, checks the admin port from the host, powers the guest off with an ACPI power-button press
# and prints the boot-to-ready time.
#
#   image-build/smoke.sh [IMAGE]      (default image-build/out/edgegw-latest.img)
#
# What must hold (the guest's edgegw-bootcheck.service prints one EDGEGW-BOOTCHECK line on ttyS0):
#   root=ro              the root file system is mounted read-only
#   nft=default-deny     the edgegw nftables table is loaded with policy drop on input
#   profile=qemu-virt    the hardware profile for this machine was picked and applied
#   gateway=https        the appliance daemon (the jar's no-argument entry point) listens on 8443 in the guest, and
#                        from the host GET https://127.0.0.1:$SMOKE_PORT/api/openapi.json (no login needed) through
#                        the forwarded MGMT port answers 200 with the OpenAPI document
#   setup=token          the daemon did its first-boot setup: it printed its setup token (to the journal; the guest
#                        reports only that it did, and this script redacts any token it might print)
#   and an ACPI power-button press powers the guest off.
# Reported, not checked: the daemon's data-plane state (dataplane= in the boot report). It decides by CAP_NET_ADMIN
# in CapEff and /dev/net/tun, which the unit grants to user edgegw, so "on" is expected; no tunnel is set up here.
# Environment: SMOKE_ACCEL=tcg|kvm (default tcg), SMOKE_TIMEOUT seconds (default 1800), SMOKE_PORT (default 18443),
# SMOKE_LOG=FILE keeps the serial console log (setup token redacted).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
IMG=${1:-$HERE/out/edgegw-latest.img}
ACCEL=${SMOKE_ACCEL:-tcg}
CPU=${SMOKE_CPU:-$([ "$ACCEL" = kvm ] && echo host || echo max)}
TIMEOUT=${SMOKE_TIMEOUT:-1800}
PORT=${SMOKE_PORT:-18443}
[ -f "$IMG" ] || { echo "smoke: no image $IMG (run image-build/build.sh)" >&2; exit 1; }
for p in qemu-system-x86 ovmf curl python3; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$p" >/dev/null
done
CODE=/usr/share/OVMF/OVMF_CODE_4M.fd VARS=/usr/share/OVMF/OVMF_VARS_4M.fd

# The first-boot setup token creates the first administrator: it never goes into a CI log.
redact() { tr -d '\r' | sed 's/\(setup token: *\)[^ ]*/\1<redacted>/'; }

WORK=$(mktemp -d /tmp/edgegw-smoke.XXXXXX)
QPID=""
cleanup() {
  if [ -n "${SMOKE_LOG:-}" ] && [ -f "$WORK/serial.log" ]; then redact < "$WORK/serial.log" > "$SMOKE_LOG"; fi
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then kill "$QPID"; sleep 1; kill -9 "$QPID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cp "$VARS" "$WORK/vars.fd"
SERIAL=$WORK/serial.log
: > "$SERIAL"

T0=$(date +%s.%N)
nice -n 15 qemu-system-x86_64 -machine q35,accel="$ACCEL" -cpu "$CPU" -smp 2 -m 1536 \
  -drive if=pflash,format=raw,unit=0,readonly=on,file="$CODE" \
  -drive if=pflash,format=raw,unit=1,file="$WORK/vars.fd" \
  -drive file="$IMG",format=raw,if=none,id=disk,snapshot=on -device virtio-blk-pci,drive=disk \
  -netdev user,id=mgmt,hostfwd=tcp:127.0.0.1:"$PORT"-:8443 -device virtio-net-pci,netdev=mgmt,addr=0x2 \
  -netdev user,id=wan,restrict=on -device virtio-net-pci,netdev=wan,addr=0x3 \
  -display none -vga none -serial file:"$SERIAL" -monitor unix:"$WORK/monitor",server,nowait \
  -no-reboot &
QPID=$!

monitor() { python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.3); s.recv(4096)
s.sendall((sys.argv[2]+"\n").encode()); time.sleep(0.5); s.close()' "$WORK/monitor" "$1"; }

line=""
while :; do
  line=$(grep -a -m1 'EDGEGW-BOOTCHECK' "$SERIAL" || true)
  [ -n "$line" ] && break
  if ! kill -0 "$QPID" 2>/dev/null; then echo "smoke: qemu exited before the boot report" >&2; tail -40 "$SERIAL" | redact >&2; exit 1; fi
  if [ $SECONDS -gt "$TIMEOUT" ]; then
    echo "smoke: no boot report within ${TIMEOUT}s" >&2; tail -40 "$SERIAL" | redact >&2; exit 1
  fi
  sleep 2
done
T_READY=$(python3 -c "import time;print(f'{time.time()-$T0:.1f}')")
line=$(echo "$line" | tr -d '\r')
echo "smoke: $line"
grep -a 'hw-profile:\|EDGEGW-DAEMON\|EDGEGW-FAILED' "$SERIAL" | redact | sed 's/^/smoke: guest: /' || true

fail=0 passed=0 failed=0
ok() { echo "smoke: ok   $1"; passed=$((passed + 1)); }
bad() { echo "smoke: FAIL $1"; failed=$((failed + 1)); fail=1; }
check() { if echo "$line" | grep -qw -- "$1"; then ok "$2"; else bad "$2 (want $1)"; fi; }
check root=ro "root file system is read-only"
check nft=default-deny "nftables default-deny inbound is active"
check profile=qemu-virt "hardware profile qemu-virt applied"
check setup=token "first-boot setup done: the daemon printed its setup token (redacted)"
# The guest saw 8443 open; the host must get the API's OpenAPI document through the forwarded MGMT port.
code=000
if echo "$line" | grep -qw gateway=https; then
  for _ in $(seq 1 15); do
    code=$(curl -ks --max-time 20 -o "$WORK/openapi.json" -w '%{http_code}' "https://127.0.0.1:$PORT/api/openapi.json" || true)
    [ "$code" = 200 ] && break
    sleep 4
  done
fi
if [ "$code" = 200 ] && grep -q '"openapi"' "$WORK/openapi.json"; then
  ok "gateway daemon answers HTTPS: GET https://127.0.0.1:$PORT/api/openapi.json -> 200 (MGMT port forwarded)"
else
  bad "gateway daemon not ready: HTTP $code from https://127.0.0.1:$PORT/api/openapi.json; $line"
fi
echo "smoke: guest data plane: $(echo "$line" | sed -n 's/.*dataplane=\([a-z]*\).*/\1/p')" \
  "(the daemon's own verdict: CAP_NET_ADMIN + /dev/net/tun in the sandbox; not a check, no tunnel is made)"

monitor system_powerdown || true
for _ in $(seq 1 90); do kill -0 "$QPID" 2>/dev/null || break; sleep 1; done
if kill -0 "$QPID" 2>/dev/null; then bad "guest did not power off within 90 s"
else wait "$QPID" 2>/dev/null || true; ok "guest powered off (ACPI power button)"; fi
QPID=""
uptime=$(echo "$line" | sed -n 's/.*uptime=\([0-9.]*\).*/\1/p')
echo "smoke: boot-to-ready ${T_READY} s wall clock (qemu start to boot report; kernel uptime ${uptime} s), accel=$ACCEL"
[ $fail -eq 0 ] || tail -60 "$SERIAL" | redact | sed 's/^/serial: /' >&2
echo "image-smoke: $passed passed, $failed failed"
exit $fail
