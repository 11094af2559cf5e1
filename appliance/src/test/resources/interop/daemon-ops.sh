#!/usr/bin/env bash
# daemon-ops.sh - the operator's view and actions on a tunnel the daemon drives (issue 6), through its REST API
#
#   egops-onprem        egops-gw-a (the daemon)                egops-gw-b (strongSwan)   egops-cloud
#   10.244.1.10 eth -- lan 10.244.1.1  wan 192.0.2.1 == wan 192.0.2.2  lan 10.96.1.1 -- eth 10.96.1.10
#
# Usage: daemon-ops.sh OUT_DIR
# gw-a runs the daemon (the real IKE engine and data plane) with one PSK connection to strongSwan (answering only).
# Once it is up and onprem pinged cloud, GET /api/v1/status/tunnels/net must show the IKE SA (ESTABLISHED, the
# negotiated aes128gcm16/prfsha256/x25519, SPIs, addresses, rekey timer) and the CHILD SA (SPIs, suite, selectors,
# the pings counted); POST /diagnostics/ping from the daemon to cloud must leave from 10.244.1.1 (gw-a's address in
# the local network) and come back through the tunnel; rekey (child) must bring new SPIs; terminate must delete the
# SAs (strongSwan gets our Delete) and keep the tunnel DOWN past the re-initiation delay; initiate must bring it UP
# again with pings through; /api/v1/logs must hold the operator's actions and /metrics the SA counts. Everything
# (processes by PID, namespaces, /etc/netns/egops-gw-b) is removed on exit, also on failure. Needs root; the JUnit
# test passes EDGEGW_JAVA and EDGEGW_CLASSPATH. EG_NS_PREFIX replaces the namespace prefix egops- (parallel runs).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../../.." && pwd)
# shellcheck source=../../../../../scripts/netns-lib.sh
. "$ROOT/scripts/netns-lib.sh"

PSK='daemon-ops-psk-0123456789abcdef'
# shellcheck source=daemon-lib.sh
. "$HERE/daemon-lib.sh"
dp_up egops- "$1" "$EG_ONPREM_NET" jq curl

write_yaml "$EG_WORKDIR/gw-a.yaml" start false
printf '%s' 'daemon-test-admin-password' > "$EG_WORKDIR/admin.pw"

get() { # PATH: GET with the session, body on stdout
  eg_in "$EG_NS_GWA" curl -sk --max-time 30 -b "$EG_WORKDIR/cookies" "$API$1"
}
post() { # PATH BODY EXPECTED_CODE: POST with the session and CSRF; body on stdout
  local code
  code=$(eg_in "$EG_NS_GWA" curl -sk --max-time 30 -o "$EG_WORKDIR/post.json" -w '%{http_code}' -X POST \
    -b "$EG_WORKDIR/cookies" -H "X-CSRF-Token: $CSRF" -H 'Content-Type: application/json' -d "$2" "$API$1")
  [ "$code" = "$3" ] || { cat "$EG_WORKDIR/post.json" >&2; eg_die "POST $1 answered $code, not $3"; }
  cat "$EG_WORKDIR/post.json"
}
tunnel() { get /status/tunnels/net; }
wait_for() { # JQ_EXPR SECONDS WHAT: polls the tunnel's JSON until the expression holds
  local deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do tunnel | jq -e "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done
  tunnel >&2; cat "$EG_WORKDIR/daemon.log" >&2; eg_die "timed out waiting for $3"
}

eg_log "start: the daemon with one connection, strongSwan answers"
daemon_start daemon.log --apply "$EG_WORKDIR/gw-a.yaml" --admin-password-file "$EG_WORKDIR/admin.pw"
wait_up daemon.log
ping_through "after the start"
api_login daemon.log
# the pings counted (a reply later than ping's wait is counted a little after ping gave up)
wait_for '.children[0].packetsIn >= 3 and .children[0].packetsOut >= 3 and .packetsIn >= 3' 15 "the pings counted"
tunnel > "$EG_WORKDIR/tunnel-up.json"
eg_log "tunnel: $(jq -c . "$EG_WORKDIR/tunnel-up.json")"
jq -e '.ike.state == "ESTABLISHED" and .ike.initiator and .ike.encryption == "aes128gcm16"
  and .ike.prf == "prfsha256" and .ike.dhGroup == "x25519" and (.ike.localSpi | test("^[0-9a-f]{16}$"))
  and (.ike.remoteSpi | test("^[0-9a-f]{16}$")) and .ike.remoteSpi != "0000000000000000"
  and (.ike.local | startswith("192.0.2.1:")) and (.ike.remote | startswith("192.0.2.2:"))
  and .ike.establishedAt != null and .ike.rekeySeconds > 0
  and (.children | length) == 1 and (.children[0].spiIn | test("^[0-9a-f]{8}$"))
  and .children[0].suite == "aes128gcm16" and .children[0].localTs == ["10.244.1.0/24"]
  and .children[0].remoteTs == ["10.96.1.0/24"] and .children[0].packetsIn >= 3 and .children[0].packetsOut >= 3
  and .children[0].bytesOut > 0 and .packetsIn >= 3
  and .stateWord == "UP" and .detail == "spi in 0x\(.children[0].spiIn) out 0x\(.children[0].spiOut)"
  and .state == "UP: \(.detail)" and .lastError == ""' "$EG_WORKDIR/tunnel-up.json" \
  >/dev/null || eg_die "the tunnel detail lacks the negotiated IKE/CHILD SA, its counters or its state word"
