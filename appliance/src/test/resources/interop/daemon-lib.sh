# daemon-lib.sh - sourced by daemon-strongswan.sh and daemon-ops.sh: the daemon's provisioning file, the daemon
# started in gw-a (by PID), waiting for its tunnel, a ping through it, and a login to its REST API.
# Needs netns-lib.sh and strongswan-peer.sh sourced, and EG_WORKDIR, DATA, PSK, IKE, ESP, ID_A, ID_B set.

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
daemon_start() { # LOG_NAME [ARGS...]: starts the daemon in gw-a; DAEMON_PID
  local log=$EG_WORKDIR/$1; shift
  ip netns exec "$EG_NS_GWA" "$EG_JAVA" --enable-native-access=ALL-UNNAMED -Xms64m -Xmx256m -XX:TieredStopAtLevel=1 \
    -cp "$EG_CP" net.edgegw.appliance.lifecycle.Main --data-dir "$DATA" --mgmt-port 0 "$@" > "$log" 2>&1 &
  DAEMON_PID=$!
  EG_PIDS+=("$DAEMON_PID")
}
wait_up() { # LOG_NAME
  local log=$EG_WORKDIR/$1 i
  for i in $(seq 1 900); do
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
  local log=$EG_WORKDIR/$1 port i
  for i in $(seq 1 300); do grep -q "edgegw ready" "$log" && break; sleep 0.1; done
  port=$(grep -m1 -o 'edgegw ready: .*https://127.0.0.1:[0-9]*' "$log" | sed 's/.*://')
  [ -n "$port" ] || { cat "$log" >&2; eg_die "no ready line with the panel's port"; }
  API=https://127.0.0.1:$port/api/v1
  CSRF=$(eg_in "$EG_NS_GWA" curl -sk --max-time 10 -c "$EG_WORKDIR/cookies" -H 'Content-Type: application/json' \
    -d '{"username":"admin","password":"daemon-test-admin-password"}' "$API/session" | jq -r .csrfToken)
}
