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
#   watchdog             systemd's RuntimeWatchdogUSec is non-zero: the profile's watchdog (qemu: -device i6300esb,
#                        /dev/watchdog0) is armed by edgegw-watchdog.service
#   data                 the data partition was grown to the (larger, 4 GiB) disk at first boot
#   API (firmware updates, over the forwarded HTTPS port, as the admin the guest set up from a password handed in
#   through qemu fw_cfg): GET /api/v1/system shows slot a and the profile; a bundle with a bad signature and a
#   truncated one are refused with 422 and nothing is armed (trial none, slot b inactive)
#   SMOKE_UPDATE=1 adds the full round: the build's good bundle is accepted (202), written (GET /api/v1/system/update
#   -> installed), POST /api/v1/system/reboot, and the guest comes back from slot b, healthy, the trial committed
#   (GET /api/v1/system: activeSlot b, trial confirmed)
#   and an ACPI power-button press powers the guest off.
#   dataplane=on         the daemon's READY=1 status says "data plane available": CAP_NET_ADMIN in CapEff,
#                        /dev/net/tun and JNA's native part loading (from the private /tmp); no tunnel is set up
# Environment: SMOKE_ACCEL=tcg|kvm (default tcg), SMOKE_TIMEOUT seconds (default 1800), SMOKE_PORT (default 18443),
# SMOKE_LOG=FILE keeps the serial console log (setup token redacted), SMOKE_UPDATE=1 the update round (above;
# the bundle is the image's sibling out/edgegw-<v>.bundle).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
IMG=${1:-$HERE/out/edgegw-latest.img}
ACCEL=${SMOKE_ACCEL:-tcg}
# Software emulation runs both guest CPUs in ONE host thread (thread=single). With qemu 7.2's multi-threaded TCG the
# guest JVM crashed (SIGSEGV at the entry of freshly JIT-compiled methods: String.coder, Unsafe.getLongUnaligned,
# P256 mult -- hs_err files on the data partition) or hung in one boot of two: code the JIT patches on one vCPU
# while the other runs it (nmethod entry barriers) is not seen consistently across MTTCG threads.
ACCEL_OPTS=$ACCEL
[ "$ACCEL" = tcg ] && ACCEL_OPTS=tcg,thread=single
CPU=${SMOKE_CPU:-$([ "$ACCEL" = kvm ] && echo host || echo max)}
TIMEOUT=${SMOKE_TIMEOUT:-1800}
PORT=${SMOKE_PORT:-18443}
[ -f "$IMG" ] || { echo "smoke: no image $IMG (run image-build/build.sh)" >&2; exit 1; }
for p in qemu-system-x86 qemu-utils ovmf curl python3; do
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
  if [ -n "${SMOKE_LOG:-}" ] && [ -f "$WORK/serial2.log" ]; then redact < "$WORK/serial2.log" > "$SMOKE_LOG.2"; fi
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then kill "$QPID"; sleep 1; kill -9 "$QPID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
cp "$VARS" "$WORK/vars.fd"
SERIAL=$WORK/serial.log
: > "$SERIAL"

# A copy-on-write overlay larger than the image (the image file is never written): the guest grows its data
# partition into it, and it survives the reboot of the update round (qemu runs with -no-reboot: a guest reboot
# ends qemu, and boot() starts it again on the same overlay and EFI variables).
qemu-img create -q -f qcow2 -F raw -b "$(readlink -f "$IMG")" "$WORK/disk.qcow2" 4G
PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
boot() {   # boot SERIAL_LOG
  nice -n 15 qemu-system-x86_64 -machine q35 -accel "$ACCEL_OPTS" -cpu "$CPU" -smp 2 -m 1536 \
    -drive if=pflash,format=raw,unit=0,readonly=on,file="$CODE" \
    -drive if=pflash,format=raw,unit=1,file="$WORK/vars.fd" \
    -drive file="$WORK/disk.qcow2",format=qcow2,if=none,id=disk -device virtio-blk-pci,drive=disk \
    -netdev user,id=mgmt,hostfwd=tcp:127.0.0.1:"$PORT"-:8443 -device virtio-net-pci,netdev=mgmt,addr=0x2 \
    -netdev user,id=wan,restrict=on -device virtio-net-pci,netdev=wan,addr=0x3 \
    -device i6300esb -fw_cfg name=opt/edgegw/smoke-admin-password,string="$PASSWORD" \
    -display none -vga none -serial file:"$1" -monitor unix:"$WORK/monitor",server,nowait \
    -no-reboot &
  QPID=$!
}
T0=$(date +%s.%N)
boot "$SERIAL"

