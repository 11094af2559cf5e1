#!/bin/bash
# Prints one status line on the console once the gateway is up (or gives up after a bound), so that the serial
# console -- and the qemu smoke test reading it -- sees what holds:
#   EDGEGW-BOOTCHECK root=ro|rw nft=default-deny|missing gateway=<ready|https|failed|timeout> profile=<name>
#     missing=<cpu features> failed=<failed units> uptime=<s>
# "ready": the daemon said "data plane ready" (self-check jar) or opened the admin port; "https": 8443 answers.
set -u
deadline=$((SECONDS + ${EDGEGW_BOOTCHECK_TIMEOUT:-840}))
root=rw
findmnt -n -o OPTIONS / | tr ',' '\n' | grep -qx ro && root=ro
nft=missing
if nft list chain inet edgegw input 2>/dev/null | grep -q 'policy drop'; then nft=default-deny; fi
gw=starting
while [ $SECONDS -lt $deadline ]; do
  if (exec 3<>/dev/tcp/127.0.0.1/8443) 2>/dev/null; then gw=https; break; fi
  if journalctl -b -u edgegw.service -o cat --no-pager 2>/dev/null | grep -q 'data plane ready'; then gw=ready; break; fi
  state=$(systemctl show -p ActiveState --value edgegw.service)
  if [ "$state" = failed ]; then gw=failed; break; fi
  sleep 2
done
[ "$gw" = starting ] && gw=timeout
# Health for the A/B trial boot (edgegw-trial.service): the gateway came up on a read-only, firewalled root.
if [ "$root" = ro ] && [ "$nft" = default-deny ] && { [ "$gw" = https ] || [ "$gw" = ready ]; }; then
  mkdir -p /run/edgegw && touch /run/edgegw/healthy
fi
profile=$(sed -n 's/^profile=//p' /run/edgegw/hw-profile.properties 2>/dev/null)
missing=$(sed -n 's/^missing=//p' /run/edgegw/hw-profile.properties 2>/dev/null)
failed=$(systemctl list-units --failed --no-legend --plain 2>/dev/null | awk '{print $1}' | paste -sd, -)
up=$(cut -d' ' -f1 /proc/uptime)
echo "EDGEGW-BOOTCHECK root=$root nft=$nft gateway=$gw profile=${profile:-none} missing=${missing:-none} failed=${failed:-none} uptime=$up"
