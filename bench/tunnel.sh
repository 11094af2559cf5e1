#!/usr/bin/env bash
# tunnel.sh - end-to-end throughput in one run: iperf3 TCP onprem -> cloud, 1 and 4 streams, over the same
# namespaces and hosts through three paths:
#   veth       - plain IP forwarding in gw-a and gw-b (routes via the WAN veth), no IPsec, no gateway process
#   ours       - our two gateways (GatewayMain, manual AES-128-GCM SAs, ESP in UDP 4500)
#   strongswan - strongSwan 5.9 charon + kernel-libipsec in gw-a and gw-b (IKEv2 PSK, ESP aes128gcm16; libipsec
#                always sends ESP in UDP 4500), each charon with its own /etc (via /etc/netns/<ns>) and /run (tmpfs)
#
#   onprem 10.244.1.10 --- gw-a [10.244.1.1 | 192.0.2.1] === wan === [192.0.2.2 | 10.96.1.1] gw-b --- cloud 10.96.1.10
#   (namespaces edgegw-bench-{onprem,gw-a,gw-b,cloud}; topology code in scripts/netns-lib.sh)
#
# Usage (as root):  bench/tunnel.sh            # about 2 minutes
#                   bench/tunnel.sh --cleanup  # remove what a hard-killed run left behind
# Env: DUR=10 (seconds per iperf3 run)  WARMUP=3 (seconds of unrecorded iperf3 before each path's runs: JIT
#      warm-up for our JVM; done the same way for every path)  EG_WORKERS (gateway workers; default: all cores)
#      EG_NS_PREFIX=edgegw-bench- (namespace names; give each concurrent user its own)
#      EG_GW_JVM_OPTS (gateway JVM heap/GC options; default in scripts/netns-lib.sh)
#      PATHS="veth ours strongswan" (a subset, e.g. PATHS=ours for quick A/B runs; missing paths report 0 / NA)
#
# Per run it records the CPU time (utime+stime from /proc/PID/stat, all threads) of each gateway / charon.
# Last line: SUMMARY tunnel ours_mbps=<a> veth_mbps=<b> strongswan_mbps=<c> ratio_vs_strongswan=<a/c> ratio_vs_veth=<a/b>
# (1 stream); the line before it has the same figures for 4 streams. Logs and iperf3 JSON stay in the printed
# directory (keys removed).
set -euo pipefail
. "$(cd "$(dirname "$0")/.." && pwd)/scripts/netns-lib.sh"

DUR=${DUR:-10}
WARMUP=${WARMUP:-3}
CHARON=/usr/lib/ipsec/charon