monitor() { python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); time.sleep(0.3); s.recv(4096)
s.sendall((sys.argv[2]+"\n").encode()); time.sleep(0.5); s.close()' "$WORK/monitor" "$1"; }

wait_report() {   # wait_report SERIAL_LOG -> $line
  line=""
  local since=$SECONDS diag=${SMOKE_DIAG_AFTER:-600}
  while :; do
    line=$(grep -a -m1 'EDGEGW-BOOTCHECK' "$1" || true)
    [ -n "$line" ] && break
    # No report for long, but the panel answers and an admin exists (the update round's second boot): the
    # daemon's own log tail, once, through the API (the console shows only what the units print).
    if [ $((SECONDS - since)) -gt "$diag" ] && [ -n "${PASSWORD_SET:-}" ] && login 2>/dev/null \
        && [ "$(api GET '/logs?limit=80')" = 200 ]; then
      echo "smoke: no boot report after ${diag}s; the daemon's log:" >&2
      python3 -c 'import json,sys
for r in json.load(open(sys.argv[1])): print("smoke: daemon:", r["at"], r["level"], r["message"][:200])' "$WORK/body" \
        | redact >&2 || true
      diag=999999
    fi
    if ! kill -0 "$QPID" 2>/dev/null; then echo "smoke: qemu exited before the boot report" >&2; tail -40 "$1" | redact >&2; exit 1; fi
    if [ $SECONDS -gt "$TIMEOUT" ]; then
      echo "smoke: no boot report within ${TIMEOUT}s" >&2; tail -40 "$1" | redact >&2; exit 1
    fi
    sleep 2
  done
}
wait_report "$SERIAL"
T_READY=$(python3 -c "import time;print(f'{time.time()-$T0:.1f}')")
line=$(echo "$line" | tr -d '\r')
echo "smoke: $line"
grep -a 'hw-profile:\|edgegw-growdata:\|edgegw-watchdog:\|EDGEGW-DAEMON\|EDGEGW-FAILED' "$SERIAL" | redact | sed 's/^/smoke: guest: /' || true

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
check dataplane=on "data plane available in the sandbox (the daemon's READY status: CAP_NET_ADMIN, /dev/net/tun, JNA loads; no tunnel is made)"

field() { echo "$line" | sed -n "s/.* $1=\\([^ ]*\\).*/\\1/p"; }
wd=$(field watchdog)
if [ -n "$wd" ] && [ "$wd" != 0 ] && [ "$wd" != unknown ] && [ "$wd" != infinity ]; then
  ok "hardware watchdog armed: systemd RuntimeWatchdogUSec=$wd (i6300esb, profile watchdog /dev/watchdog0)"
else bad "hardware watchdog not armed (watchdog=$wd)"; fi
data=$(field data)
if [ "${data:-0}" -gt 1024 ]; then ok "data partition grown to the disk at first boot: ${data} MiB (image: 256 MiB)"
else bad "data partition not grown (data=${data:-?} MiB on a 4 GiB disk)"; fi

# --- firmware updates over the admin API (the admin the guest set up from the fw_cfg password) ----------------
API=https://127.0.0.1:$PORT/api/v1
CSRF=""
api() {   # api METHOD PATH [curl args...] -> body in $WORK/body, status echoed
  local m=$1 p=$2; shift 2
  curl -ks --max-time 900 -o "$WORK/body" -w '%{http_code}' -b "$WORK/jar" -c "$WORK/jar" \
    -H "X-CSRF-Token: $CSRF" -X "$m" "$API$p" "$@" || echo 000
}
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."): d=d[int(k)] if isinstance(d,list) else d.get(k,"")
print(d)' "$WORK/body" "$1" 2>/dev/null; }
login() {
  CSRF=""
  code=$(api POST /session -H 'Content-Type: application/json' -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}")
  CSRF=$(json csrfToken)
  [ "$code" = 200 ] && [ -n "$CSRF" ]
}
if [ "$(field provisioned)" = admin-201 ] && login; then
  ok "admin set up in the guest from the fw_cfg password (setup token never left the guest); login over HTTPS"
  PASSWORD_SET=1
else bad "no admin login (provisioned=$(field provisioned))"; fi
code=$(api GET /system)
if [ "$code" = 200 ] && [ "$(json activeSlot)" = a ] && [ "$(json hardware.profile)" = qemu-virt ]; then
  ok "GET /api/v1/system: slot a active, profile qemu-virt ($(json hardware.matchedBy)), watchdog $(json hardware.watchdog), cpu missing [$(json hardware.cpuFeatures.missing)]"
