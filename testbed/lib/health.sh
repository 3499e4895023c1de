# Health probes of host components, used by `up` (wait until healthy) and `status`. Sourced.

etcd_healthy() {
  curl -sf --max-time 2 --cacert "$TB/pki/etcd/ca.crt" --cert "$TB/pki/apiserver-etcd-client.crt" \
    --key "$TB/pki/apiserver-etcd-client.key" https://127.0.0.1:2379/health | grep -q '"health":"true"'
}
apiserver_healthy() { kc get --raw /readyz --request-timeout=2s | grep -q ok; }
controller_manager_healthy() { curl -skf --max-time 2 https://127.0.0.1:10257/healthz | grep -q ok; }
scheduler_healthy() { curl -skf --max-time 2 https://127.0.0.1:10259/healthz | grep -q ok; }
kubelet_healthy() { curl -sf --max-time 2 http://127.0.0.1:10248/healthz | grep -q ok; }
node_ready() {
  [ "$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}
kube_proxy_healthy() { curl -sf --max-time 2 "http://$NODE_IP:10256/healthz" >/dev/null; }
netpol_healthy() { curl -sf --max-time 2 http://127.0.0.1:20244/healthz >/dev/null; }
containerd_healthy() { [ -S "$CONTAINERD_SOCK" ] && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1; }

component_healthy() {
  case $1 in
    containerd) containerd_healthy ;;
    etcd) etcd_healthy ;;
    apiserver) apiserver_healthy ;;
    controller-manager) controller_manager_healthy ;;
    scheduler) scheduler_healthy ;;
    kubelet) kubelet_healthy ;;
    kube-proxy) kube_proxy_healthy ;;
    netpol) netpol_healthy ;;
    imds) imds_mock_healthy ;;
    imds-front) imds_front_healthy ;;
    eks-webhook) eks_webhook_healthy ;;
    pod-identity-agent) pod_identity_agent_healthy ;;
    credential-broker) broker_healthy ;;
    *) return 1 ;;
  esac
}

# Ports each host component listens on; `up` refuses to start over a foreign listener.
declare -A COMPONENT_PORTS=(
  [etcd]="127.0.0.1:2379 127.0.0.1:2380 127.0.0.1:2381"
  [apiserver]="$NODE_IP:$API_PORT"
  [controller-manager]="127.0.0.1:10257"
  [scheduler]="127.0.0.1:10259"
  [kubelet]="$NODE_IP:10250 127.0.0.1:10248"
  [kube-proxy]="$NODE_IP:10256 127.0.0.1:10249"
  [netpol]="*:20244"
  [imds]="$IMDS_MOCK_ADDR"
  [imds-front]="$IMDS_IP:80"
  [eks-webhook]="$NODE_IP:9443"
  [pod-identity-agent]="169.254.170.23:80"
)

# port_in_use ADDR:PORT: true when something listens there (on that address or on all addresses).
port_in_use() {
  local host=${1%:*} port=${1##*:} listener
  while read -r listener; do
    case $listener in
      "$host:$port" | "*:$port" | "0.0.0.0:$port" | "[::]:$port") return 0 ;;
    esac
    [ "$host" = "*" ] && return 0
  done < <(ss -Hltn "sport = :$port" | awk '{print $4}')
  return 1
}

check_ports_free() {
  local c=$1 addr
  for addr in ${COMPONENT_PORTS[$c]:-}; do
    if port_in_use "$addr"; then
      local who; who=$(ss -Hltnp "sport = :${addr##*:}" | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -1 | sed 's/users:(("//;s/",pid=/ pid /')
      die "$c" "port ${addr##*:} is already in use${who:+ by $who}; stop that process or run 'npm run testbed:down'"
    fi
  done
}
