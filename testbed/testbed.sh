#!/usr/bin/env bash
# kube-assay's local testbed: a real single-node Kubernetes cluster from upstream components.
#   up | down [--purge] | status | stop|start|restart COMPONENT | logs COMPONENT | imds MODE | broker MODE | images
#   irsa MODE | pod-identity MODE | tool NAME
# See testbed/README.md for what runs where.
set -euo pipefail

LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib
for f in common supervise config network health addons build images tools imds eks-identity broker; do
  # shellcheck source=/dev/null
  source "$LIB/$f.sh"
done

ALL_COMPONENTS=(etcd apiserver controller-manager scheduler kubelet kube-proxy netpol coredns storage metrics-server imds imds-front eks-webhook pod-identity-agent)
ALL_COMPONENTS+=(credential-broker)

usage() {
  cat >&2 <<EOF
usage: testbed.sh up | down [--purge] | status | stop|start|restart COMPONENT | logs COMPONENT | images
       testbed.sh imds open|tokens-required|hop-limit|blocked|reset|status
       testbed.sh broker off|on|no-restrictions|default-role|unanchored|reset|status
       testbed.sh irsa safe|fail-open|wrong-audience|long-expiry|off|reset|status
       testbed.sh pod-identity safe|no-token-check|off|reset|status
       testbed.sh tool kwok   (build an on-demand tool and print its path)
components: ${ALL_COMPONENTS[*]} (and containerd)
EOF
  exit 2
}

require_root() { [ "$(id -u)" = 0 ] || die "" "the testbed runs containers and changes host networking, so it must run as root"; }

is_pod_component() { case $1 in coredns|storage|metrics-server) return 0 ;; esac; return 1; }
is_known_component() { local c; for c in containerd "${ALL_COMPONENTS[@]}"; do [ "$c" = "$1" ] && return 0; done; return 1; }

cluster_healthy() {
  local c
  for c in "${HOST_COMPONENTS[@]}"; do
    component_running "$c" && component_healthy "$c" || return 1
  done
  node_ready || return 1
  for c in "${POD_COMPONENTS[@]}"; do addon_available "$c" || return 1; done
  metrics_api_available
}

# start_host_component NAME TIMEOUT: starts it supervised unless running, then waits for health.
start_host_component() {
  local c=$1 timeout=${2:-60}
  if ! component_running "$c"; then
    check_ports_free "$c"
    start_supervised "$c"
  fi
  wait_until "$timeout" "$c healthy" component_healthy "$c" ||
    die "$c" "did not become healthy within ${timeout}s"
  log "$c healthy (${SECONDS}s)"
}

# Leftovers of a crash or reboot: pid files of dead processes, shims of a dead containerd, mounts.
recover_stale_state() {
  local c
  for c in "${HOST_COMPONENTS[@]}"; do
    if [ -f "$TB/run/$c.pid" ] && ! component_running "$c"; then
      log "recovering: $c had a stale pid file"
      stop_supervised "$c" quiet
    fi
  done
  if ! component_running containerd; then
    kill_orphan_shims
    unmount_below "$TB_RUN" "$TB/kubelet" "$TB/containerd"
    # Task state of a dead containerd (possibly from another clone) would only confuse a new one.
    rm -rf "$TB_RUN/containerd-state"
    remove_orphan_netns
  fi
}

# Container shims outlive containerd; ours are the ones started with our socket address.
kill_orphan_shims() {
  local pid
  for pid in $(pgrep -f -- "-address $CONTAINERD_SOCK" || true); do
    log "recovering: killing orphaned container shim $pid"
    kill -KILL "$pid" 2>/dev/null || true
  done
}

cmd_up() {
  require_root
  claim_testbed
  local t0=$SECONDS
  install_packages
  tb_build_all
  build_tb_cri
  tb_build_images
  tb_build_app_image
  if cluster_healthy 2>/dev/null; then
    [ "$(imds_mode)" = "$IMDS_SAFE_MODE" ] || cmd_imds reset
    eks_identity_is_safe || { cmd_eks_mode irsa reset; cmd_eks_mode pod-identity reset; }
    [ "$(broker_mode)" = "$BROKER_SAFE_MODE" ] || cmd_broker reset
    write_admin_kubeconfig
    log "already up and healthy ($((SECONDS - t0))s); kubeconfig: ${ADMIN_KUBECONFIG#"$REPO_DIR"/}"
    return 0
  fi
  mkdir -p "$TB/logs" "$TB/run" "$TB/etc" "$TB_RUN"
  recover_stale_state
  setup_host_network
  generate_pki
  write_component_configs
  imds_prepare "$IMDS_SAFE_MODE"
  broker_prepare "$BROKER_SAFE_MODE"

  start_host_component containerd 30
  tb_import_images "$CONTAINERD_SOCK" >>"$TB/logs/images.log" 2>&1 || die images "importing images into containerd failed"
  start_host_component etcd 60
  start_host_component apiserver 120
  apply_manifest 00-cluster-rbac.yaml
  apply_manifest 05-namespaces.yaml
  start_host_component controller-manager 60
  start_host_component scheduler 60
  start_host_component kubelet 60
  wait_until 90 "node Ready" node_ready || die kubelet "node $NODE_NAME did not become Ready within 90s"
  start_host_component kube-proxy 60
  start_host_component netpol 60
  eks_identity_start
  start_host_component imds 30
  start_host_component imds-front 30
  start_host_component credential-broker 30
  apply_addons
  local c
  for c in "${POD_COMPONENTS[@]}"; do
    # a stopped add-on (replicas 0, from `testbed stop`) is started again by `up`
    [ "$(addon_replicas "$c")" = 0 ] && kc -n "${ADDON_NAMESPACE[$c]}" scale deploy "${ADDON_DEPLOYMENT[$c]}" --replicas 1 >/dev/null
  done
  for c in "${POD_COMPONENTS[@]}"; do wait_addon "$c" 180; done
  log "add-ons available (${SECONDS}s)"
  ensure_bridge_netfilter
  wait_until 90 "metrics API" metrics_api_available || die metrics-server "the v1beta1.metrics.k8s.io APIService did not become Available within 90s"
  write_admin_kubeconfig
  log "up and healthy in $((SECONDS - t0))s; kubeconfig: ${ADMIN_KUBECONFIG#"$REPO_DIR"/}"
}

