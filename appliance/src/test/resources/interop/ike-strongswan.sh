#!/usr/bin/env bash
# ike-strongswan.sh - IKEv2 interop: our gateway (gw-a) against strongSwan 5.9 (gw-b: charon + kernel-libipsec)
#
#   egike-onprem        egike-gw-a (ours)                    egike-gw-b (strongSwan)   egike-cloud
#   10.244.1.10 eth -- lan 10.244.1.1  wan 192.0.2.1 == wan 192.0.2.2  lan 10.96.1.1 -- eth 10.96.1.10
#
#   with MODE=nat a NAT sits between gw-a and the WAN (gw-a behind it; masquerade to other ports):
#
#   egike-gw-a wan 10.99.0.2 == egnat-in 10.99.0.1  egike-nat  egnat-out 192.0.2.1 == wan 192.0.2.2 egike-gw-b
#
# Usage: ike-strongswan.sh we|they|dead|frag|nat|iperf IKE_PROPOSAL ESP_PROPOSAL OUT_DIR
#   we   = our gateway initiates (start = initiate); they = strongSwan initiates (swanctl --initiate)
#   dead = we initiate, then charon is killed (SIGKILL): our liveness check (dpd = 2 s) must declare it dead
#   frag = we initiate with tiny IKE fragment sizes on both sides (RFC 7383): IKE_AUTH and a strongSwan CHILD SA
#          rekey travel as SKF fragments both ways
#   nat  = we initiate from behind the NAT: NAT detected, IKE and ESP on 4500 (UDP-encapsulated), pings,
#          our NAT-keepalives (every 2 s) on the wire
#   iperf = we initiate; a 10 s iperf3 TCP run onprem -> cloud while strongSwan rekeys the CHILD SA and then the
#          IKE SA (swanctl --rekey) and our timers rekey both (child 4 s, IKE 5 s): the run must carry data
# Environment: AUTH=cert with CERT_DIR holding ca.pem, gw-a.pem/.key, gw-b.pem/.key: certificate authentication
#   (strongSwan: swanctl x509/private/x509ca; ours: local.cert/local.key/ca.cert) instead of the PSK.
#   EG_NS_PREFIX: namespace prefix (default egike-; the JUnit test gives each run its own).
# Checks, in order: CHILD SA installed on both sides; ping onprem -> cloud through the tunnel; a 2 s iperf3 TCP run; rekeys (we: our
# timers rekey the CHILD SA every 3 s and the IKE SA after 5 s; they: swanctl --rekey of the CHILD SA, then of the
# IKE SA), each followed by a ping; the delete (we: our gateway stops and sends D(IKE); they: swanctl --terminate);
# strongSwan's log has no error lines. Copies charon's log (with key material, for the known-answer vector) and ours to OUT_DIR.
# Everything (processes by PID, namespaces, /etc/netns/egike-gw-b) is removed on exit, also on failure.
# Needs root; the JUnit test passes EDGEGW_JAVA and EDGEGW_CLASSPATH.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../../.." && pwd)
# shellcheck source=../../../../../scripts/netns-lib.sh
. "$ROOT/scripts/netns-lib.sh"

MODE=$1 IKE=$2 ESP=$3 OUT=$4
PSK='interop-test-psk-0123456789abcdef'
ID_A=gw-a.example.test
ID_B=gw-b.example.test
CHARON=/usr/lib/ipsec/charon

