#!/usr/bin/env bash
# two-site.sh - the one-command demo: two edgegw gateways with manual keys join an on-prem cluster network
# and a cloud cluster network over ESP in UDP 4500, all inside network namespaces on this machine.
#
#   +----------------------+   +--------------------------------+   +--------------------------------+   +----------------------+
#   | edgegw-demo-onprem   |   | edgegw-demo-gw-a               |   | edgegw-demo-gw-b               |   | edgegw-demo-cloud    |
#   |                      |   |  GatewayMain                   |   |  GatewayMain                   |   |                      |
#   |  edgegw-demo-eth     |   |  edgegw0 (TUN)                 |   |  edgegw0 (TUN)                 |   |  edgegw-demo-eth     |
#   |  10.244.1.10/24      |   |  route 10.96.1.0/24 -> edgegw0 |   |  route 10.244.1.0/24 -> edgegw0|   |  10.96.1.10/24       |
#   |  default via .1      |   |                                |   |                                |   |  default via .1      |
#   +---------||-----------+   +--||------------------------||--+   +--||------------------------||--+   +---------||-----------+
#             \\=================//                          \\======//                          \\===================//
#                 veth        edgegw-demo-lan       edgegw-demo-wan   edgegw-demo-wan      edgegw-demo-lan     veth
#                             10.244.1.1/24         192.0.2.1/24      192.0.2.2/24         10.96.1.1/24
#                                                   <---- "WAN": only ESP in UDP 4500 ---->
#
# Usage (as root):  demo/two-site.sh [--duration N]   # N: keep running N seconds after the demo steps, then
#                                                    # stop; default: until Ctrl-C
#                   demo/two-site.sh --cleanup        # remove what a hard-killed run (kill -9) left behind
# Environment: EG_NS_PREFIX=edgegw-demo- (namespace names; give each concurrent run its own, as the JUnit smoke
#   test does)
#
# Steps: build the project if the jar is missing; create the namespaces and veth pairs; random AES-128-GCM keys
# from /dev/urandom; write both gateway configs; start both gateways; ping onprem -> cloud; 5 s of iperf3 TCP;
# capture the WAN link while pinging and show that it carries only UDP 4500 ESP; then ping once a second (and
# print the gateways' status lines) until Ctrl-C or --duration. On exit, Ctrl-C, SIGTERM or any error the trap
# kills the processes it started (by PID) and deletes the namespaces.
set -euo pipefail
. "$(cd "$(dirname "$0")/.." && pwd)/scripts/netns-lib.sh"

DURATION=""
CLEANUP_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) [ $# -ge 2 ] || eg_die "--duration needs a number of seconds"; DURATION=$2; shift 2 ;;
    --duration=*) DURATION=${1#--duration=}; shift ;;
    --cleanup) CLEANUP_ONLY=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) eg_die "unknown argument '$1' (see --help)" ;;
  esac
done
if [ -n "$DURATION" ] && ! [[ "$DURATION" =~ ^[0-9]+$ ]]; then eg_die "--duration takes whole seconds"; fi

eg_require_root
eg_names "${EG_NS_PREFIX:-edgegw-demo-}"
if [ "$CLEANUP_ONLY" = 1 ]; then eg_cleanup_stale; exit 0; fi

eg_install_trap
eg_need_pkgs iproute2 iputils-ping iperf3 tcpdump
eg_java_setup
eg_workdir edgegw-demo

say() { printf '\n==> %s\n' "$*"; }

say "topology: onprem 10.244.1.10 -- gw-a -- wan 192.0.2.0/24 -- gw-b -- cloud 10.96.1.10 (namespaces edgegw-demo-*)"
eg_topology_up

say "random keys from /dev/urandom, gateway configs in $EG_WORKDIR"
eg_gateway_configs
echo "    SA gw-a -> gw-b  spi $EG_SPI_AB  aes128gcm16"
echo "    SA gw-b -> gw-a  spi $EG_SPI_BA  aes128gcm16"

say "starting both gateways ($("$EG_JAVA" -version 2>&1 | head -1))"
eg_gateway_start "$EG_NS_GWA" "$EG_WORKDIR/gw-a.conf" "$EG_WORKDIR/gw-a.log"; PID_A=$EG_LAST_PID
eg_gateway_start "$EG_NS_GWB" "$EG_WORKDIR/gw-b.conf" "$EG_WORKDIR/gw-b.log"; PID_B=$EG_LAST_PID
echo "    gw-a pid $PID_A: $(grep -m1 ' started ' "$EG_WORKDIR/gw-a.log")"
echo "    gw-b pid $PID_B: $(grep -m1 ' started ' "$EG_WORKDIR/gw-b.log")"