eg_require_root
eg_names "${EG_NS_PREFIX:-edgegw-bench-}"
PATHS=${PATHS:-veth ours strongswan}
want() { case " $PATHS " in *" $1 "*) return 0;; esac; return 1; }
VETH1=0; VETH4=0; OURS1=0; OURS4=0; SSW1=0; SSW4=0
if [ "${1:-}" = --cleanup ]; then eg_cleanup_stale; exit 0; fi
[ $# -eq 0 ] || eg_die "usage: $0 [--cleanup]"

eg_install_trap
eg_need_pkgs iproute2 iputils-ping iperf3 python3 strongswan-charon strongswan-swanctl libcharon-extra-plugins
[ -x "$CHARON" ] || eg_die "no $CHARON"
eg_java_setup
EG_KEEP_WORKDIR=1
eg_workdir edgegw-bench
T0=$SECONDS
eg_log "results and logs: $EG_WORKDIR"
eg_log "JDK: $("$EG_JAVA" -version 2>&1 | head -1); CPU: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1) x $(nproc); kernel $(uname -r)"
eg_log "load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine skews the figures)"
eg_log "strongSwan: $(dpkg-query -W -f='${Version}' strongswan-charon); iperf3: $(dpkg-query -W -f='${Version}' iperf3)"

eg_topology_up

# iperf_case PATH STREAMS SECONDS [NAME=PID ...]: one iperf3 TCP run onprem -> cloud; prints a RESULT line and
# sets MBPS. PIDs given are the processes whose CPU time is recorded over the run.
iperf_case() {
  local path=$1 streams=$2 secs=$3; shift 3
  local label=$path-P$streams json server t0 t1 i
  local names=() pids=() before=() after=()
  for i in "$@"; do names+=("${i%%=*}"); pids+=("${i#*=}"); done
  json=$EG_WORKDIR/$label.json
  ip netns exec "$EG_NS_CLOUD" timeout $((secs + 40)) iperf3 -s -1 -B "$EG_CLOUD_HOST" \
    > "$EG_WORKDIR/$label-server.log" 2>&1 &
  server=$!; EG_PIDS+=("$server")
  eg_wait_listen "$EG_NS_CLOUD" 5201
  for i in "${!pids[@]}"; do before[i]=$(eg_cpu_ticks "${pids[i]}"); done
  t0=$(date +%s.%N)
  ip netns exec "$EG_NS_ONPREM" timeout $((secs + 30)) iperf3 -c "$EG_CLOUD_HOST" -B "$EG_ONPREM_HOST" \
    -t "$secs" -P "$streams" -J > "$json" 2> "$EG_WORKDIR/$label.err" || true
  t1=$(date +%s.%N)
  for i in "${!pids[@]}"; do after[i]=$(eg_cpu_ticks "${pids[i]}"); done
  for _ in $(seq 1 30); do eg_alive "$server" || break; sleep 0.1; done
  eg_kill "$server"; eg_forget_pid "$server"
  local cpu=""
  for i in "${!pids[@]}"; do
    cpu+=$(python3 -c "import sys; t=(int(sys.argv[1])-int(sys.argv[2]))/int(sys.argv[3]); el=float(sys.argv[4])-float(sys.argv[5]); print(' %s_cpu_s=%.1f (%.0f%%)' % (sys.argv[6], t, 100*t/el))" \
      "${after[i]}" "${before[i]}" "$EG_HZ" "$t1" "$t0" "${names[i]}")
  done
  MBPS=$(python3 - "$json" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
    print("%.0f" % (d["end"]["sum_received"]["bits_per_second"] / 1e6))
except Exception:
    print("0")
PY
)
  local extra
  extra=$(python3 - "$json" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1])); e = d["end"]; c = e.get("cpu_utilization_percent", {})
    print("retr=%d iperf3_client_cpu=%.0f%% iperf3_server_cpu=%.0f%%" % (e["sum_sent"].get("retransmits", 0),
          c.get("host_total", -1), c.get("remote_total", -1)))
except Exception as ex:
    print("iperf3 failed: %s" % ex)
PY
)
  if [ "$secs" = "$WARMUP" ] && [ "$path" != "${path%-warmup}" ]; then return 0; fi
  echo "RESULT path=$path streams=$streams seconds=$secs mbps=$MBPS $extra$cpu load1=$(cut -d' ' -f1 /proc/loadavg)"
}

ping_rtt() { # ping_rtt PATH: 20 pings, 50 ms apart
  local out
  out=$(eg_in "$EG_NS_ONPREM" ping -q -c 20 -i 0.05 -W 2 "$EG_CLOUD_HOST" 2>&1) || { echo "$out" >&2; eg_die "$1: no ping onprem -> cloud"; }
  echo "PING path=$1 $(echo "$out" | sed -n 's/.*received, \([0-9.]*%\) packet loss.*/loss=\1/p') rtt_min/avg/max_ms=$(echo "$out" | sed -n 's/.*= \([0-9.]*\/[0-9.]*\/[0-9.]*\)\/.*/\1/p')"
}

run_path() { # run_path PATH [NAME=PID ...]: warm-up, then 1 and 4 streams; sets M1 and M4
  local path=$1; shift
  if [ "$WARMUP" -gt 0 ]; then iperf_case "$path-warmup" 1 "$WARMUP" "$@"; fi
  ping_rtt "$path"
  iperf_case "$path" 1 "$DUR" "$@"; M1=$MBPS
  iperf_case "$path" 4 "$DUR" "$@"; M4=$MBPS
}

