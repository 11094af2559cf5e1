# strongswan-peer.sh - sourced by ike-strongswan.sh and daemon-strongswan.sh: fills the templates under strongswan/
# and runs gw-b's charon (kernel-libipsec) with its own /etc (via /etc/netns/$NS) and a private /run.
# Needs netns-lib.sh sourced, HERE, CHARON, and the template variables (NS LOCAL REMOTE LID RID LTS RTS IKE ESP PSK;
# the rest have defaults below).

subst() { # template out: fills @KEYS@
  sed -e "s|@NS@|$NS|g" -e "s|@LOCAL@|$LOCAL|g" -e "s|@REMOTE@|$REMOTE|g" -e "s|@LOCAL_ID@|$LID|g" \
      -e "s|@REMOTE_ID@|$RID|g" -e "s|@PSK@|$PSK|g" -e "s|@IKE@|$IKE|g" -e "s|@ESP@|$ESP|g" \
      -e "s|@LOCAL_TS@|$LTS|g" -e "s|@REMOTE_TS@|$RTS|g" -e "s|@START@|${START:-}|g" -e "s|@IKE_REKEY@|${IKE_REKEY:-0}|g" -e "s|@CHILD_REKEY@|${CHILD_REKEY:-0}|g" -e "s|@DPD@|${DPD:-0}|g" -e "s|@SW_FRAG@|${SW_FRAG:-1280}|g" -e "s|@OUR_FRAG@|${OUR_FRAG:-1228}|g" -e "s|@LOG@|${LOG:-}|g" -e "s|@SW_AUTH@|${SW_AUTH:-psk}|g" -e "s|@SW_CERTS@|${SW_CERTS:-}|g" -e "s|@KEEPALIVE@|${KEEPALIVE:-20}|g" -e "s|@RETRANSMIT@|${RETRANSMIT:-4.0}|g" "$1" > "$2"
  ! grep -n '@[A-Z_]*@' "$2" >&2 || eg_die "unfilled placeholder in $2 (a template gained a key subst does not fill)"
}

sw_etc() { # makes /etc/netns/$NS with swanctl's directories; sets d
  d=/etc/netns/$NS
  mkdir -p "$d/swanctl"
  EG_ETC_NETNS+=("$d")
  for sub in x509 x509ca x509ocsp x509aa x509ac x509crl pubkey private rsa ecdsa bliss pkcs8 pkcs12; do mkdir -p "$d/swanctl/$sub"; done
}

sw() { timeout "$EG_CMD_TIMEOUT" nsenter -t "$CHARON_PID" -m -n swanctl "$@"; }

sw_start() { # writes the configs into $d, starts charon in $NS (sets CHARON_PID) and loads everything
  subst "$HERE/strongswan/strongswan.conf.in" "$d/strongswan.conf"
  subst "$HERE/strongswan/swanctl.conf.in" "$d/swanctl/swanctl.conf"
  # a private /run: charon.pid and charon.vici of their own; exec chain, so $! is charon
  ip netns exec "$NS" bash -c 'mount -t tmpfs -o mode=755 tmpfs /run && exec '"$CHARON" > "$EG_WORKDIR/charon.stderr.log" 2>&1 &
  CHARON_PID=$!
  EG_PIDS+=("$CHARON_PID")
  # charon's start: well under 1 s on a quiet machine; 60 s
  local deadline=$((SECONDS + 60))
  until nsenter -t "$CHARON_PID" -m test -S /run/charon.vici 2>/dev/null; do
    eg_alive "$CHARON_PID" || { cat "$EG_WORKDIR/charon.stderr.log" >&2; eg_die "charon exited"; }
    [ "$SECONDS" -lt "$deadline" ] || eg_die "charon's vici socket did not appear in 60 s"
    sleep 0.2
  done
  sw --load-all --noprompt >&2
}
