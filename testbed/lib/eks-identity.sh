# IRSA and EKS Pod Identity on the testbed (`testbed.sh irsa MODE`, `testbed.sh pod-identity MODE`).
# Sourced. Two host components, both stand-ins following the published contracts (the Go proxy
# serves neither upstream module):
#   eks-webhook         standins/eks-identity-webhook.mjs, HTTPS on the node address, behind two
#                       MutatingWebhookConfigurations: pod-identity-webhook (IRSA, the upstream
#                       webhook's name) and kassay-eks-pod-identity (Pod Identity)
#   pod-identity-agent  standins/pod-identity-agent.mjs at 169.254.170.23:80
# The association the EKS API would hold lives in etc/pod-identity-associations.json.
#
# irsa modes:          safe            injection as published, failurePolicy Fail
#                      fail-open       the same with failurePolicy Ignore (pods start uninjected when it is down)
#                      wrong-audience  tokens for the API server's audience instead of sts.amazonaws.com
#                      long-expiry     tokens of 48 h instead of 24 h
#                      off             no IRSA webhook configuration
# pod-identity modes:  safe            the agent reviews every token (audience, association)
#                      no-token-check  the agent answers anyone, with or without a token
#                      off             no agent, no injection

IRSA_MODES=(safe fail-open wrong-audience long-expiry off)
POD_IDENTITY_MODES=(safe no-token-check off)
IRSA_MODE_FILE=$TB/etc/irsa.mode
POD_IDENTITY_MODE_FILE=$TB/etc/pod-identity.mode
POD_IDENTITY_ASSOCIATIONS=$TB/etc/pod-identity-associations.json
POD_IDENTITY_IP=169.254.170.23
EKS_WEBHOOK_ADDR=$NODE_IP:9443
IRSA_WEBHOOK_CONFIG=pod-identity-webhook
POD_IDENTITY_WEBHOOK_CONFIG=kassay-eks-pod-identity
# The association the testbed provides (namespace and account come with manifests/50-eks-identity.yaml).
POD_IDENTITY_NAMESPACE=kassay-pod-identity
POD_IDENTITY_ACCOUNT=associated
POD_IDENTITY_ROLE=arn:aws:iam::111122223333:role/kassay-pod-identity-role

irsa_mode() { cat "$IRSA_MODE_FILE" 2>/dev/null || echo safe; }
pod_identity_mode() { cat "$POD_IDENTITY_MODE_FILE" 2>/dev/null || echo safe; }

# issue_cert NAME SUBJECT SAN EXTENDED_KEY_USAGE: a key and certificate under pki/, signed by the
# cluster CA, unless they exist.
issue_cert() {
  local name=$1 subject=$2 san=$3 eku=$4 pki=$TB/pki
  [ -s "$pki/$name.crt" ] && return 0
  openssl req -new -newkey rsa:2048 -nodes -keyout "$pki/$name.key" -subj "$subject" -out "$pki/$name.csr" 2>>"$TB/logs/pki.log" &&
    openssl x509 -req -in "$pki/$name.csr" -CA "$pki/ca.crt" -CAkey "$pki/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
      -days 365 -out "$pki/$name.crt" -extfile <(printf 'subjectAltName=%s\nextendedKeyUsage=%s\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$san" "$eku") \
      >>"$TB/logs/pki.log" 2>&1 || die pki "openssl could not issue the $name certificate"
  chmod 600 "$pki/$name.key"
  rm -f "$pki/$name.csr"
}

write_eks_identity_args() {
  local pki=$TB/pki node; node=$(command -v node)
  issue_cert eks-identity "/CN=kassay:eks-identity" "IP:$NODE_IP" serverAuth,clientAuth
  [ -f "$POD_IDENTITY_ASSOCIATIONS" ] || printf '[{"namespace":"%s","serviceAccount":"%s","roleArn":"%s"}]\n' \
    "$POD_IDENTITY_NAMESPACE" "$POD_IDENTITY_ACCOUNT" "$POD_IDENTITY_ROLE" >"$POD_IDENTITY_ASSOCIATIONS"
  local -a tls=(--cert "$pki/eks-identity.crt" --key "$pki/eks-identity.key" --ca "$pki/ca.crt" --api "https://$NODE_IP:$API_PORT")
  printf '%s\n' "$node" "$TESTBED_DIR/standins/eks-identity-webhook.mjs" --listen "$EKS_WEBHOOK_ADDR" "${tls[@]}" \
    --irsa-mode-file "$IRSA_MODE_FILE" --associations "$POD_IDENTITY_ASSOCIATIONS" \
    --api-audience "https://kubernetes.default.svc.$CLUSTER_DOMAIN" >"$TB/etc/eks-webhook.args"
  printf '%s\n' "$node" "$TESTBED_DIR/standins/pod-identity-agent.mjs" --listen "$POD_IDENTITY_IP:80" "${tls[@]}" \
    --mode-file "$POD_IDENTITY_MODE_FILE" --associations "$POD_IDENTITY_ASSOCIATIONS" >"$TB/etc/pod-identity-agent.args"
}

pod_identity_address() {
  if [ "$1" = on ]; then
    add_lo_address "$POD_IDENTITY_IP"
  else
    ip addr del "$POD_IDENTITY_IP/32" dev lo 2>/dev/null || true
  fi
}

# webhook_config NAME WEBHOOK PATH FAILURE_POLICY: the MutatingWebhookConfiguration, on pod
# creation outside the system namespaces (the add-ons start before any check could need it).
webhook_config() {
  cat <<YAML
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: $1
  labels: {kube-assay.io/testbed: "true"}
webhooks:
  - name: $2
    admissionReviewVersions: [v1]
    sideEffects: None
    failurePolicy: $4
    reinvocationPolicy: IfNeeded
    timeoutSeconds: 5
    clientConfig:
      url: https://$EKS_WEBHOOK_ADDR$3
      caBundle: $(base64 -w0 "$TB/pki/ca.crt")
    rules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods], scope: Namespaced}
    namespaceSelector:
      matchExpressions:
        - {key: kubernetes.io/metadata.name, operator: NotIn, values: [kube-system, kube-public, kube-node-lease, local-path-storage]}