# ---- (b) bare veth: plain forwarding, no IPsec ----
if want veth; then
eg_log "path veth: plain IP forwarding through gw-a and gw-b"
ip -n "$EG_NS_GWA" route add "$EG_CLOUD_NET" via "$EG_GWB_WAN"
ip -n "$EG_NS_GWB" route add "$EG_ONPREM_NET" via "$EG_GWA_WAN"
run_path veth
VETH1=$M1; VETH4=$M4
ip -n "$EG_NS_GWA" route del "$EG_CLOUD_NET" via "$EG_GWB_WAN"
ip -n "$EG_NS_GWB" route del "$EG_ONPREM_NET" via "$EG_GWA_WAN"
fi

# ---- (a) our gateways ----
if want ours; then
eg_log "path ours: GatewayMain in gw-a and gw-b"
eg_gateway_configs
eg_gateway_start "$EG_NS_GWA" "$EG_WORKDIR/gw-a.conf" "$EG_WORKDIR/gw-a.log"; PID_A=$EG_LAST_PID
eg_gateway_start "$EG_NS_GWB" "$EG_WORKDIR/gw-b.conf" "$EG_WORKDIR/gw-b.log"; PID_B=$EG_LAST_PID
grep -h ' started ' "$EG_WORKDIR/gw-a.log" "$EG_WORKDIR/gw-b.log" | sed 's/^/  /' >&2
run_path ours gw-a="$PID_A" gw-b="$PID_B"
OURS1=$M1; OURS4=$M4
eg_alive "$PID_A" && eg_alive "$PID_B" || eg_die "a gateway exited during the runs"
eg_kill "$PID_A"; eg_forget_pid "$PID_A"
eg_kill "$PID_B"; eg_forget_pid "$PID_B"
echo "GATEWAY gw-a $(grep ' stopped: ' "$EG_WORKDIR/gw-a.log" | cut -d' ' -f2-)"
echo "GATEWAY gw-b $(grep ' stopped: ' "$EG_WORKDIR/gw-b.log" | cut -d' ' -f2-)"
# the TUN (and its route) goes with the process; make sure nothing routes the other site any more
if ip -n "$EG_NS_GWA" route show "$EG_CLOUD_NET" | grep -q .; then eg_die "route to $EG_CLOUD_NET left in gw-a"; fi
fi

