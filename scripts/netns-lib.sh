# shellcheck shell=bash
# netns-lib.sh - shared shell code of demo/two-site.sh and bench/tunnel.sh (sourced, not run).
#
# The two-site topology, four network namespaces joined by three veth pairs that never appear in the host
# namespace (every address below exists only inside these namespaces):
#
#   ${P}onprem          ${P}gw-a                          ${P}gw-b           ${P}cloud
#   10.244.1.10/24 eth -- lan 10.244.1.1  wan 192.0.2.1 == wan 192.0.2.2  lan 10.96.1.1 -- eth 10.96.1.10/24
#   (eth/lan/wan are the interfaces edgegw-demo-eth, edgegw-demo-lan, edgegw-demo-wan)
#
# Everything created is registered (PIDs, namespaces, /etc/netns dirs) and removed by eg_cleanup, which the
# scripts run from an EXIT/INT/TERM trap (eg_install_trap). Processes are killed by PID, never by name.

EG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

EG_ONPREM_HOST=10.244.1.10
EG_CLOUD_HOST=10.96.1.10
EG_ONPREM_NET=10.244.1.0/24
EG_CLOUD_NET=10.96.1.0/24
EG_GWA_LAN=10.244.1.1
EG_GWB_LAN=10.96.1.1
EG_GWA_WAN=192.0.2.1
EG_GWB_WAN=192.0.2.2
EG_IF_ETH=edgegw-demo-eth   # the hosts' interface (onprem, cloud); 15 characters, the most Linux allows
EG_IF_LAN=edgegw-demo-lan   # the gateways' LAN side
EG_IF_WAN=edgegw-demo-wan   # the gateways' WAN side (the link between gw-a and gw-b)
EG_SPI_AB=0x0a0b0001        # ESP SA gw-a -> gw-b
EG_SPI_BA=0x0b0a0001        # ESP SA gw-b -> gw-a
EG_CMD_TIMEOUT=${EG_CMD_TIMEOUT:-20}   # seconds, for every short command
EG_GW_JVM_DEFAULT="-Xms64m -Xmx256m"   # gateway JVM heap/GC options (EG_GW_JVM_OPTS overrides)

EG_PIDS=()        # background processes we started, killed in reverse order by eg_cleanup
EG_NAMESPACES=()  # namespaces we created
EG_ETC_NETNS=()   # /etc/netns/<ns> directories we created (strongSwan configs)
EG_WORKDIR=""     # temporary directory (configs with keys, logs); removed unless EG_KEEP_WORKDIR=1
EG_KEEP_WORKDIR=${EG_KEEP_WORKDIR:-0}
EG_CLEANED=0

eg_log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
eg_die() { eg_log "ERROR: $*"; exit 1; }

# eg_names PREFIX: the four namespace names
eg_names() {
  EG_NS_ONPREM=${1}onprem
  EG_NS_GWA=${1}gw-a
  EG_NS_GWB=${1}gw-b
  EG_NS_CLOUD=${1}cloud
  EG_ALL_NS=("$EG_NS_ONPREM" "$EG_NS_GWA" "$EG_NS_GWB" "$EG_NS_CLOUD")
}

eg_require_root() {
  [ "$(id -u)" -eq 0 ] || eg_die "run as root (it creates network namespaces and TUN devices)"
}

# eg_need_pkgs PKG...: installs the Debian packages that are missing (root, apt-get), bounded in time
eg_need_pkgs() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || eg_die "missing packages: ${missing[*]} (and no apt-get)"
  eg_log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get -o Acquire::Retries=3 update -q >&2 || eg_die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get -o Acquire::Retries=3 install -y -q --no-install-recommends \
    "${missing[@]}" >&2 \
    || eg_die "apt-get install ${missing[*]} failed"
  # Debian's strongswan package may start a host-wide charon: we only want our own, inside namespaces.
  if command -v systemctl >/dev/null 2>&1; then systemctl disable --now strongswan-starter >/dev/null 2>&1 || true; fi
}