YAML
}

apply_webhook_config() {
  webhook_config "$@" | kc apply --server-side --force-conflicts -f - >>"$TB/logs/addons.log" 2>&1 || die addons "applying webhook configuration $1 failed"
}
delete_webhook_config() { kc delete mutatingwebhookconfiguration "$1" --ignore-not-found >>"$TB/logs/addons.log" 2>&1 || die addons "deleting webhook configuration $1 failed"; }

# Brings the components and webhook configurations to the recorded modes.
eks_identity_apply_modes() {
  local irsa pid; irsa=$(irsa_mode); pid=$(pod_identity_mode)
  start_host_component eks-webhook 30
  case $irsa in
    off) delete_webhook_config "$IRSA_WEBHOOK_CONFIG" ;;
    fail-open) apply_webhook_config "$IRSA_WEBHOOK_CONFIG" iam-for-pods.amazonaws.com /mutate-irsa Ignore ;;
    *) apply_webhook_config "$IRSA_WEBHOOK_CONFIG" iam-for-pods.amazonaws.com /mutate-irsa Fail ;;
  esac
  if [ "$pid" = off ]; then
    delete_webhook_config "$POD_IDENTITY_WEBHOOK_CONFIG"
    component_running pod-identity-agent && stop_supervised pod-identity-agent quiet
  else
    pod_identity_address on
    start_host_component pod-identity-agent 30
    apply_webhook_config "$POD_IDENTITY_WEBHOOK_CONFIG" pod-identity.testbed.kube-assay.io /mutate-pod-identity Fail
  fi
}

# Called by `up` once the API server runs: safe modes, files, address, components, configurations.
eks_identity_start() {
  echo safe >"$IRSA_MODE_FILE"
  echo safe >"$POD_IDENTITY_MODE_FILE"
  write_eks_identity_args
  apply_manifest 50-eks-identity.yaml
  eks_identity_apply_modes
}

eks_identity_is_safe() { [ "$(irsa_mode)" = safe ] && [ "$(pod_identity_mode)" = safe ]; }

# cmd_eks_mode irsa|pod-identity MODE|reset|status
cmd_eks_mode() {
  local what=$1 mode=${2:-status} file modes
  if [ "$what" = irsa ]; then file=$IRSA_MODE_FILE; modes=("${IRSA_MODES[@]}"); else file=$POD_IDENTITY_MODE_FILE; modes=("${POD_IDENTITY_MODES[@]}"); fi
  if [ "$mode" = status ]; then cat "$file" 2>/dev/null || echo safe; return 0; fi
  [ "$mode" = reset ] && mode=safe
  local m ok=no; for m in "${modes[@]}"; do [ "$m" = "$mode" ] && ok=yes; done
  [ $ok = yes ] || { echo "testbed: unknown $what mode '$2' (modes: ${modes[*]} reset status)" >&2; exit 2; }
  require_root
  write_eks_identity_args
  echo "$mode" >"$file"
  eks_identity_apply_modes
  log "$what mode $mode"
}

eks_webhook_healthy() { curl -sk --max-time 2 "https://$EKS_WEBHOOK_ADDR/healthz" | grep -q ok; }
pod_identity_agent_healthy() { curl -s --max-time 2 "http://$POD_IDENTITY_IP/healthz" | grep -q ok; }