else bad "GET /api/v1/system: HTTP $code $(head -c 300 "$WORK/body")"; fi
BUNDLE=$(readlink -f "$IMG"); BUNDLE=${BUNDLE%.img}.bundle
if [ -f "$BUNDLE" ]; then
  head -c 1048576 "$BUNDLE" > "$WORK/truncated.bundle"
  python3 -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[20]^=1; open(sys.argv[2],"wb").write(b)' \
    "$WORK/truncated.bundle" "$WORK/badsig.bundle"
  for kind in badsig:bad.signature truncated:truncated; do
    f=${kind%%:*} want=${kind#*:}
    code=$(api POST /system/update -H 'Content-Type: application/octet-stream' --data-binary @"$WORK/$f.bundle")
    detail=$(json detail)
    if [ "$code" = 422 ] && echo "$detail" | grep -q "$want"; then ok "$f bundle refused: 422 \"$detail\""
    else bad "$f bundle: HTTP $code $(head -c 300 "$WORK/body")"; fi
  done
  code=$(api GET /system)
  if [ "$(json trial.state)" = none ] && [ "$(json slots.1.state)" = inactive ]; then
    ok "after the refusals nothing is armed: trial none, slot $(json slots.1.name) inactive"
  else bad "after the refusals: $(head -c 300 "$WORK/body")"; fi
else bad "no bundle $BUNDLE next to the image"; fi

if [ "${SMOKE_UPDATE:-0}" = 1 ] && [ -f "$BUNDLE" ]; then
  TU=$SECONDS
  code=$(api POST /system/update -H 'Content-Type: application/octet-stream' --data-binary @"$BUNDLE")
  if [ "$code" = 202 ]; then ok "good bundle ($(du -m "$BUNDLE" | cut -f1) MiB) accepted in $((SECONDS - TU)) s: $(json message)"
  else bad "good bundle: HTTP $code $(head -c 300 "$WORK/body")"; fi
  state=""
  for _ in $(seq 1 450); do
    api GET /system/update >/dev/null; state=$(json state)
    [ "$state" = installing ] || break
    sleep 2
  done
  if [ "$state" = installed ]; then ok "written to the inactive slot in $((SECONDS - TU)) s: $(json message)"
  else bad "update state $state: $(json message)"; fi
  code=$(api POST /system/reboot -H 'Content-Type: application/json' -d '{}')
  [ "$code" = 202 ] && ok "reboot requested (202)" || bad "reboot: HTTP $code $(head -c 300 "$WORK/body")"
  for _ in $(seq 1 300); do kill -0 "$QPID" 2>/dev/null || break; sleep 1; done
  if kill -0 "$QPID" 2>/dev/null; then bad "guest did not reboot within 300 s"; kill "$QPID"; sleep 2; fi
  wait "$QPID" 2>/dev/null || true
  TR=$SECONDS
  SERIAL2=$WORK/serial2.log; : > "$SERIAL2"
  boot "$SERIAL2"
  wait_report "$SERIAL2"
  line=$(echo "$line" | tr -d '\r')
  echo "smoke: after reboot: $line"
  if [ "$(field slot)" = b ] && [ "$(field gateway)" = https ]; then
    ok "the guest came back from slot b, gateway up, in $((SECONDS - TR)) s"
  else bad "after the reboot: slot=$(field slot) gateway=$(field gateway)"; fi
  trial=""
  for _ in $(seq 1 30); do
    if login && [ "$(api GET /system)" = 200 ] && [ "$(json activeSlot)" = b ]; then
      trial=$(json trial.detail); echo "$trial" | grep -q confirmed && break
    fi
    sleep 3
  done
  if echo "$trial" | grep -q confirmed; then ok "GET /api/v1/system: slot b active, trial committed ($trial)"
  else bad "trial not committed: $(head -c 400 "$WORK/body")"; grep -a 'update:' "$SERIAL2" | head -5; fi
  echo "smoke: update round (upload, write, reboot, back healthy on b) took $((SECONDS - TU)) s"
  SERIAL=$SERIAL2
fi

monitor system_powerdown || true
for _ in $(seq 1 90); do kill -0 "$QPID" 2>/dev/null || break; sleep 1; done
if kill -0 "$QPID" 2>/dev/null; then bad "guest did not power off within 90 s"
else wait "$QPID" 2>/dev/null || true; ok "guest powered off (ACPI power button)"; fi
QPID=""
uptime=$(echo "$line" | sed -n 's/.*uptime=\([0-9.]*\).*/\1/p')
echo "smoke: boot-to-ready ${T_READY} s wall clock (qemu start to boot report; kernel uptime ${uptime} s), accel=$ACCEL_OPTS"
[ $fail -eq 0 ] || tail -60 "$SERIAL" | redact | sed 's/^/serial: /' >&2
echo "image-smoke: $passed passed, $failed failed"
exit $fail
