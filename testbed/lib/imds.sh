# The cloud metadata service of the testbed and its modes (`testbed.sh imds MODE`). Sourced.
# Two host components: `imds` is upstream's amazon-ec2-metadata-mock on a loopback port, and
# `imds-front` (testbed/standins/imds-front.mjs) answers at 169.254.169.254:80 in front of it,
# serialising token PUTs (the mock crashes on concurrent ones) and emulating the hop limit.
#
#   open             IMDSv1 and v2 answer every pod (the EKS default: v1+v2, hop limit 2)
#   tokens-required  the mock with -I: v1 requests get 401, v2 answers every pod
#   hop-limit        tokens required and a PUT response hop limit of 1: pod-network peers never
#                    get a token reply, host-network peers do (AWS's recommended setting; SAFE)
#   blocked          v1 and v2 answer, but iptables drops pod-network traffic to 169.254.169.254
#   reset            back to the safe mode (`up` starts in it)

IMDS_MODES=(open tokens-required hop-limit blocked)
IMDS_SAFE_MODE=hop-limit
IMDS_MODE_FILE=$TB/etc/imds.mode
# The role the mock hands out, and credentials that are obviously fake but shaped like real ones
# (an ASIA access key id), so masking is tested on the real shape.
IMDS_NODE_ROLE=kassay-node-role
IMDS_BLOCK_COMMENT="kube-assay testbed: imds blocked"

imds_mode() { cat "$IMDS_MODE_FILE" 2>/dev/null || echo "$IMDS_SAFE_MODE"; }

imds_is_mode() { local m; for m in "${IMDS_MODES[@]}"; do [ "$m" = "$1" ] && return 0; done; return 1; }

write_imds_mock_config() {
  write_if_missing "$TB/etc/imds-mock.json" <<EOF
{
  "metadata": {
    "paths": { "iam-security-credentials": "/latest/meta-data/iam/security-credentials/$IMDS_NODE_ROLE" },
    "values": {
      "iam-security-credentials-role": "$IMDS_NODE_ROLE",
      "iam-security-credentials": {
        "Code": "Success", "LastUpdated": "2026-01-01T00:00:00Z", "Type": "AWS-HMAC",
        "AccessKeyId": "ASIAKASSAYTESTBEDXYZ",
        "SecretAccessKey": "kassay/testbed/fake-secret-access-key",
        "Token": "kassay-testbed-fake-session-token",
        "Expiration": "2099-01-01T00:00:00Z"
      }
    }
  }
}
EOF
}

# The mock's and the front's command lines for MODE; the mock's depends on the mode (-I), so it is
# always rewritten here, never left to an older file.
write_imds_args() {
  local mode=$1 mock_bin; mock_bin=$(tb_bin ec2-metadata-mock)
  local -a mock=("$mock_bin" --hostname "${IMDS_MOCK_ADDR%:*}" --port "${IMDS_MOCK_ADDR##*:}" -c "$TB/etc/imds-mock.json")
  case $mode in tokens-required|hop-limit) mock+=(-I) ;; esac
  write_imds_mock_config
  printf '%s\n' "${mock[@]}" >"$TB/etc/imds.args.new"
  mv "$TB/etc/imds.args.new" "$TB/etc/imds.args"
  printf '%s\n' "$(command -v node)" "$TESTBED_DIR/standins/imds-front.mjs" --listen "$IMDS_IP:80" \
    --upstream "$IMDS_MOCK_ADDR" --mode-file "$IMDS_MODE_FILE" --pod-cidr "$POD_CIDR" >"$TB/etc/imds-front.args"
}

# The drop sits in raw PREROUTING, before kube-proxy's and kube-router's chains, which manage
# their own chains in the filter table and would reorder rules there.
imds_block_rule() { echo "PREROUTING -i $BRIDGE -d $IMDS_IP/32 -m comment --comment \"$IMDS_BLOCK_COMMENT\" -j DROP"; }

imds_set_block() {
  local want=$1 rule; rule=$(imds_block_rule)
  if [ "$want" = on ]; then
    eval "iptables -t raw -C $rule" 2>/dev/null || eval "iptables -t raw -I $rule" ||
      die imds "could not add the iptables rule that blocks pods from $IMDS_IP"
  else
    while eval "iptables -t raw -C $rule" 2>/dev/null; do eval "iptables -t raw -D $rule"; done
  fi
}

# imds_prepare MODE: files and rules of MODE, without starting anything (used by `up`).
imds_prepare() {
  local mode=$1
  mkdir -p "$TB/etc"
  echo "$mode" >"$IMDS_MODE_FILE"
  write_imds_args "$mode"
  if [ "$mode" = blocked ]; then imds_set_block on; else imds_set_block off; fi
}

# cmd_imds MODE|reset|status: switches the metadata service's mode and waits until it answers.
cmd_imds() {
  local mode=${1:-status}
  if [ "$mode" = status ]; then imds_mode; return 0; fi
  [ "$mode" = reset ] && mode=$IMDS_SAFE_MODE
  imds_is_mode "$mode" || { echo "testbed: unknown imds mode '$1' (modes: ${IMDS_MODES[*]} reset status)" >&2; exit 2; }
  require_root
  local before_args; before_args=$(cat "$TB/etc/imds.args" 2>/dev/null || true)
  imds_prepare "$mode"
  if [ "$before_args" != "$(cat "$TB/etc/imds.args")" ] || ! component_running imds; then
    stop_supervised imds quiet
    start_host_component imds 30
  fi
  component_running imds-front || start_host_component imds-front 30
  log "imds mode $mode"
}

imds_mock_healthy() { curl -s --max-time 2 -o /dev/null "http://$IMDS_MOCK_ADDR/latest/meta-data/instance-id"; }
# The front answers for the mock; any HTTP answer (200, or 401 with tokens required) is health.
imds_front_healthy() {
  curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://$IMDS_IP/latest/meta-data/instance-id" | grep -Eq '^(200|401)$'
}
