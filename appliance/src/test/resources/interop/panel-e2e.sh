#!/usr/bin/env bash
# panel-e2e.sh - the world PanelEndToEndTest drives the admin panel in: the topology of daemon-lib.sh with the
# prefix egui- (or $EG_NS_PREFIX), strongSwan answering in egui-gw-b, and the daemon in egui-gw-a on a fresh data directory (no
# configuration, no administrator: its log has the first-boot setup token); the test creates everything else
# through the panel.
#
# Usage: panel-e2e.sh OUT_DIR
# Prints one line on stdout when ready:
#   READY port=<panel port on gw-a's loopback> token=<setup token> chromium=<wrapper> psk=<PSK> peer=<address>
#     localId=<our IKE id> remoteId=<strongSwan's> ike=<IKE proposal> localNet=<onprem> serviceNet=<a service CIDR> remoteNet=<cloud>
# then reads commands on stdin, one a line, answering each with its output and a last line ". rc=<status>":
#   sas            strongSwan's swanctl --list-sas
#   ping           3 pings onprem -> cloud (through the tunnel)
#   traffic SECS   starts iperf3 onprem -> cloud at 8 Mbit/s for SECS seconds in the background (bounded)
#   quit           exit (also on EOF: a dead test JVM leaves nothing behind)
# The chromium wrapper runs /usr/bin/chromium inside egui-gw-a, so the browser reaches the panel on 127.0.0.1 of
# that namespace only. Everything (processes by PID, namespaces, /etc/netns/egui-gw-b) is removed on exit, also on
# failure or SIGTERM. Needs root; the JUnit test passes EDGEGW_JAVA and EDGEGW_CLASSPATH. Logs go to stderr.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../../../.." && pwd)
# shellcheck source=../../../../../scripts/netns-lib.sh
. "$ROOT/scripts/netns-lib.sh"

PSK="panel-e2e-psk-$(eg_randhex 8)"
SERVICE_NET=10.245.1.0/24   # the onprem cluster's service CIDR (the panel's cluster form asks for one)
# shellcheck source=daemon-lib.sh
. "$HERE/daemon-lib.sh"
# our traffic selectors are the onprem cluster's pod and service networks
dp_up egui- "$1" "$EG_ONPREM_NET,$SERVICE_NET" iperf3 chromium

cat > "$EG_WORKDIR/chromium" <<EOF
#!/bin/sh
exec ip netns exec $EG_NS_GWA /usr/bin/chromium "\$@"
EOF
chmod 755 "$EG_WORKDIR/chromium"

daemon_start daemon.log
PORT=$(daemon_port daemon.log)
TOKEN=$(grep -m1 -o 'first-boot setup token: [^ ]*' "$EG_WORKDIR/daemon.log" | sed 's/.*: //')
[ -n "$TOKEN" ] || { cat "$EG_WORKDIR/daemon.log" >&2; eg_die "no setup token in the daemon's log"; }
ip netns exec "$EG_NS_CLOUD" iperf3 -s > "$EG_WORKDIR/iperf3-server.log" 2>&1 &
EG_PIDS+=("$!")
eg_log "ready: daemon PID $DAEMON_PID, panel https://127.0.0.1:$PORT in $EG_NS_GWA"
echo "READY port=$PORT token=$TOKEN chromium=$EG_WORKDIR/chromium psk=$PSK peer=$EG_GWB_WAN localId=$ID_A" \
  "remoteId=$ID_B ike=$IKE localNet=$EG_ONPREM_NET serviceNet=$SERVICE_NET remoteNet=$EG_CLOUD_NET"

run() { # CMD ARGS...: one command of the protocol
  case "$1" in
    sas) sw --list-sas ;;
    ping) eg_in "$EG_NS_ONPREM" ping -c 3 -i 0.2 -W 2 "$EG_CLOUD_HOST" ;;
    traffic)
      [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "traffic SECONDS"; return 2; }
      timeout $(( $2 + 10 )) ip netns exec "$EG_NS_ONPREM" iperf3 -c "$EG_CLOUD_HOST" -t "$2" -b 8M \
        > "$EG_WORKDIR/iperf3-client.log" 2>&1 &
      EG_PIDS+=("$!")
      echo "iperf3 PID $!" ;;
    *) echo "unknown command: $1"; return 2 ;;
  esac
}

while read -r -a cmd; do
  [ ${#cmd[@]} -gt 0 ] || continue
  [ "${cmd[0]}" = quit ] && break
  eg_log "command: ${cmd[*]}"
  rc=0
  run "${cmd[@]}" 2>&1 || rc=$?
  echo ". rc=$rc"
done
eg_log "done"
