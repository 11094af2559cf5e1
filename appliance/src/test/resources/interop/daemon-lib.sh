# daemon-lib.sh - sourced by daemon-strongswan.sh, daemon-ops.sh and panel-e2e.sh: the four-namespace topology of
# netns-lib.sh with strongSwan (strongswan-peer.sh, answering only) in gw-b, the appliance daemon (Main) started and
# stopped by PID in gw-a, its provisioning file, waiting for its tunnel, a ping through it, a login to its REST API:
#
#   ${P}onprem          ${P}gw-a (the daemon)                  ${P}gw-b (strongSwan)     ${P}cloud
#   10.244.1.10 eth -- lan 10.244.1.1  wan 192.0.2.1 == wan 192.0.2.2  lan 10.96.1.1 -- eth 10.96.1.10
#
# Needs HERE (this directory), netns-lib.sh sourced, and PSK set by the caller; dp_up sets the rest.

IKE=aes128gcm16-prfsha256-x25519
ESP=aes128gcm16
ID_A=gw-a.example.test
ID_B=gw-b.example.test
CHARON=/usr/lib/ipsec/charon

# dp_up PREFIX OUT REMOTE_TS [PKG...]: root check, namespaces PREFIX* (EG_NS_PREFIX instead when set: the JUnit
# tests give each run its own), a work directory whose logs are copied to OUT on exit (cleanup by PID also on
# failure), strongSwan running in gw-b with the connection gw-a { net } whose remote (our) traffic selectors are
# REMOTE_TS; PKG... are extra Debian packages the caller needs.
dp_up() {
  local prefix=${EG_NS_PREFIX:-$1} ts=$3
  OUT=$2
  shift 3
  eg_require_root
  eg_names "$prefix"
  eg_install_trap
  eg_need_pkgs strongswan-charon strongswan-swanctl libcharon-extra-plugins iputils-ping "$@"
  eg_java_setup
  eg_workdir "${prefix%-}"
  mkdir -p "$OUT"
  DATA=$EG_WORKDIR/data
  trap 'rc=$?; trap - EXIT INT TERM; dp_copy_logs; eg_cleanup; exit $rc' EXIT
  # shellcheck source=strongswan-peer.sh
  . "$HERE/strongswan-peer.sh"
  eg_topology_up
  # gw-b: strongSwan, configs from /etc/netns/${prefix}gw-b (bind-mounted over /etc by ip netns exec)
  NS=$EG_NS_GWB LOCAL=$EG_GWB_WAN REMOTE=$EG_GWA_WAN LID=$ID_B RID=$ID_A LTS=$EG_CLOUD_NET RTS=$ts
  LOG=$EG_WORKDIR/charon.log
  sw_etc
  sw_start
}

dp_copy_logs() { cp -f "$EG_WORKDIR"/*.log "$EG_WORKDIR"/*.json "$OUT"/ 2>/dev/null || true; }

# daemon_start LOG_NAME [ARGS...]: starts the daemon in gw-a on $DATA (panel on a free port of gw-a's loopback);
# sets DAEMON_PID
daemon_start() {
  local log=$EG_WORKDIR/$1; shift
  ip netns exec "$EG_NS_GWA" "$EG_JAVA" --enable-native-access=ALL-UNNAMED -Xms64m -Xmx256m -XX:TieredStopAtLevel=1 \
    -cp "$EG_CP" net.edgegw.appliance.lifecycle.Main --data-dir "$DATA" --mgmt-port 0 "$@" > "$log" 2>&1 &
  DAEMON_PID=$!
  EG_PIDS+=("$DAEMON_PID")
}

# daemon_port LOG_NAME: waits for the daemon's ready line and prints the panel's port; 150 s, as DaemonProcessTest
# allows (a few seconds on a quiet machine: JVM, H2, the panel's TLS key, Argon2id)
daemon_port() {
  local log=$EG_WORKDIR/$1 port deadline=$((SECONDS + 150))
  until grep -q "edgegw ready" "$log" 2>/dev/null; do
    eg_alive "$DAEMON_PID" || { cat "$log" >&2; eg_die "the daemon exited"; }
    [ "$SECONDS" -lt "$deadline" ] || { cat "$log" >&2; eg_die "the daemon was not ready in 150 s"; }
    sleep 0.1
  done
  port=$(grep -m1 -o 'edgegw ready: .*https://127.0.0.1:[0-9]*' "$log" | sed 's/.*://')
  [ -n "$port" ] || { cat "$log" >&2; eg_die "no ready line with the panel's port"; }
  echo "$port"
}

# daemon_stop LOG_NAME: SIGTERM by PID, must exit 0 within 60 s (~1 s on a quiet machine)
daemon_stop() {
  local rc deadline=$((SECONDS + 60))
  kill -TERM "$DAEMON_PID"
  while eg_alive "$DAEMON_PID" && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.1; done
  eg_alive "$DAEMON_PID" && { cat "$EG_WORKDIR/$1" >&2; eg_die "the daemon did not stop on SIGTERM"; }
  rc=0; wait "$DAEMON_PID" || rc=$?
  eg_forget_pid "$DAEMON_PID"
  [ "$rc" = 0 ] || { cat "$EG_WORKDIR/$1" >&2; eg_die "the daemon exited with $rc after SIGTERM"; }
}

write_yaml() { # FILE START_ACTION ENFORCE
  cat > "$1" <<EOF
version: 1
clusters:
  - {name: onprem, podCidrs: [$EG_ONPREM_NET]}
  - {name: cloud, podCidrs: [$EG_CLOUD_NET]}
peers:
  - name: gw-b
    address: $EG_GWB_WAN
    localId: $ID_A
    remoteId: $ID_B
    auth: {method: psk, psk: "$PSK"}
    ikeProposals: [$IKE]
connections:
  - name: net
    peer: gw-b
    localClusters: [onprem]
    remoteClusters: [cloud]
    proposals: [$ESP]
    startAction: $2
    enforce: $3
settings:
  dataPlane: {backend: tun, workers: 1}
EOF
}
wait_up() { # LOG_NAME: the daemon's tunnel up and strongSwan's CHILD SA installed (120 s)
  local log=$EG_WORKDIR/$1 deadline=$((SECONDS + 120))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if grep -q "connection net UP" "$log" 2>/dev/null && sw --list-sas 2>/dev/null | grep -q INSTALLED; then return 0; fi
    eg_alive "$DAEMON_PID" || { cat "$log" >&2; eg_die "the daemon exited"; }
    sleep 0.1
  done
  cat "$log" >&2; sw --list-sas >&2 || true; eg_die "tunnel did not come up ($1)"
}
ping_through() {
  eg_in "$EG_NS_ONPREM" ping -c 3 -i 0.2 -W 2 "$EG_CLOUD_HOST" >&2 || { cat "$EG_WORKDIR"/daemon*.log >&2; eg_die "ping failed $1"; }
}
api_login() { # LOG_NAME: logs in as admin (cookie jar); API (base URL) and CSRF (token)
  API=https://127.0.0.1:$(daemon_port "$1")/api/v1
  CSRF=$(eg_in "$EG_NS_GWA" curl -sk --max-time 30 -c "$EG_WORKDIR/cookies" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"daemon-test-admin-password"}' "$API/session" | jq -r .csrfToken)
}