# ---- (c) strongSwan 5.9 kernel-libipsec ----
if want strongswan; then
eg_log "path strongswan: charon + kernel-libipsec in gw-a and gw-b"
PSK=$(eg_randhex 32)
sw_config() { # NS LOCAL REMOTE LOCAL_NET REMOTE_NET LOCAL_ID REMOTE_ID
  local d=/etc/netns/$1 sub
  mkdir -p /etc/netns
  [ -e "$d" ] && eg_die "$d exists"
  mkdir -p "$d/swanctl/conf.d"
  EG_ETC_NETNS+=("$d")
  for sub in x509 x509ca x509ocsp x509aa x509ac x509crl pubkey private rsa ecdsa bliss pkcs8 pkcs12; do
    mkdir -p "$d/swanctl/$sub"
  done
  # explicit plugin list; kdf is required on 5.9.8, x25519 comes from openssl; openssl first so that libipsec's
  # AES-GCM uses OpenSSL (AES-NI)
  cat > "$d/strongswan.conf" <<CONF
charon {
  load_modular = no
  load = random nonce openssl aesni aes sha1 sha2 hmac kdf gcm x509 pem pkcs1 pubkey revocation constraints kernel-libipsec kernel-netlink socket-default vici updown
  install_routes = yes
  filelog {
    bench {
      path = $EG_WORKDIR/$1-charon.log
      time_format = %T
      default = 1
      flush_line = yes
      append = no
    }
  }
  syslog {
    identifier = charon-$1
    daemon { default = -1 }
    auth { default = -1 }
  }
}
swanctl {
  load = pem pkcs1 x509 revocation constraints pubkey openssl random
}
CONF
  ( umask 077
    cat > "$d/swanctl/swanctl.conf" <<CONF
connections {
  bench {
    version = 2
    local_addrs = $2
    remote_addrs = $3
    proposals = aes128gcm16-prfsha256-x25519
    local { auth = psk
            id = $6 }
    remote { auth = psk
             id = $7 }
    children {
      net {
        local_ts = $4
        remote_ts = $5
        esp_proposals = aes128gcm16
        mode = tunnel
        start_action = none
      }
    }
  }
}
secrets {
  ike-bench {
    id-a = $6
    id-b = $7
    secret = 0x$PSK
  }
}
CONF
  )
}
charon_start() { # NS: own mount namespace with a private /run (else both collide on /run/charon.pid, .vici)
  ip netns exec "$1" bash -c 'mount -t tmpfs -o mode=755 tmpfs /run && exec '"$CHARON" \
    > "$EG_WORKDIR/$1-charon.stderr" 2>&1 &
  EG_LAST_PID=$!; EG_PIDS+=("$EG_LAST_PID")
  local i
  for i in $(seq 1 100); do
    nsenter -t "$EG_LAST_PID" -m test -S /run/charon.vici 2>/dev/null && return 0
    eg_alive "$EG_LAST_PID" || break
    sleep 0.1
  done
  cat "$EG_WORKDIR/$1-charon.stderr" "$EG_WORKDIR/$1-charon.log" >&2 2>/dev/null || true
  eg_die "charon in $1 did not open its vici socket"
}
sw() { # PID swanctl-args...
  local pid=$1; shift
  timeout "$EG_CMD_TIMEOUT" nsenter -t "$pid" -m -n swanctl "$@"
}
sw_config "$EG_NS_GWA" "$EG_GWA_WAN" "$EG_GWB_WAN" "$EG_ONPREM_NET" "$EG_CLOUD_NET" gw-a@edgegw.test gw-b@edgegw.test
sw_config "$EG_NS_GWB" "$EG_GWB_WAN" "$EG_GWA_WAN" "$EG_CLOUD_NET" "$EG_ONPREM_NET" gw-b@edgegw.test gw-a@edgegw.test
charon_start "$EG_NS_GWA"; CH_A=$EG_LAST_PID
charon_start "$EG_NS_GWB"; CH_B=$EG_LAST_PID
sw "$CH_A" --load-all --noprompt > "$EG_WORKDIR/swanctl-load-a.log" 2>&1 || eg_die "swanctl --load-all in gw-a"
sw "$CH_B" --load-all --noprompt > "$EG_WORKDIR/swanctl-load-b.log" 2>&1 || eg_die "swanctl --load-all in gw-b"
EG_CMD_TIMEOUT=40 sw "$CH_A" --initiate --child net --timeout 30 > "$EG_WORKDIR/swanctl-initiate.log" 2>&1 \
  || { tail -20 "$EG_WORKDIR/swanctl-initiate.log" >&2; eg_die "strongSwan tunnel did not come up"; }
sw "$CH_A" --list-sas > "$EG_WORKDIR/swanctl-sas.log" 2>&1 || true
grep -E 'ESTABLISHED|INSTALLED|in  |out ' "$EG_WORKDIR/swanctl-sas.log" | sed 's/^/  /' >&2 || true
run_path strongswan charon-a="$CH_A" charon-b="$CH_B"
SSW1=$M1; SSW4=$M4
eg_kill "$CH_A"; eg_forget_pid "$CH_A"
eg_kill "$CH_B"; eg_forget_pid "$CH_B"
fi

eg_log "wall time $((SECONDS - T0)) s (after the build check)"
summary() { # LABEL OURS VETH SSW
  python3 - "$@" <<'PY'
import sys
label, a, b, c = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
r = lambda x, y: "%.2f" % (x / y) if y > 0 else "NA"
print("SUMMARY %s ours_mbps=%.0f veth_mbps=%.0f strongswan_mbps=%.0f ratio_vs_strongswan=%s ratio_vs_veth=%s"
      % (label, a, b, c, r(a, c), r(a, b)))
PY
}
summary tunnel-P4 "$OURS4" "$VETH4" "$SSW4"
summary tunnel "$OURS1" "$VETH1" "$SSW1"