say "ping onprem -> cloud through the tunnel"
eg_in "$EG_NS_ONPREM" ping -c 3 -i 0.3 -W 2 "$EG_CLOUD_HOST" || eg_die "no ping through the tunnel"

say "iperf3 TCP, 5 s, onprem -> cloud through the tunnel"
ip netns exec "$EG_NS_CLOUD" timeout 30 iperf3 -s -1 -B "$EG_CLOUD_HOST" > "$EG_WORKDIR/iperf3-server.log" 2>&1 &
EG_PIDS+=("$!"); SERVER=$!
eg_wait_listen "$EG_NS_CLOUD" 5201
EG_CMD_TIMEOUT=30 eg_in "$EG_NS_ONPREM" iperf3 -c "$EG_CLOUD_HOST" -t 5 -f m > "$EG_WORKDIR/iperf3.log" 2>&1 \
  || { cat "$EG_WORKDIR/iperf3.log"; eg_die "iperf3 failed"; }
grep -E '^\[ *[0-9]+\] +[0-9.]+-' "$EG_WORKDIR/iperf3.log" | sed 's/^/    /'
eg_kill "$SERVER"; eg_forget_pid "$SERVER"

say "capture on the WAN link (gw-a $EG_IF_WAN) during 4 pings"
PCAP=$EG_WORKDIR/wan.pcap
ip netns exec "$EG_NS_GWA" timeout 60 tcpdump -i "$EG_IF_WAN" -n -s 0 -U --immediate-mode -w "$PCAP" \
  > "$EG_WORKDIR/tcpdump.log" 2>&1 &
TCPDUMP=$!; EG_PIDS+=("$TCPDUMP")
eg_wait_grep "$EG_WORKDIR/tcpdump.log" "listening on" 1 30 || eg_die "tcpdump did not start: $(cat "$EG_WORKDIR/tcpdump.log")"
eg_in "$EG_NS_ONPREM" ping -c 4 -i 0.25 -W 2 "$EG_CLOUD_HOST" > /dev/null || true
sleep 0.3
eg_kill "$TCPDUMP"; eg_forget_pid "$TCPDUMP"
timeout 10 tcpdump -n -r "$PCAP" 2>/dev/null | head -8 | sed 's/^/    /'
TOTAL=$(timeout 10 tcpdump -n -r "$PCAP" 2>/dev/null | wc -l)
ESP=$(timeout 10 tcpdump -n -r "$PCAP" 'udp port 4500' 2>/dev/null | wc -l)
OTHER_IP=$(timeout 10 tcpdump -n -r "$PCAP" 'ip and not udp port 4500' 2>/dev/null | wc -l)
INNER=$(timeout 10 tcpdump -n -r "$PCAP" 'net 10.244.1.0/24 or net 10.96.1.0/24' 2>/dev/null | wc -l)
echo "    $TOTAL frames: $ESP UDP 4500 ESP, $OTHER_IP other IP, $INNER with an inner (cluster) address," \
     "$((TOTAL - ESP - OTHER_IP)) non-IP (ARP)"
[ "$ESP" -gt 0 ] && [ "$OTHER_IP" -eq 0 ] && [ "$INNER" -eq 0 ] || eg_die "the WAN capture holds more than ESP"

if [ -n "$DURATION" ]; then
  say "running for $DURATION s: a ping every second, gateway status every 5 s"
else
  say "running: a ping every second, gateway status every 5 s; Ctrl-C stops and cleans up"
fi
START=$SECONDS
n=0
while [ -z "$DURATION" ] || [ $((SECONDS - START)) -lt "$DURATION" ]; do
  eg_alive "$PID_A" || eg_die "gateway gw-a exited: $(tail -3 "$EG_WORKDIR/gw-a.log")"
  eg_alive "$PID_B" || eg_die "gateway gw-b exited: $(tail -3 "$EG_WORKDIR/gw-b.log")"
  rtt=$(timeout 3 ip netns exec "$EG_NS_ONPREM" ping -c 1 -W 1 "$EG_CLOUD_HOST" 2>/dev/null \
        | sed -n 's/.*time=\([0-9.]* ms\).*/\1/p') || true
  echo "$(date +%T) ping onprem -> cloud $EG_CLOUD_HOST: ${rtt:-LOST}"
  n=$((n + 1))
  if [ $((n % 5)) -eq 0 ]; then
    echo "    gw-a: $(grep ' status ' "$EG_WORKDIR/gw-a.log" | tail -1 | cut -d' ' -f2-)"
    echo "    gw-b: $(grep ' status ' "$EG_WORKDIR/gw-b.log" | tail -1 | cut -d' ' -f2-)"
  fi
  sleep 1
done
say "done"
