# The credential broker of the testbed (`testbed.sh broker MODE`), a stand-in for kube2iam. Sourced.
# One host component, `credential-broker` (testbed/standins/credential-broker.mjs), always running;
# the mode decides whether pods reach it and how it maps roles:
#
#   off              no DNAT rule: pods talk to the metadata service directly (`up` starts here)
#   on               pod-bridge traffic to 169.254.169.254:80 is DNATed to the broker; namespace
#                    restrictions on, allow-list patterns anchored, no default role (the SAFE broker)
#   no-restrictions  like on, but the namespace allow-list is ignored
#   default-role     like on, but unannotated pods get the role kassay-default-role
#   unanchored       like on, but allow-list patterns match anywhere (`app` lets `app-admin` through)
#   reset            back to off
#
# It composes with `testbed imds MODE`: the broker answers the credential paths itself and proxies
# everything else (token PUTs included) to imds-front from the host network, so the imds mode
# still decides what those proxied requests get, and host-network pods (which bypass the DNAT) see
# the imds mode alone. As with kube2iam, a hop limit of 1 no longer keeps tokens from pods once the
# broker proxies their PUTs. `imds blocked` drops pod traffic in the raw table, before the DNAT,
# so pods then reach neither.

BROKER_MODES=(off on no-restrictions default-role unanchored)
BROKER_SAFE_MODE=off
BROKER_MODE_FILE=$TB/etc/broker.mode
# kube2iam's default agent port, on the node's address.
BROKER_ADDR=$NODE_IP:8181
BROKER_DNAT_COMMENT="kube-assay testbed: credential broker"
HOST_COMPONENTS+=(credential-broker)
COMPONENT_PORTS[credential-broker]=$BROKER_ADDR

broker_mode() { cat "$BROKER_MODE_FILE" 2>/dev/null || echo "$BROKER_SAFE_MODE"; }

broker_is_mode() { local m; for m in "${BROKER_MODES[@]}"; do [ "$m" = "$1" ] && return 0; done; return 1; }

write_broker_args() {
  printf '%s\n' "$(command -v node)" "$TESTBED_DIR/standins/credential-broker.mjs" --listen "$BROKER_ADDR" \
    --upstream "$IMDS_IP:80" --mode-file "$BROKER_MODE_FILE" --kubeconfig "$TB/kubeconfigs/admin.conf" >"$TB/etc/credential-broker.args"
}

# kube2iam's own rule: nat PREROUTING, only traffic entering from the pod bridge (host-network
# pods bypass it, as they bypass kube2iam).
broker_dnat_rule() {
  echo "PREROUTING -i $BRIDGE -p tcp -d $IMDS_IP/32 --dport 80 -m comment --comment \"$BROKER_DNAT_COMMENT\" -j DNAT --to-destination $BROKER_ADDR"
}

broker_set_dnat() {
  local want=$1 rule; rule=$(broker_dnat_rule)
  if [ "$want" = on ]; then
    eval "iptables -t nat -C $rule" 2>/dev/null || eval "iptables -t nat -I $rule" ||
      die credential-broker "could not add the iptables rule that sends pods' metadata requests to the broker"
  else
    while eval "iptables -t nat -C $rule" 2>/dev/null; do eval "iptables -t nat -D $rule"; done
  fi
  # Connections tracked before the switch would keep their old destination.
  if command -v conntrack >/dev/null 2>&1; then conntrack -D -p tcp -d "$IMDS_IP" --dport 80 >/dev/null 2>&1 || true; fi
}

# broker_prepare MODE: files and the DNAT rule of MODE, without starting anything (used by `up`).
broker_prepare() {
  local mode=$1
  mkdir -p "$TB/etc"
  echo "$mode" >"$BROKER_MODE_FILE"
  write_broker_args
  if [ "$mode" = off ]; then broker_set_dnat off; else broker_set_dnat on; fi
}

# cmd_broker MODE|reset|status: switches the broker's mode (read by the broker on every request).
cmd_broker() {
  local mode=${1:-status}
  if [ "$mode" = status ]; then broker_mode; return 0; fi
  [ "$mode" = reset ] && mode=$BROKER_SAFE_MODE
  broker_is_mode "$mode" || { echo "testbed: unknown broker mode '$1' (modes: ${BROKER_MODES[*]} reset status)" >&2; exit 2; }
  require_root
  broker_prepare "$mode"
  component_running credential-broker || start_host_component credential-broker 30
  log "broker mode $mode"
}

broker_healthy() { curl -sf --max-time 2 -o /dev/null "http://$BROKER_ADDR/healthz"; }
