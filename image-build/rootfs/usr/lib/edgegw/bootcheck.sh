#!/bin/bash
# Prints one status line on the console once the gateway is up (or gives up after a bound), so that the serial
# console -- and the qemu smoke test reading it -- sees what holds:
#   EDGEGW-BOOTCHECK root=ro|rw nft=default-deny|missing gateway=<ready|https|failed|timeout> profile=<name>
#     missing=<cpu features> failed=<failed units> uptime=<s>
# "ready": the self-check jar said "data plane ready"; "selfcheck": its first suite passed; "https": 8443 is open.
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
  log=$(journalctl -b -u edgegw.service -o cat --no-pager 2>/dev/null)
  if echo "$log" | grep -q 'data plane ready'; then gw=ready; break; fi
  # Under software emulation the self-check's 50,000 packets per suite take minutes: its first suite protecting
  # and verifying packets inside the sandbox is taken as "the data plane runs" (gateway=selfcheck).
  if echo "$log" | grep -qE '^ +[a-z0-9-]+ +ok +'; then gw=selfcheck; break; fi
  state=$(systemctl show -p ActiveState --value edgegw.service)
  if [ "$state" = failed ]; then gw=failed; break; fi
  # Not running and nothing left to start (e.g. a dependency failed): no point waiting.
  if [ "$state" = inactive ] && [ -z "$(systemctl show -p Job --value edgegw.service)" ]; then
    gw=not-running; break
  fi
  sleep 2
done
[ "$gw" = starting ] && gw=timeout
# Health for the A/B trial boot (edgegw-trial.service): the gateway came up on a read-only, firewalled root.
if [ "$root" = ro ] && [ "$nft" = default-deny ] && { [ "$gw" = https ] || [ "$gw" = ready ] || [ "$gw" = selfcheck ]; }; then
  mkdir -p /run/edgegw && touch /run/edgegw/healthy
fi
profile=$(sed -n 's/^profile=//p' /run/edgegw/hw-profile.properties 2>/dev/null)
missing=$(sed -n 's/^missing=//p' /run/edgegw/hw-profile.properties 2>/dev/null)
failed=$(systemctl list-units --failed --no-legend --plain 2>/dev/null | awk '{print $1}' | paste -sd, -)
up=$(cut -d' ' -f1 /proc/uptime)
# Why a unit failed, on the console: there is no login to look it up.
for u in ${failed//,/ }; do
  journalctl -b -u "$u" -n 8 -o cat --no-pager 2>/dev/null | sed "s/^/EDGEGW-FAILED $u: /"
done
echo "EDGEGW-BOOTCHECK root=$root nft=$nft gateway=$gw profile=${profile:-none} missing=${missing:-none} failed=${failed:-none} uptime=$up"
