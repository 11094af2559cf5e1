#!/usr/bin/env bash
# daemon-strongswan.sh - the appliance daemon drives a real tunnel, and brings it back after a restart
#
#   egdrv-onprem        egdrv-gw-a (the daemon)                egdrv-gw-b (strongSwan)   egdrv-cloud
#   10.244.1.10 eth -- lan 10.244.1.1  wan 192.0.2.1 == wan 192.0.2.2  lan 10.96.1.1 -- eth 10.96.1.10
#
# Usage: daemon-strongswan.sh OUT_DIR
# gw-a runs the daemon (Main, no subcommand) on a fresh data directory with a YAML file applied by --apply: one
# PSK peer (strongSwan in gw-b, configured from the templates of ike-strongswan.sh, answering only) and one
# connection onprem <-> cloud with startAction start. Checks, in order: the daemon logs "connection net UP" and
# strongSwan has the CHILD SA installed; onprem pings cloud; SIGTERM to the daemon's PID: it exits 0, strongSwan
# receives our Delete, the ping now fails (the route into the TUN device went with it); the daemon is started
# again on the same data directory, without --apply and without any other step: the tunnel comes back by itself
# and onprem pings cloud again (the status API shows it UP with the pings counted). Then enforce: with a leak path
# in place (gw-a's default route to gw-b, gw-b routing onprem back) a third start applies the connection with
# startAction none and enforce true: while no SA is up the ping is dropped, not leaked; strongSwan initiates, we
# answer, the ping goes through; deleting the connection through the REST API of the running daemon sends the IKE
# Delete and removes the routes. Before that, through the same API: a new peer description keeps the SAs, a wrong
# remote identity renegotiates (our Delete) and strongSwan's next try fails, shown as WAITING with the error; the
# right one again and strongSwan's next try brings the tunnel back. Everything (processes by PID, namespaces, /etc/netns/egdrv-gw-b) is removed on
# exit, also on failure. Needs root; the JUnit test passes EDGEGW_JAVA and EDGEGW_CLASSPATH.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../../.." && pwd)
# shellcheck source=../../../../../scripts/netns-lib.sh
. "$ROOT/scripts/netns-lib.sh"

PSK='daemon-test-psk-0123456789abcdef'
# shellcheck source=daemon-lib.sh
. "$HERE/daemon-lib.sh"
dp_up egdrv- "$1" "$EG_ONPREM_NET"

# --- gw-a: the daemon's provisioning file (CONFIG.md schema) ---
write_yaml "$EG_WORKDIR/gw-a.yaml" start false
write_yaml "$EG_WORKDIR/gw-a-enforce.yaml" none true
printf '%s' 'daemon-test-admin-password' > "$EG_WORKDIR/admin.pw"

api_status() { # LOG_NAME: the tunnels of GET /api/v1/status, as JSON on stdout
  api_login "$1"
  eg_in "$EG_NS_GWA" curl -sk --max-time 30 -b "$EG_WORKDIR/cookies" "$API/status" | jq -c .tunnels
}

eg_log "first start: --apply gw-a.yaml on an empty data directory"
daemon_start daemon1.log --apply "$EG_WORKDIR/gw-a.yaml" --admin-password-file "$EG_WORKDIR/admin.pw"
wait_up daemon1.log
eg_log "tunnel up: $(grep -m1 'connection net UP' "$EG_WORKDIR/daemon1.log")"
ping_through "after the first start"
# the counters are the data plane's; a reply later than ping's wait is counted a little after ping gave up: 15 s
deadline=$((SECONDS + 15))
until STATUS=$(api_status daemon1.log) && echo "$STATUS" | jq -e '.[0].name == "net"
    and (.[0].state | startswith("UP: spi in 0x")) and .[0].packetsOut >= 3 and .[0].packetsIn >= 3
    and .[0].bytesOut > 0' >/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || { eg_log "status API: $STATUS"; eg_die "the status API does not show the tunnel UP with the pings counted"; }
  sleep 0.5
done
eg_log "status API: $STATUS"
eg_log "ping ok; SIGTERM to the daemon (PID $DAEMON_PID)"
daemon_stop daemon1.log
eg_wait_grep "$LOG" "received DELETE for IKE_SA" 1 30 || eg_die "strongSwan got no Delete from the stopping daemon"
if eg_in "$EG_NS_ONPREM" ping -c 1 -W 1 "$EG_CLOUD_HOST" >/dev/null 2>&1; then
  eg_die "onprem still reaches cloud with the daemon stopped: the ping did not go through our tunnel"
fi
eg_log "daemon stopped (exit 0), strongSwan got the Delete, no path to cloud"

eg_log "second start: same data directory, no --apply, nothing else"
daemon_start daemon2.log
wait_up daemon2.log
eg_log "tunnel back: $(grep -m1 'connection net UP' "$EG_WORKDIR/daemon2.log")"
ping_through "after the restart"
daemon_stop daemon2.log

# enforce: a leak path exists (gw-a's default route goes to gw-b, which routes onprem back); while no SA is up,
# the routes into the TUN device stay, and the ping is dropped instead of leaving in the clear
ip -n "$EG_NS_GWA" route add default via "$EG_GWB_WAN"
ip -n "$EG_NS_GWB" route add "$EG_ONPREM_NET" via "$EG_GWA_WAN"
ping_through "in the clear with the daemon stopped (the leak path)"
eg_log "third start: --apply the same connection with startAction none and enforce true"
daemon_start daemon3.log --apply "$EG_WORKDIR/gw-a-enforce.yaml"
daemon_port daemon3.log >/dev/null  # started (150 s); the reconciler ran before the ready line
eg_wait_grep "$EG_WORKDIR/daemon3.log" "connection net: routes into edgegw0" 1 30 \
  || { cat "$EG_WORKDIR/daemon3.log" >&2; eg_die "no enforce routes"; }
