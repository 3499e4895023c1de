# Shared settings and helpers of the testbed scripts. Sourced, never run.
# Layout: everything a run creates lives in $TB (git-ignored .testbed/ at the repo root) or in
# $TB_RUN (sockets and runtime state, short paths); built binaries and images live in $CACHE,
# outside the clone, so fresh clones (CI) reuse them.

TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$TESTBED_DIR/.." && pwd)
# shellcheck source=../versions.env
source "$TESTBED_DIR/versions.env"

TB=${TESTBED_STATE:-$REPO_DIR/.testbed}
TB_RUN=${TESTBED_RUN:-/run/kube-assay-testbed}
CACHE=${KUBE_ASSAY_CACHE:-$HOME/.cache/kube-assay/testbed}

# Network plan. The node address is one we add to the host (labelled lo:kassay), so it is the same
# on every machine and traffic to it never leaves the host; the metadata mock answers on the
# link-local address pods use on AWS.
NODE_NAME=assay-node
NODE_IP=10.250.0.1
NODE_IF=lo:kassay
IMDS_IP=169.254.169.254
# The metadata mock itself listens on loopback; the front (lib/imds.sh) answers at IMDS_IP.
IMDS_MOCK_ADDR=127.0.0.1:1338
BRIDGE=kassay-br0
POD_CIDR=10.244.0.0/16
NODE_POD_CIDR=10.244.0.0/24
SERVICE_CIDR=10.96.0.0/16
DNS_IP=10.96.0.10
CLUSTER_DOMAIN=cluster.local
API_PORT=6443

CONTAINERD_SOCK=$TB_RUN/containerd.sock
ADMIN_KUBECONFIG=$TB/kubeconfig

# Host processes in start order. Add-ons that run as pods are listed separately.
HOST_COMPONENTS=(containerd etcd apiserver controller-manager scheduler kubelet kube-proxy netpol imds imds-front eks-webhook pod-identity-agent)
POD_COMPONENTS=(coredns storage metrics-server)

log() { printf '[testbed] %s\n' "$*" >&2; }

# die COMPONENT SENTENCE: the one-sentence failure the issue asks for, naming the log to read.
die() {
  local component=$1; shift
  if [ -n "$component" ] && [ -f "$TB/logs/$component.log" ]; then
    printf 'testbed: %s: %s (read %s)\n' "$component" "$*" "${TB/#$REPO_DIR\//}/logs/$component.log" >&2
  else
    printf 'testbed: %s%s\n' "${component:+$component: }" "$*" >&2
  fi
  exit 1
}

# wait_until TIMEOUT_SECONDS DESCRIPTION COMMAND...: polls COMMAND with a deadline (no fixed wait
# for success: it returns as soon as the command succeeds).
wait_until() {
  local timeout=$1 what=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      return 1
    fi
    sleep 0.5
  done
}

kc() { kubectl --kubeconfig "$TB/kubeconfigs/super-admin.conf" "$@"; }

now_ms() { date +%s%3N; }
