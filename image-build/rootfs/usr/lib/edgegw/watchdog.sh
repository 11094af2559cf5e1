#!/bin/bash
# Arms the hardware watchdog the hardware profile names (EDGEGW_WATCHDOG in /run/edgegw/edgegw.env, written by
# edgegw-hwprofile.service): systemd (PID 1) pings it every RuntimeWatchdogSec/2, so a hung kernel or PID 1
# resets the machine -- which also ends a trial boot of a new slot that hangs (the one-shot entry is spent).
# The drop-in keeps the setting across a daemon-reexec; the D-Bus property sets it now.
set -u
SEC=${EDGEGW_RUNTIME_WATCHDOG_SEC:-30}
dev=$(sed -n 's/^EDGEGW_WATCHDOG=//p' /run/edgegw/edgegw.env 2>/dev/null)
if [ -z "$dev" ] || [ "$dev" = none ]; then echo "edgegw-watchdog: the profile names no watchdog"; exit 0; fi
for _ in $(seq 1 10); do [ -c "$dev" ] && break; sleep 1; done
if [ ! -c "$dev" ]; then echo "edgegw-watchdog: WARNING: $dev (from the profile) does not exist"; exit 0; fi
mkdir -p /run/systemd/system.conf.d
printf '[Manager]\nRuntimeWatchdogSec=%s\nWatchdogDevice=%s\n' "$SEC" "$dev" > /run/systemd/system.conf.d/50-edgegw-watchdog.conf
if [ "$dev" = /dev/watchdog0 ] && busctl set-property org.freedesktop.systemd1 /org/freedesktop/systemd1 \
     org.freedesktop.systemd1.Manager RuntimeWatchdogUSec t $((SEC * 1000000)); then
  :
else
  systemctl daemon-reexec   # another device: only a re-execution reads WatchdogDevice
fi
echo "edgegw-watchdog: $dev armed, RuntimeWatchdogUSec=$(systemctl show -p RuntimeWatchdogUSec --value)"