# eg_java_setup: EG_JAVA and EG_CP. EDGEGW_JAVA / EDGEGW_CLASSPATH override (the JUnit smoke test passes its
# own JVM and test classpath, so that no nested Maven build runs); otherwise the appliance's shaded jar, which
# holds the dataplane classes, built first when it is missing or older than the sources.
eg_java_setup() {
  # shellcheck source=jdk.sh
  . "$EG_ROOT/scripts/jdk.sh"
  EG_JAVA=${EDGEGW_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
  if [ -n "${EDGEGW_CLASSPATH:-}" ]; then
    EG_CP=$EDGEGW_CLASSPATH
    return 0
  fi
  local jar=$EG_ROOT/appliance/target/edgegw-appliance.jar
  if [ ! -f "$jar" ] || [ -n "$(cd "$EG_ROOT" && find pom.xml ./*/pom.xml ./*/src/main -newer "$jar" -type f 2>/dev/null | head -1)" ]; then
    eg_log "building the project (mvn package, tests skipped) - first time only, takes a minute"
    (cd "$EG_ROOT" && timeout 900 mvn -q -B -ntp package -DskipTests) >&2 || eg_die "build failed"
  fi
  [ -f "$jar" ] || eg_die "no $jar after the build"
  EG_CP=$jar
}

eg_workdir() { # eg_workdir NAME
  EG_WORKDIR=$(mktemp -d "/tmp/$1.XXXXXX")
  chmod 700 "$EG_WORKDIR"
}

eg_in() { # eg_in NS CMD...: run CMD in NS, bounded
  local ns=$1; shift
  timeout "$EG_CMD_TIMEOUT" ip netns exec "$ns" "$@"
}

eg_ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qxF "$1"; }

# eg_topology_up: namespaces, veth pairs, addresses, host default routes; the gateways forward (ip_forward=1)
# but get no route to the other site: that is added by whoever carries the traffic (our TUN, a plain route,
# strongSwan's ipsec0).
eg_topology_up() {
  local ns
  for ns in "${EG_ALL_NS[@]}"; do
    if eg_ns_exists "$ns"; then
      eg_die "namespace $ns already exists (an earlier run killed hard?); remove it with: $0 --cleanup"
    fi
  done
  for ns in "${EG_ALL_NS[@]}"; do
    ip netns add "$ns" || eg_die "ip netns add $ns"
    EG_NAMESPACES+=("$ns")
    eg_in "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
      net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
    ip -n "$ns" link set lo up
  done
  # veth pairs created inside the namespaces: no interface ever appears in the host namespace
  ip -n "$EG_NS_ONPREM" link add "$EG_IF_ETH" type veth peer name "$EG_IF_LAN" netns "$EG_NS_GWA"
  ip -n "$EG_NS_GWA" link add "$EG_IF_WAN" type veth peer name "$EG_IF_WAN" netns "$EG_NS_GWB"
  ip -n "$EG_NS_CLOUD" link add "$EG_IF_ETH" type veth peer name "$EG_IF_LAN" netns "$EG_NS_GWB"
  eg_host "$EG_NS_ONPREM" "$EG_ONPREM_HOST/24" "$EG_GWA_LAN"
  eg_host "$EG_NS_CLOUD" "$EG_CLOUD_HOST/24" "$EG_GWB_LAN"
  eg_router "$EG_NS_GWA" "$EG_GWA_LAN/24" "$EG_GWA_WAN/24"
  eg_router "$EG_NS_GWB" "$EG_GWB_LAN/24" "$EG_GWB_WAN/24"
}

eg_host() { # NS CIDR GATEWAY
  ip -n "$1" addr add "$2" dev "$EG_IF_ETH"
  ip -n "$1" link set "$EG_IF_ETH" up
  ip -n "$1" route add default via "$3"
}