write_admin_kubeconfig() {
  cp "$TB/kubeconfigs/admin.conf" "$ADMIN_KUBECONFIG.tmp" && chmod 600 "$ADMIN_KUBECONFIG.tmp"
  mv "$ADMIN_KUBECONFIG.tmp" "$ADMIN_KUBECONFIG"
}

cmd_down() {
  require_root
  local purge=${1:-} other c
  # Shims, mounts, addresses and $TB_RUN would be another checkout's: touch none of them.
  if other=$(foreign_testbed); then
    log "the testbed up on this host is another checkout's (its state is in $other); nothing of this checkout's to stop"
    return 0
  fi
  # Pods first, through CRI while containerd still runs, so each sandbox gets its CNI teardown.
  for c in netpol kube-proxy credential-broker imds-front imds pod-identity-agent eks-webhook kubelet; do component_running "$c" && stop_supervised "$c"; done
  if component_running containerd && [ -x "$(tb_cri_bin)" ]; then
    "$(tb_cri_bin)" --endpoint "unix://$CONTAINERD_SOCK" stop-all-pods >>"$TB/logs/teardown.log" 2>&1 ||
      log "some pod sandboxes could not be removed (see .testbed/logs/teardown.log); cleaning up by force"
  fi
  for c in scheduler controller-manager apiserver etcd containerd; do component_running "$c" && stop_supervised "$c"; done
  kill_orphan_shims
  unmount_below "$TB_RUN" "$TB/kubelet" "$TB/containerd" "$TB/local-path"
  remove_orphan_netns
  teardown_host_network
  imds_set_block off
  pod_identity_address off
  broker_set_dnat off
  rm -rf "$TB_RUN" "$TB/run"
  rm -f "$ADMIN_KUBECONFIG"
  if [ "$purge" = --purge ]; then
    rm -rf "$TB"
    log "down; state purged (build cache kept)"
  else
    log "down (cluster state and build cache kept; 'down --purge' removes the state)"
  fi
}

cmd_status() {
  local c pid
  for c in containerd "${ALL_COMPONENTS[@]}"; do
    if is_pod_component "$c"; then
      if component_running apiserver; then addon_status "$c"; else printf '%-19s stopped  (API server down)\n' "$c"; fi
    elif component_running "$c"; then
      pid=$(component_pid "$c")
      printf '%-19s running  pid %-8s since %s\n' "$c" "$pid" "$(process_since "$pid")"
    else
      printf '%-19s stopped\n' "$c"
    fi
  done
}

cmd_component() {
  local action=$1 c=${2:-}
  [ -n "$c" ] && is_known_component "$c" || { echo "testbed: unknown component '${c}'" >&2; usage; }
  require_root
  if is_pod_component "$c"; then
    case $action in
      stop) stop_addon "$c" ;;
      start) start_addon "$c" ;;
      restart) stop_addon "$c"; start_addon "$c" ;;
    esac
    return
  fi
  case $action in
    stop) stop_supervised "$c"; after_stop "$c" ;;
    start) start_host_component "$c" "${TESTBED_START_TIMEOUT:-90}"; log "started $c" ;;
    restart) stop_supervised "$c" quiet; start_host_component "$c" "${TESTBED_START_TIMEOUT:-90}"; log "restarted $c" ;;
  esac
}

# A stopped enforcer must mean "no enforcement": kube-router's rules outlive its process, so
# stopping netpol also removes them (as a CNI without NetworkPolicy support would have none).
after_stop() {
  if [ "$1" = netpol ]; then
    "$(tb_bin kube-router)" --cleanup-config >>"$TB/logs/netpol.log" 2>&1 || die netpol "could not remove kube-router's firewall rules"
  fi
}

# Commands that change a running testbed act only on this checkout's (status reads are harmless).
case ${1:-} in
  stop|start|restart|images) refuse_foreign_testbed ;;
  imds|irsa|pod-identity|broker) [ "${2:-status}" = status ] || refuse_foreign_testbed ;;
esac

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down "${2:-}" ;;
  status) cmd_status ;;
  stop|start|restart) cmd_component "$1" "${2:-}" ;;
  imds) cmd_imds "${2:-status}" ;;
  irsa|pod-identity) cmd_eks_mode "$1" "${2:-status}" ;;
  # Build an on-demand tool (not part of `up`) and print its path, e.g. `tool kwok`.
  tool) [ -n "${2:-}" ] || usage; tb_tool "$2" ;;
  broker) cmd_broker "${2:-status}" ;;
  # Rebuild what changed (kube-assay's image after a TypeScript build) and import it into the running containerd.
  images) require_root; tb_build_images; tb_build_app_image; tb_import_images "$CONTAINERD_SOCK" ;;
  logs) [ -n "${2:-}" ] || usage; exec tail -n 100 -f "$TB/logs/$2.log" ;;
  *) usage ;;
esac
