# Host network state the testbed creates and removes. Sourced, never run.

# add_lo_address IP: puts IP/32 on loopback with our label unless it is there already. The
# listing is read whole before matching: `ip ... | grep -q` under pipefail fails at random when
# grep exits at the first match and ip, still writing, dies of SIGPIPE.
add_lo_address() {
  local listing
  listing=$(ip -4 addr show dev lo)
  [[ $listing == *" $1/32 "* ]] && return 0
  ip addr add "$1/32" dev lo label "$NODE_IF" || die network "cannot add $1 to the loopback interface"
}

setup_host_network() {
  # The kernel here has no dummy interfaces, so the addresses go on loopback with our label.
  add_lo_address "$NODE_IP"
  add_lo_address "$IMDS_IP"
  modprobe br_netfilter 2>/dev/null || true
  sysctl -qw net.ipv4.ip_forward=1
  # bridge-nf-call-iptables only exists once the bridge module is loaded; the bridge may not exist yet.
  if [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
    sysctl -qw net.bridge.bridge-nf-call-iptables=1
  fi
  # route_localnet lets kube-proxy serve NodePorts on loopback, as in a real node.
  sysctl -qw net.ipv4.conf.all.route_localnet=1 2>/dev/null || true
}

ensure_bridge_netfilter() {
  if [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ]; then
    sysctl -qw net.bridge.bridge-nf-call-iptables=1
  fi
}

# Removes what setup_host_network, the bridge CNI, kube-proxy and kube-router created.
teardown_host_network() {
  local link
  # veths still attached to our bridge belong to pods whose sandboxes could not be torn down.
  for link in $(ip -o link show master "$BRIDGE" 2>/dev/null | awk -F': ' '{print $2}' | cut -d@ -f1); do
    ip link del "$link" 2>/dev/null || true
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  ip addr del "$NODE_IP/32" dev lo 2>/dev/null || true
  ip addr del "$IMDS_IP/32" dev lo 2>/dev/null || true
  # kube-proxy's and kube-router's own cleanup modes remove exactly the chains they made.
  if [ -x "$(tb_bin kube-proxy 2>/dev/null)" ]; then
    "$(tb_bin kube-proxy)" --cleanup >>"$TB/logs/teardown.log" 2>&1 || true
  fi
  if [ -x "$(tb_bin kube-router 2>/dev/null)" ]; then
    "$(tb_bin kube-router)" --cleanup-config >>"$TB/logs/teardown.log" 2>&1 || true
  fi
  # The bridge plugin's masquerade chains carry our network name in their comment.
  local chain
  for chain in $(iptables -t nat -S POSTROUTING 2>/dev/null | grep -F 'name: "kube-assay"' | grep -o -- '-j CNI-[0-9a-f]*' | awk '{print $2}'); do
    iptables -t nat -S POSTROUTING | grep -F -- "-j $chain" | sed 's/^-A/-D/' | while read -r rule; do
      # shellcheck disable=SC2086
      iptables -t nat $rule 2>/dev/null || true
    done
    iptables -t nat -F "$chain" 2>/dev/null || true
    iptables -t nat -X "$chain" 2>/dev/null || true
  done
}

# Unmounts every mount below our folders, deepest first (pod volumes, overlay rootfs, netns).
unmount_below() {
  local dir
  for dir in "$@"; do
    [ -d "$dir" ] || continue
    findmnt -rn -o TARGET | awk -v d="$dir" 'index($0, d) == 1' | sort -r | while read -r m; do
      umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
    done
  done
}

# Pod network namespaces of sandboxes that were never torn down (containerd killed): the CRI
# names them cni-*; only those no process lives in any more are removed.
remove_orphan_netns() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^cni-/ {print $1}'); do
    [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && ip netns del "$ns" 2>/dev/null || true
  done
}