# strongSwan agrees on the SPIs
spi_in=$(jq -r '.children[0].spiIn' "$EG_WORKDIR/tunnel-up.json")
sw --list-sas | grep -q "$spi_in" || { sw --list-sas >&2; eg_die "strongSwan does not know CHILD SPI $spi_in"; }

eg_log "diagnostics: ping cloud from the daemon, source picked in the local network"
post /diagnostics/ping '{"connection":"net","target":"10.96.1.10","count":3}' 200 > "$EG_WORKDIR/ping.json"
eg_log "ping: $(jq -c '{source,sent,received,rttAvgMs}' "$EG_WORKDIR/ping.json")"
# ping -c 3 -w 4 sends until 3 replies are in: a reply later than the 0.2 s interval (a loaded machine) makes it
# send a fourth, so "sent" is 3 or more; all 3 replies are what must come back through the tunnel
jq -e '.source == "10.244.1.1" and .sent >= 3 and .received == 3 and .rttAvgMs > 0' "$EG_WORKDIR/ping.json" \
  >/dev/null || eg_die "the diagnostics ping did not go through the tunnel"
post /diagnostics/ping '{"connection":"net","target":"10.96.1.10","source":"192.0.2.1"}' 422 \
  | jq -e '.errors[0].field == "source"' >/dev/null || eg_die "a source outside the local networks was accepted"

eg_log "rekey the CHILD SA: new SPIs"
post /status/tunnels/net/rekey '{"scope":"child"}' 202 >/dev/null
wait_for "(.children | length) == 1 and .children[0].spiIn != \"$spi_in\"" 60 "new CHILD SPIs after the rekey"
ping_through "after the CHILD rekey"
ike_spi=$(tunnel | jq -r .ike.localSpi)
eg_log "rekey the IKE SA: a new IKE SPI, the CHILD SA stays"
post /status/tunnels/net/rekey '{"scope":"ike"}' 202 >/dev/null
wait_for ".ike.localSpi != \"$ike_spi\" and .ike.state == \"ESTABLISHED\" and (.children | length) == 1" 60 "a new IKE SA"

eg_log "terminate: our Delete, then DOWN past the re-initiation delay"
deletes=$(grep -c "received DELETE for IKE_SA" "$LOG" || true)
post /status/tunnels/net/terminate '' 202 >/dev/null
wait_for '.ike == null and (.children | length) == 0 and .stateWord == "DOWN" and .state == "DOWN"' 60 \
  "DOWN after terminate"
eg_wait_grep "$LOG" "received DELETE for IKE_SA" $((deletes + 1)) 30 || eg_die "strongSwan got no Delete after terminate"
sleep 7 # the driver re-initiates a lost tunnel after 5 s; a terminated one must stay down
tunnel | jq -e '.state == "DOWN" and .ike == null' >/dev/null || { tunnel >&2; eg_die "re-initiated after terminate"; }
post /status/tunnels/net/rekey '{}' 409 >/dev/null
if eg_in "$EG_NS_ONPREM" ping -c 1 -W 1 "$EG_CLOUD_HOST" >/dev/null 2>&1; then eg_die "traffic passes while terminated"; fi

eg_log "initiate: UP again"
post /status/tunnels/net/initiate '' 202 >/dev/null
wait_for '.ike.state == "ESTABLISHED" and (.children | length) == 1' 60 "UP after initiate"
wait_up daemon.log
ping_through "after initiate"

eg_log "log tail and metrics"
get '/logs?q=operator%20action&logger=net.edgegw.appliance.daemon' > "$EG_WORKDIR/logs.json"
jq -e '[.[].message] | (map(select(test("terminate|deleting"))) | length) >= 1 and (map(select(test("IKE_SA_INIT sent"))) | length) >= 1' \
  "$EG_WORKDIR/logs.json" >/dev/null || { cat "$EG_WORKDIR/logs.json" >&2; eg_die "the log tail lacks the operator's actions"; }
get '/logs?level=warning' | jq -e 'all(.[]; .level == "WARNING" or .level == "SEVERE")' >/dev/null \
  || eg_die "the level filter let lower levels through"
TOKEN=$(post /tokens '{"name":"scraper","role":"viewer"}' 201 | jq -r .secret)
eg_in "$EG_NS_GWA" curl -sk --max-time 30 -H "Authorization: Bearer $TOKEN" "${API%/api/v1}/metrics" > "$EG_WORKDIR/metrics.log"
for m in 'edgegw_ike_sas{state="ESTABLISHED"} 1' 'edgegw_tunnel_up{tunnel="net"} 1' 'edgegw_tunnel_child_sas{tunnel="net"} 1' 'edgegw_ike_rekeys_total 1' \
    'edgegw_jvm_threads ' 'edgegw_dataplane_drops_replay_total '; do
  grep -qF "$m" "$EG_WORKDIR/metrics.log" || { cat "$EG_WORKDIR/metrics.log" >&2; eg_die "no '$m' in /metrics"; }
done
grep -q '^edgegw_child_sas_installed_total [3-9]' "$EG_WORKDIR/metrics.log" || eg_die "CHILD SAs installed not counted"
kill -TERM "$DAEMON_PID"
for _ in $(seq 1 200); do eg_alive "$DAEMON_PID" || break; sleep 0.1; done
echo "PASS daemon ops"
