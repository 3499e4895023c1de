# Add-ons that run as pods (as in a real cluster): CoreDNS, the storage provisioner and
# metrics-server. Stopping one scales its Deployment to zero; starting scales it back to one.
# Sourced, never run.

declare -A ADDON_NAMESPACE=([coredns]=kube-system [storage]=local-path-storage [metrics-server]=kube-system)
declare -A ADDON_DEPLOYMENT=([coredns]=coredns [storage]=local-path-provisioner [metrics-server]=metrics-server)
declare -A ADDON_SELECTOR=([coredns]=k8s-app=kube-dns [storage]=app=local-path-provisioner [metrics-server]=k8s-app=metrics-server)

render_manifest() {
  TB=$TB CLUSTER_DOMAIN=$CLUSTER_DOMAIN DNS_IP=$DNS_IP PROBE_IMAGE=$PROBE_IMAGE COREDNS_IMAGE=$COREDNS_IMAGE \
    LOCAL_PATH_IMAGE=$LOCAL_PATH_IMAGE METRICS_SERVER_IMAGE=$METRICS_SERVER_IMAGE \
    envsubst '${TB} ${CLUSTER_DOMAIN} ${DNS_IP} ${PROBE_IMAGE} ${COREDNS_IMAGE} ${LOCAL_PATH_IMAGE} ${METRICS_SERVER_IMAGE}' <"$1"
}

apply_manifest() {
  render_manifest "$TESTBED_DIR/manifests/$1" | kc apply --server-side --force-conflicts -f - >>"$TB/logs/addons.log" 2>&1 ||
    die addons "applying $1 failed"
}

apply_addons() {
  local f
  for f in 10-coredns.yaml 20-local-path.yaml 30-metrics-server.yaml 40-tenancy.yaml; do apply_manifest "$f"; done
}

addon_available() {
  local c=$1
  [ "$(kc -n "${ADDON_NAMESPACE[$c]}" get deploy "${ADDON_DEPLOYMENT[$c]}" -o jsonpath='{.status.availableReplicas}' 2>/dev/null)" = 1 ]
}

addon_replicas() {
  kc -n "${ADDON_NAMESPACE[$1]}" get deploy "${ADDON_DEPLOYMENT[$1]}" -o jsonpath='{.spec.replicas}' 2>/dev/null
}

wait_addon() {
  local c=$1 timeout=${2:-120}
  wait_until "$timeout" "$c available" addon_available "$c" || {
    kc -n "${ADDON_NAMESPACE[$c]}" describe pods -l "${ADDON_SELECTOR[$c]}" >"$TB/logs/$c.log" 2>&1 || true
    die "$c" "did not become available within ${timeout}s"
  }
}

addon_pods_gone() {
  [ -z "$(kc -n "${ADDON_NAMESPACE[$1]}" get pods -l "${ADDON_SELECTOR[$1]}" -o name 2>/dev/null)" ]
}

stop_addon() {
  local c=$1
  kc -n "${ADDON_NAMESPACE[$c]}" scale deploy "${ADDON_DEPLOYMENT[$c]}" --replicas 0 >/dev/null || die "$c" "cannot scale down"
  wait_until 60 "$c pods gone" addon_pods_gone "$c" || die "$c" "pods did not terminate within 60s"
  log "stopped $c"
}

start_addon() {
  local c=$1
  kc -n "${ADDON_NAMESPACE[$c]}" scale deploy "${ADDON_DEPLOYMENT[$c]}" --replicas 1 >/dev/null || die "$c" "cannot scale up"
  wait_addon "$c" 120
  log "started $c"
}

# addon_status NAME: one line: running/stopped, pid of its main container, since.
addon_status() {
  local c=$1 line pod cid started pid
  line=$(kc -n "${ADDON_NAMESPACE[$c]}" get pods -l "${ADDON_SELECTOR[$c]}" \
    -o jsonpath='{range .items[*]}{.metadata.name}{" "}{.status.containerStatuses[0].containerID}{" "}{.status.containerStatuses[0].state.running.startedAt}{"\n"}{end}' 2>/dev/null | head -1)
  read -r pod cid started <<<"$line" || true
  if [ -n "${started:-}" ]; then
    pid=$("$(tb_cri_bin)" --endpoint "unix://$CONTAINERD_SOCK" pid "$cid" 2>/dev/null || echo '?')
    printf '%-19s running  pid %-8s since %s (pod %s)\n' "$c" "$pid" "$started" "$pod"
  else
    printf '%-19s stopped  (replicas %s)\n' "$c" "$(addon_replicas "$c" || echo '?')"
  fi
}

metrics_api_available() {
  [ "$(kc get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type=="Available")].status}' 2>/dev/null)" = True ]
}
