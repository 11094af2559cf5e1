#!/bin/bash
# Prints one status line on the console once the gateway is up (or gives up after a bound), so that the serial
# console -- and the qemu smoke test reading it -- sees what holds:
#   EDGEGW-BOOTCHECK root=ro|rw nft=default-deny|missing gateway=<https|failed|crashing|not-running|timeout>
#     setup=<token|done|none> dataplane=<on|unavailable|unknown> profile=<name> missing=<cpu features>
#     watchdog=<systemd's RuntimeWatchdogUSec, 0 = off> slot=<a|b> data=<data partition MiB> provisioned=<...>
#     failed=<failed units> uptime=<s>
# "https": the daemon's admin panel accepts connections on 8443. "setup=token": the daemon printed its first-boot
# setup token (this line never shows the token itself: it would end up in CI logs); "done": it started with an
# administrator already set up. "dataplane": what the daemon's READY=1 status (systemctl show -p StatusText)
# says ("data plane available" needs CAP_NET_ADMIN and /dev/net/tun, which the unit grants to user edgegw;
# "unavailable": panel and API only).
set -u
deadline=$((SECONDS + ${EDGEGW_BOOTCHECK_TIMEOUT:-1500}))
root=rw
findmnt -n -o OPTIONS / | tr ',' '\n' | grep -qx ro && root=ro
nft=missing
if nft list chain inet edgegw input 2>/dev/null | grep -q 'policy drop'; then nft=default-deny; fi
if [ "$nft" = missing ]; then nft -c -f /etc/nftables.conf 2>&1 | head -5 | sed 's/^/EDGEGW-NFT: /'; fi
gw=starting
while [ $SECONDS -lt $deadline ]; do
  if (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null; then gw=https; break; fi
  state=$(systemctl show -p ActiveState --value edgegw.service)
  if [ "$state" = failed ]; then gw=failed; break; fi
  # Restart=on-failure restarts a crashing daemon forever: three restarts are enough to say so.
  if [ "$(systemctl show -p NRestarts --value edgegw.service)" -ge 3 ] 2>/dev/null; then gw=crashing; break; fi
  # Not running and nothing left to start (e.g. a dependency failed): no point waiting.
  if [ "$state" = inactive ] && [ -z "$(systemctl show -p Job --value edgegw.service)" ]; then
    gw=not-running; break
  fi
  sleep 2
done
# The panel listens before the daemon has finished starting; the unit turns "active" when the daemon sends READY=1
# (Type=notify) with STATUS="revision N, admin panel ..., data plane available|unavailable". Under emulation that
# can come minutes after the port opened (a fixed 30 s wait for the log line gave dataplane=unknown), so wait for it.
status=""
if [ "$gw" = https ]; then
  while [ $SECONDS -lt $deadline ]; do
    [ "$(systemctl show -p ActiveState --value edgegw.service)" = active ] && break
    sleep 2
  done
  status=$(systemctl show -p StatusText --value edgegw.service)
fi
log=$(journalctl -b -u edgegw.service -o cat --no-pager 2>/dev/null)
setup=none
if echo "$log" | grep -q 'first-boot setup token:'; then setup=token
elif [ -n "$status" ]; then setup=done; fi
dataplane=unknown
case "$status" in
  *"data plane unavailable"*) dataplane=unavailable ;;
  *"data plane available"*) dataplane=on ;;
esac
[ "$gw" = starting ] && gw=timeout
# Health for the A/B trial boot (edgegw-trial.service): the gateway came up on a read-only, firewalled root.
if [ "$root" = ro ] && [ "$nft" = default-deny ] && [ "$gw" = https ]; then
  mkdir -p /run/edgegw && touch /run/edgegw/healthy
fi
# qemu only (the smoke test): a password handed in through fw_cfg becomes the first administrator, set up with
# the setup token the daemon printed to the journal -- so the host can log in while the token stays in the guest.
provisioned=none
fwpw=/sys/firmware/qemu_fw_cfg/by_name/opt/edgegw/smoke-admin-password/raw
modprobe -q qemu_fw_cfg 2>/dev/null || true
if [ "$gw" = https ] && [ -r "$fwpw" ]; then
  token=$(echo "$log" | sed -n 's/.*first-boot setup token: *\([^ ]*\).*/\1/p' | tail -1)
  if [ -n "$token" ]; then
    body="{\"token\":\"$token\",\"username\":\"admin\",\"password\":\"$(tr -dc 'A-Za-z0-9' < "$fwpw")\"}"
    code=$(printf 'POST /api/v1/setup HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
      "${#body}" "$body" | timeout 60 openssl s_client -quiet -connect 127.0.0.1:8443 2>/dev/null | head -1 | cut -d' ' -f2)
    provisioned="admin-$code"
    unset body token
  else
    provisioned=already
  fi
fi
wd=$(systemctl show -p RuntimeWatchdogUSec --value 2>/dev/null)
slot=$(sed -n 's/.*edgegw\.slot=\([ab]\).*/\1/p' /proc/cmdline)
data=$(df -m --output=size /var/lib/edgegw 2>/dev/null | tail -1 | tr -d ' ')
profile=$(sed -n 's/^profile=//p' /run/edgegw/hw-profile.properties 2>/dev/null)
missing=$(sed -n 's/^missing=//p' /run/edgegw/hw-profile.properties 2>/dev/null)
failed=$(systemctl list-units --failed --no-legend --plain 2>/dev/null | awk '{print $1}' | paste -sd, -)
up=$(cut -d' ' -f1 /proc/uptime)
# Why a unit failed, on the console: there is no login to look it up (a setup token in it is redacted).
for u in ${failed//,/ }; do
  journalctl -b -u "$u" -n 8 -o cat --no-pager 2>/dev/null \
    | sed -e 's/\(setup token: *\)[^ ]*/\1<redacted>/' -e "s/^/EDGEGW-FAILED $u: /"
done
# The daemon's own last words when it did not come up (it may be restarting rather than failed).
if [ "$gw" != https ]; then
  echo "$log" | tail -n 20 | sed -e 's/\(setup token: *\)[^ ]*/\1<redacted>/' -e 's/^/EDGEGW-DAEMON: /'
fi
echo "EDGEGW-BOOTCHECK root=$root nft=$nft gateway=$gw setup=$setup dataplane=$dataplane profile=${profile:-none} missing=${missing:-none} watchdog=${wd:-unknown} slot=${slot:-none} data=${data:-0} provisioned=$provisioned failed=${failed:-none} uptime=$up"