if eg_in "$EG_NS_ONPREM" ping -c 2 -i 0.2 -W 1 "$EG_CLOUD_HOST" >&2; then
  eg_die "enforce: cleartext leaked while the SA is down"
fi
eg_log "enforce: no SA, no leak; strongSwan initiates (start action none: we answer)"
EG_CMD_TIMEOUT=70 sw --initiate --child net --timeout 60 >&2 \
  || { cat "$EG_WORKDIR/daemon3.log" >&2; eg_die "swanctl --initiate failed"; }
wait_up daemon3.log
ping_through "after strongSwan initiated"
api_put_peer() { # REMOTE_ID DESCRIPTION: PUT /api/v1/peers/gw-b without psk (the stored one stays), must answer 200
  local code
  api_login daemon3.log
  code=$(eg_in "$EG_NS_GWA" curl -sk --max-time 30 -o "$EG_WORKDIR/put.json" -w '%{http_code}' -X PUT \
    -b "$EG_WORKDIR/cookies" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' \
    -d "{\"name\":\"gw-b\",\"address\":\"$EG_GWB_WAN\",\"localId\":\"$ID_A\",\"remoteId\":\"$1\",\"auth\":\"psk\",\"ikeProposals\":\"$IKE\",\"description\":\"$2\"}" "$API/peers/gw-b")
  [ "$code" = 200 ] || { cat "$EG_WORKDIR/put.json" >&2; eg_die "PUT /api/v1/peers/gw-b answered $code"; }
}
before=$(api_status daemon3.log | jq -r '.[0].state')
starts=$(grep -c "connection net started" "$EG_WORKDIR/daemon3.log")
eg_log "a new peer description through the API: the reconciler updates, the driver keeps the SAs ($before)"
api_put_peer "$ID_B" "moved to rack 7"
sleep 1
[ "$(api_status daemon3.log | jq -r '.[0].state')" = "$before" ] || eg_die "a description change renegotiated the tunnel"
[ "$(grep -c "connection net started" "$EG_WORKDIR/daemon3.log")" = "$starts" ] || eg_die "a description change restarted the connection"
ping_through "after a description change"
deletes=$(grep -c "received DELETE for IKE_SA" "$LOG" || true)
eg_log "a wrong remote identity through the API: renegotiation (our Delete), then strongSwan's new try fails"
api_put_peer "wrong.example.test" "moved to rack 7"
eg_wait_grep "$LOG" "received DELETE for IKE_SA" $((deletes + 1)) 30 || eg_die "no Delete after the identity change"
EG_CMD_TIMEOUT=40 sw --initiate --child net --timeout 30 >&2 && eg_die "strongSwan got through with the wrong identity"
# our side records the refused IKE_AUTH as the connection's last error; poll for it (swanctl may give up first)
deadline=$((SECONDS + 30))
until STATUS=$(api_status daemon3.log) && echo "$STATUS" | jq -e '.[0].state | startswith("WAITING: ")' >/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || { eg_log "status API: $STATUS"; eg_die "no WAITING state with the last error"; }
  sleep 0.5
done
eg_log "status API: $STATUS"
if eg_in "$EG_NS_ONPREM" ping -c 1 -W 1 "$EG_CLOUD_HOST" >&2; then eg_die "enforce: leaked after the failed renegotiation"; fi
eg_log "the right identity again through the API; strongSwan initiates, the tunnel is back"
ups=$(grep -c "connection net UP" "$EG_WORKDIR/daemon3.log")
api_put_peer "$ID_B" "moved to rack 7"
EG_CMD_TIMEOUT=70 sw --initiate --child net --timeout 60 >&2 \
  || { cat "$EG_WORKDIR/daemon3.log" >&2; eg_die "swanctl --initiate failed after the fix"; }
eg_wait_grep "$EG_WORKDIR/daemon3.log" "connection net UP" $((ups + 1)) 30 \
  || { cat "$EG_WORKDIR/daemon3.log" >&2; eg_die "not UP again"; }
ping_through "after the identity was fixed"

eg_log "the connection is deleted through the API of the running daemon"
deletes=$(grep -c "received DELETE for IKE_SA" "$LOG" || true)
api_login daemon3.log
code=$(eg_in "$EG_NS_GWA" curl -sk --max-time 30 -o /dev/null -w '%{http_code}' -X DELETE -b "$EG_WORKDIR/cookies" \
  -H "X-CSRF-Token: $CSRF" "$API/connections/net")
case "$code" in 200|204) ;; *) eg_die "DELETE /api/v1/connections/net answered $code";; esac
eg_wait_grep "$LOG" "received DELETE for IKE_SA" $((deletes + 1)) 30 || eg_die "strongSwan got no Delete after the API delete"
[ -z "$(ip -n "$EG_NS_GWA" route show dev edgegw0 2>/dev/null)" ] || eg_die "routes into edgegw0 left after the delete"
[ "$(api_status daemon3.log)" = "[]" ] || eg_die "the status API still lists the deleted connection"
eg_log "deleted: strongSwan got the Delete, routes gone, status empty"
daemon_stop daemon3.log
echo "PASS daemon restart"