eg_require_root
PREFIX=${EG_NS_PREFIX:-egike-}
AUTH=${AUTH:-psk}
eg_names "$PREFIX"
eg_install_trap
eg_need_pkgs strongswan-charon strongswan-swanctl libcharon-extra-plugins iputils-ping tcpdump tshark iperf3 nftables
eg_java_setup
eg_workdir egike
mkdir -p "$OUT"
copy_logs() {
  [ -n "${DUMP_PID:-}" ] && eg_kill "$DUMP_PID"  # flushes the capture
  cp -f "$EG_WORKDIR"/*.log "$EG_WORKDIR"/*.pcap "$EG_WORKDIR"/*.json "$OUT"/ 2>/dev/null || true
}
trap 'rc=$?; trap - EXIT INT TERM; copy_logs; eg_cleanup; exit $rc' EXIT

# shellcheck source=strongswan-peer.sh
. "$HERE/strongswan-peer.sh"

eg_topology_up
GWA_LOCAL=$EG_GWA_WAN
if [ "$MODE" = nat ]; then
  # gw-a's WAN now ends in the NAT namespace; the NAT's outside takes gw-a's old address toward gw-b
  NS_NAT=${PREFIX}nat
  eg_ns_exists "$NS_NAT" && eg_die "namespace $NS_NAT already exists"
  ip netns add "$NS_NAT"
  EG_NAMESPACES+=("$NS_NAT")
  eg_in "$NS_NAT" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv4.conf.all.rp_filter=0 \
    net.ipv4.conf.default.rp_filter=0 net.ipv4.ip_forward=1
  ip -n "$NS_NAT" link set lo up
  ip -n "$EG_NS_GWA" link del "$EG_IF_WAN"   # the pair: gw-b's end goes too
  ip -n "$EG_NS_GWA" link add "$EG_IF_WAN" type veth peer name egnat-in netns "$NS_NAT"
  ip -n "$NS_NAT" link add egnat-out type veth peer name "$EG_IF_WAN" netns "$EG_NS_GWB"
  GWA_LOCAL=10.99.0.2
  ip -n "$EG_NS_GWA" addr add "$GWA_LOCAL/24" dev "$EG_IF_WAN"
  ip -n "$EG_NS_GWA" link set "$EG_IF_WAN" up
  ip -n "$EG_NS_GWA" route add "$EG_GWB_WAN/32" via 10.99.0.1
  ip -n "$NS_NAT" addr add 10.99.0.1/24 dev egnat-in
  ip -n "$NS_NAT" addr add "$EG_GWA_WAN/24" dev egnat-out
  ip -n "$NS_NAT" link set egnat-in up
  ip -n "$NS_NAT" link set egnat-out up
  ip -n "$EG_NS_GWB" addr add "$EG_GWB_WAN/24" dev "$EG_IF_WAN"
  ip -n "$EG_NS_GWB" link set "$EG_IF_WAN" up
  # masquerade onto other ports, so that both the address and the ports change (RFC 7296 §2.23)
  eg_in "$NS_NAT" nft -f - <<'NFT'
table ip egnat {
  chain post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "egnat-out" meta l4proto udp masquerade to :20000-29999
  }
}
NFT
fi

# the WAN link as gw-b sees it: IKE on 500 and 4500 (and ESP in UDP)
ip netns exec "$EG_NS_GWB" tcpdump -i "$EG_IF_WAN" -w "$EG_WORKDIR/wan.pcap" -U --immediate-mode -s 0 \
  udp port 500 or udp port 4500 2> "$EG_WORKDIR/tcpdump.log" &
DUMP_PID=$!
EG_PIDS+=("$DUMP_PID")
# the first IKE_SA_INIT must be in the capture (the test decrypts it): wait until tcpdump listens (30 s)
eg_wait_grep "$EG_WORKDIR/tcpdump.log" listening 1 30 || { cat "$EG_WORKDIR/tcpdump.log" >&2; eg_die "tcpdump did not start"; }

# --- gw-b: strongSwan, configs from /etc/netns/egike-gw-b (bind-mounted over /etc by ip netns exec) ---
NS=$EG_NS_GWB LOCAL=$EG_GWB_WAN REMOTE=$EG_GWA_WAN LID=$ID_B RID=$ID_A LTS=$EG_CLOUD_NET RTS=$EG_ONPREM_NET
LOG=$EG_WORKDIR/charon.log
if [ "$MODE" = frag ]; then SW_FRAG=200 OUR_FRAG=150; fi
sw_etc
if [ "$AUTH" = cert ]; then
  [ -f "${CERT_DIR:-}/gw-b.pem" ] || eg_die "AUTH=cert needs CERT_DIR with gw-b.pem"
  SW_AUTH=pubkey SW_CERTS='\n      certs = gw-b.pem'
  cp "$CERT_DIR/gw-b.pem" "$d/swanctl/x509/"
  cp "$CERT_DIR/gw-b.key" "$d/swanctl/private/"
  cp "$CERT_DIR/ca.pem" "$d/swanctl/x509ca/"
fi
sw_start

# --- gw-a: our gateway ---
NS=$EG_NS_GWA LOCAL=$GWA_LOCAL REMOTE=$EG_GWB_WAN LID=$ID_A RID=$ID_B LTS=$EG_ONPREM_NET RTS=$EG_CLOUD_NET
START=$([ "$MODE" = they ] && echo wait || echo initiate)
if [ "$MODE" = frag ]; then OUR_FRAG=150; fi
if [ "$MODE" = we ]; then IKE_REKEY=5 CHILD_REKEY=3; fi
if [ "$MODE" = iperf ]; then IKE_REKEY=5 CHILD_REKEY=4; fi
if [ "$MODE" = nat ]; then KEEPALIVE=2; fi
if [ "$MODE" = dead ]; then DPD=2; fi
# our retransmission timeout: strongSwan's answer may take a while on a loaded machine, and a retransmission of ours
# shows in its log (checked below) as "received retransmit": 4 s; the dead-peer mode counts on retransmissions of
# its liveness check to a dead charon and keeps them quick (1 s, 1.4, 3 tries: ~7 s to give up)
RETRANSMIT=$([ "$MODE" = dead ] && echo 1.0 || echo 4.0)
subst "$HERE/gw-a.conf.in" "$EG_WORKDIR/gw-a.conf"
if [ "$AUTH" = cert ]; then
  sed -i '/^psk = /d' "$EG_WORKDIR/gw-a.conf"
  printf 'local.cert = %s\nlocal.key = %s\nca.cert = %s\n' "$CERT_DIR/gw-a.pem" "$CERT_DIR/gw-a.key" \
    "$CERT_DIR/ca.pem" >> "$EG_WORKDIR/gw-a.conf"
fi
ip netns exec "$NS" "$EG_JAVA" --enable-native-access=ALL-UNNAMED -Xms64m -Xmx256m -cp "$EG_CP" \
  net.edgegw.appliance.lifecycle.Main ike "$EG_WORKDIR/gw-a.conf" > "$EG_WORKDIR/gw-a.log" 2>&1 &
GW_PID=$!
EG_PIDS+=("$GW_PID")
# our gateway's JVM start: ~2 s on a quiet machine; 60 s
deadline=$((SECONDS + 60))
until grep -q "started ike" "$EG_WORKDIR/gw-a.log" 2>/dev/null; do
  eg_alive "$GW_PID" || { cat "$EG_WORKDIR/gw-a.log" >&2; eg_die "our gateway exited"; }
  [ "$SECONDS" -lt "$deadline" ] || { cat "$EG_WORKDIR/gw-a.log" >&2; eg_die "our gateway did not start in 60 s"; }
  sleep 0.1
done

if [ "$MODE" = they ]; then
  eg_log "strongSwan initiates"
  EG_CMD_TIMEOUT=70 sw --initiate --child net --timeout 60 >&2 \
    || { cat "$EG_WORKDIR/gw-a.log" >&2; eg_die "swanctl --initiate failed"; }
fi
# IKE_SA_INIT and IKE_AUTH answered by a JVM that runs them for the first time: well under 1 s on a quiet machine
up=0
deadline=$((SECONDS + 60))
while [ "$SECONDS" -lt "$deadline" ]; do
  if sw --list-sas 2>/dev/null | grep -q INSTALLED && grep -q "CHILD SA installed" "$EG_WORKDIR/gw-a.log"; then up=1; break; fi
  sleep 0.1
done
sw --list-sas >&2 || true
[ $up = 1 ] || { cat "$EG_WORKDIR/gw-a.log" >&2; eg_die "tunnel did not come up"; }
eg_log "tunnel up; ping onprem -> cloud"
eg_in "$EG_NS_ONPREM" ping -c 3 -i 0.2 -W 2 "$EG_CLOUD_HOST" >&2 || { cat "$EG_WORKDIR/gw-a.log" >&2; eg_die "ping failed"; }
eg_log "ping ok"
if [ "$MODE" != iperf ]; then  # iperf mode runs its own, longer, run through the rekeys
  eg_log "iperf3 TCP for 2 s onprem -> cloud"
  ip netns exec "$EG_NS_CLOUD" timeout 60 iperf3 -s -1 -p 5202 > "$EG_WORKDIR/iperf3-short-server.log" 2>&1 &
  SHORT_SRV=$!
  EG_PIDS+=("$SHORT_SRV")
  eg_wait_listen "$EG_NS_CLOUD" 5202
  timeout 40 ip netns exec "$EG_NS_ONPREM" iperf3 -c "$EG_CLOUD_HOST" -p 5202 -t 2 -J \
    > "$EG_WORKDIR/iperf3-short.json" 2> "$EG_WORKDIR/iperf3-short-client.log" \
    || { cat "$EG_WORKDIR/iperf3-short.json" "$EG_WORKDIR/iperf3-short-client.log" >&2; eg_die "iperf3 failed"; }
  wait "$SHORT_SRV" || true
  eg_forget_pid "$SHORT_SRV"
  short_bytes=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"]))' \
    "$EG_WORKDIR/iperf3-short.json")
  [ "$short_bytes" -gt 0 ] || eg_die "iperf3 received nothing"
  eg_log "iperf3 ok: $short_bytes bytes in 2 s"
fi
ping_through() { eg_in "$EG_NS_ONPREM" ping -c 2 -i 0.2 -W 2 "$EG_CLOUD_HOST" >&2 || { cat "$EG_WORKDIR/gw-a.log" >&2; eg_die "ping failed after $1"; }; }
wait_log() { # file pattern count what [seconds, default 30: an exchange takes well under 1 s on a quiet machine]
  eg_wait_grep "$1" "$2" "$3" "${5:-30}" || { cat "$EG_WORKDIR/gw-a.log" >&2; eg_die "no $4"; }
}
we_stop_and_delete() { # our gateway stops (SIGTERM): it must send D(IKE), which strongSwan must receive
  eg_log "our gateway stops: it deletes the IKE SA"
  kill -TERM "$GW_PID" 2>/dev/null || true
  # the Delete leaves first thing in the JVM's shutdown; its exit is not waited for before it arrived (a loaded
  # machine may take longer than eg_kill's 5 s grace to run the shutdown, and a SIGKILL would cut the Delete off)
  eg_wait_grep "$LOG" "received DELETE for IKE_SA" 1 30 || eg_die "strongSwan got no Delete"
  eg_kill "$GW_PID"
  eg_forget_pid "$GW_PID"
}
if [ "$MODE" = frag ]; then
  grep -q "sent as .* fragments" "$EG_WORKDIR/gw-a.log" || eg_die "we sent no fragments"
  grep -q "reassembled fragmented IKE message" "$LOG" || eg_die "strongSwan reassembled nothing"
  eg_log "strongSwan rekeys the CHILD SA (fragmented CREATE_CHILD_SA)"
  sw --rekey --child net >&2
  wait_log "$EG_WORKDIR/gw-a.log" "CHILD SA deleted" 1 "CHILD SA rekey"
  ping_through "the fragmented rekey"
  grep -q "splitting IKE message" "$LOG" || eg_die "strongSwan sent no fragments"
  we_stop_and_delete
elif [ "$MODE" = nat ]; then
  grep -q "behind a NAT: NAT-keepalives" "$EG_WORKDIR/gw-a.log" || wait_log "$EG_WORKDIR/gw-a.log" \
    "behind a NAT: NAT-keepalives" 1 "NAT-keepalives"
  grep -q "remote host is behind NAT" "$LOG" || eg_die "strongSwan saw no NAT"
  sleep 2.5   # at least one more keepalive interval
  ping_through "keepalives"
  we_stop_and_delete
elif [ "$MODE" = iperf ]; then
  eg_log "iperf3 TCP for 10 s onprem -> cloud; rekeys from both sides meanwhile"
  ip netns exec "$EG_NS_CLOUD" timeout 70 iperf3 -s -1 -p 5201 > "$EG_WORKDIR/iperf3-server.log" 2>&1 &
  IPERF_PID=$!
  EG_PIDS+=("$IPERF_PID")
  eg_wait_listen "$EG_NS_CLOUD" 5201
  timeout 40 ip netns exec "$EG_NS_ONPREM" iperf3 -c "$EG_CLOUD_HOST" -p 5201 -t 10 -J \
    > "$EG_WORKDIR/iperf3.json" 2> "$EG_WORKDIR/iperf3-client.log" &
  CLIENT_PID=$!
  EG_PIDS+=("$CLIENT_PID")
  sleep 1.5
  eg_log "strongSwan rekeys the CHILD SA during the run"
  sw --rekey --child net >&2
  sleep 5.5
  eg_log "strongSwan rekeys the IKE SA during the run"
  sw --rekey --ike gw-a >&2
  wait "$CLIENT_PID" || { cat "$EG_WORKDIR/iperf3.json" "$EG_WORKDIR/iperf3-client.log" >&2; eg_die "iperf3 failed"; }
  eg_forget_pid "$CLIENT_PID"
  bytes=$(python3 -c 'import json,sys; print(int(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"]))' \
    "$EG_WORKDIR/iperf3.json")
  [ "$bytes" -gt 0 ] || eg_die "iperf3 received nothing"
  eg_log "iperf3 received $bytes bytes through the rekeys"
  echo "IPERF_BYTES $bytes"
  wait_log "$EG_WORKDIR/gw-a.log" "IKE SA rekeyed" 2 "IKE SA rekeys (ours and strongSwan's)"
  wait_log "$EG_WORKDIR/gw-a.log" "CHILD SA deleted" 2 "CHILD SA rekeys"
  ping_through "the rekeys"
  we_stop_and_delete
elif [ "$MODE" = dead ]; then
  eg_log "charon dies (SIGKILL); our liveness check must notice"
  kill -KILL "$CHARON_PID"
  # dpd = 2 s, then retransmissions after 1, 1.4 and 1.96 s and a last wait of 2.7 s: ~10 s on a quiet machine
  wait_log "$EG_WORKDIR/gw-a.log" "sending INFORMATIONAL request" 1 "liveness check"
  wait_log "$EG_WORKDIR/gw-a.log" "giving up after" 1 "dead peer detection"
  wait_log "$EG_WORKDIR/gw-a.log" "IKE SA deleted" 1 "IKE SA removal"
  echo "PASS $MODE $IKE $ESP"
  exit 0
elif [ "$MODE" = they ]; then
  eg_log "strongSwan rekeys the CHILD SA"
  sw --rekey --child net >&2
  wait_log "$EG_WORKDIR/gw-a.log" "CHILD SA deleted" 1 "CHILD SA rekey"
  ping_through "the CHILD SA rekey"
  eg_log "strongSwan rekeys the IKE SA"
  sw --rekey --ike gw-a >&2
  wait_log "$EG_WORKDIR/gw-a.log" "IKE SA rekeyed" 1 "IKE SA rekey"
  wait_log "$EG_WORKDIR/gw-a.log" "IKE SA deleted" 1 "old IKE SA deleted"
  ping_through "the IKE SA rekey"
  eg_log "strongSwan deletes the IKE SA"
  EG_CMD_TIMEOUT=40 sw --terminate --ike gw-a --timeout 30 >&2
  wait_log "$EG_WORKDIR/gw-a.log" "peer deletes the IKE SA" 2 "IKE SA delete"
else
  eg_log "our timers rekey the CHILD SA (3 s) and the IKE SA (5 s)"
  wait_log "$EG_WORKDIR/gw-a.log" "IKE SA rekeyed" 1 "IKE SA rekey"
  wait_log "$EG_WORKDIR/gw-a.log" "CHILD SA deleted" 2 "two CHILD SA rekeys"
  ping_through "our rekeys"
  we_stop_and_delete
fi
# charon logs the Delete before it destroys the SAs: give it a moment (10 s) to be done
deadline=$((SECONDS + 10))
while [ -n "$(sw --list-sas 2>/dev/null | grep -E 'ESTABLISHED|INSTALLED')" ] && [ "$SECONDS" -lt "$deadline" ]; do
  sleep 0.1
done
sw --list-sas >&2 || true
[ -z "$(sw --list-sas 2>/dev/null | grep -E 'ESTABLISHED|INSTALLED')" ] || eg_die "strongSwan still has SAs"
# strongSwan's own verdict: no line reporting an error (level-1 messages name errors in words)
if grep -v -E '\[LIB\] (feature|unable to load)' "$LOG" | grep -iE 'error|failed|invalid|unacceptable|no acceptable|not supported|unable|discard|retransmit' >&2; then
  eg_die "strongSwan logged errors (above)"
fi
echo "PASS $MODE $IKE $ESP"