eg_router() { # NS LAN_CIDR WAN_CIDR
  eg_in "$1" sysctl -qw net.ipv4.ip_forward=1
  ip -n "$1" addr add "$2" dev "$EG_IF_LAN"
  ip -n "$1" link set "$EG_IF_LAN" up
  ip -n "$1" addr add "$3" dev "$EG_IF_WAN"
  ip -n "$1" link set "$EG_IF_WAN" up
}

eg_randhex() { # eg_randhex BYTES: hex from /dev/urandom
  od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

# eg_gateway_configs: fresh AES-128-GCM keys (16-byte key + 4-byte salt, RFC 4106) per direction, and both
# gateway configs (format: GatewayConfig javadoc) in $EG_WORKDIR/gw-a.conf, gw-b.conf
eg_gateway_configs() {
  EG_KEY_AB=$(eg_randhex 20)
  EG_KEY_BA=$(eg_randhex 20)
  [ ${#EG_KEY_AB} -eq 40 ] && [ ${#EG_KEY_BA} -eq 40 ] || eg_die "could not read keys from /dev/urandom"
  eg_gateway_config gw-a 10.255.0.1 "$EG_GWA_WAN" "$EG_GWB_WAN" "$EG_ONPREM_NET" "$EG_CLOUD_NET" \
    "$EG_SPI_AB" "$EG_KEY_AB" "$EG_SPI_BA" "$EG_KEY_BA"
  eg_gateway_config gw-b 10.255.0.2 "$EG_GWB_WAN" "$EG_GWA_WAN" "$EG_CLOUD_NET" "$EG_ONPREM_NET" \
    "$EG_SPI_BA" "$EG_KEY_BA" "$EG_SPI_AB" "$EG_KEY_AB"
}

eg_gateway_config() { # NAME TUN_ADDR LOCAL PEER LOCAL_NET REMOTE_NET OUT_SPI OUT_KEY IN_SPI IN_KEY
  local sel="local=$5 remote=$6" f=$EG_WORKDIR/$1.conf
  ( umask 077
    cat > "$f" <<CFG
# $1: written by $(basename "$0") on $(date -Is)
tun.name = edgegw0
tun.address = $2/32
link.mtu = 1500
local = $3
port = 4500
ike.port = 0
${EG_WORKERS:+workers = $EG_WORKERS}
status.interval = ${EG_STATUS_INTERVAL:-5}
route = $6
sa = out spi=$7 suite=aes128gcm16 enc=$8 src=$3 dst=$4 encap=4500:4500 $sel
sa = in spi=$9 suite=aes128gcm16 enc=${10} src=$4 dst=$3 encap=4500:4500 $sel
policy = to-peer $sel action=protect sa=$7
CFG
  )
}

# eg_gateway_start NS CONFIG LOG: starts GatewayMain in NS, waits (60 s: ~1 s when the machine is quiet) for its
# "started" line; EG_LAST_PID = its PID
eg_gateway_start() {
  local ns=$1 cfg=$2 log=$3 pid deadline=$((SECONDS + 60))
  # ip netns exec execs java, so $! is the JVM's PID
  # shellcheck disable=SC2086 # EG_GW_JVM_OPTS is a list of options
  ip netns exec "$ns" "$EG_JAVA" --enable-native-access=ALL-UNNAMED ${EG_GW_JVM_OPTS:-$EG_GW_JVM_DEFAULT} -cp "$EG_CP" \
    net.edgegw.dataplane.gateway.GatewayMain "$cfg" > "$log" 2>&1 &
  pid=$!
  EG_PIDS+=("$pid")
  while [ "$SECONDS" -lt "$deadline" ]; do
    if grep -q " started " "$log" 2>/dev/null; then EG_LAST_PID=$pid; return 0; fi
    eg_alive "$pid" || { cat "$log" >&2; eg_die "gateway in $ns exited before it started"; }
    sleep 0.1
  done
  cat "$log" >&2
  eg_die "gateway in $ns did not start within 60 s"
}

eg_alive() { # PID: running and not a zombie
  local st
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}

# eg_cpu_ticks PID: utime+stime of all its threads, in clock ticks (0 when gone)
eg_cpu_ticks() {
  local f
  f=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  # after "pid (comm) ": field 1 is state, utime and stime are fields 12 and 13
  echo "$f" | awk '{print $12 + $13}'
}
EG_HZ=$(getconf CLK_TCK)

# eg_kill PID: SIGTERM, up to 5 s, then SIGKILL; reaps it when it is our child
eg_kill() {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  for i in $(seq 1 50); do eg_alive "$pid" || break; sleep 0.1; done
  if eg_alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true  # its exit status (143 after SIGTERM) must not trip set -e
  return 0
}

eg_forget_pid() { # remove a PID from EG_PIDS (after eg_kill)
  local keep=() p
  for p in "${EG_PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  EG_PIDS=("${keep[@]}")
}

# eg_wait_listen NS PORT: until a TCP listener on PORT exists in NS (30 s)
eg_wait_listen() {
  local deadline=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$deadline" ]; do
    [ -n "$(ip netns exec "$1" ss -Hltn "sport = :$2" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  eg_die "nothing listens on port $2 in $1"
}

# eg_wait_grep FILE PATTERN COUNT SECONDS: until FILE has COUNT or more lines matching PATTERN; false after SECONDS
# (waits on a wall clock, not on a number of tries: a loaded machine makes each try slower)
eg_wait_grep() {
  local deadline=$((SECONDS + $4)) n
  while :; do
    n=$(grep -c -- "$2" "$1" 2>/dev/null) || true
    [ "${n:-0}" -ge "$3" ] && return 0
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.1
  done
}

# eg_kill_ns_pids NS: any process still in one of our namespaces was started by us (iperf3, tcpdump)
eg_kill_ns_pids() {
  local p
  for p in $(ip netns pids "$1" 2>/dev/null); do kill -TERM "$p" 2>/dev/null; done
  sleep 0.3
  for p in $(ip netns pids "$1" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
}

eg_cleanup() {
  [ "$EG_CLEANED" = 1 ] && return 0
  EG_CLEANED=1
  set +e
  local i ns d
  for ((i = ${#EG_PIDS[@]} - 1; i >= 0; i--)); do eg_kill "${EG_PIDS[i]}"; done
  for ns in "${EG_NAMESPACES[@]}"; do
    eg_kill_ns_pids "$ns"
    ip netns del "$ns" 2>/dev/null || eg_log "could not delete namespace $ns"
  done
  for d in "${EG_ETC_NETNS[@]}"; do rm -rf "$d"; done
  [ ${#EG_ETC_NETNS[@]} -gt 0 ] && rmdir /etc/netns 2>/dev/null
  if [ -n "$EG_WORKDIR" ] && [ -d "$EG_WORKDIR" ]; then
    if [ "$EG_KEEP_WORKDIR" = 1 ]; then
      rm -f "$EG_WORKDIR"/*.conf "$EG_WORKDIR"/*.pcap  # keys
      eg_log "logs kept in $EG_WORKDIR"
    else
      rm -rf "$EG_WORKDIR"
    fi
  fi
  eg_log "cleaned up (processes, namespaces ${EG_NAMESPACES[*]:-none})"
  return 0
}

# eg_cleanup_stale: for --cleanup after a hard kill; removes only the four namespaces of the current prefix
# (and the processes inside them) and their /etc/netns directories
eg_cleanup_stale() {
  local ns
  for ns in "${EG_ALL_NS[@]}"; do
    if eg_ns_exists "$ns"; then
      eg_kill_ns_pids "$ns"
      ip netns del "$ns" && eg_log "deleted namespace $ns"
    fi
    rm -rf "/etc/netns/$ns"
  done
  rmdir /etc/netns 2>/dev/null || true
}

eg_install_trap() {
  trap 'rc=$?; trap - EXIT INT TERM; eg_cleanup; exit $rc' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
