# Writes PKI, kubeconfigs, component configs and command lines under $TB. Sourced, never run.
# Every file is written only when missing, so a test may edit one (for example turn on the
# kubelet read-only port) and `restart` the component; `down --purge` starts over.

write_if_missing() { # PATH: content from stdin
  [ -e "$1" ] && { cat >/dev/null; return 0; }
  mkdir -p "$(dirname "$1")"
  cat >"$1"
}

args_file() { # NAME ARG...: one argument a line
  local name=$1; shift
  printf '%s\n' "$@" | write_if_missing "$TB/etc/$name.args"
}

generate_pki() {
  local kubeadm; kubeadm=$(tb_bin kubeadm)
  mkdir -p "$TB/pki" "$TB/kubeconfigs" "$TB/etc"
  write_if_missing "$TB/etc/kubeadm.yaml" <<EOF
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: $NODE_IP
  bindPort: $API_PORT
nodeRegistration:
  name: $NODE_NAME
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: kube-assay-testbed
kubernetesVersion: $K8S_VERSION
certificatesDir: $TB/pki
controlPlaneEndpoint: $NODE_IP:$API_PORT
networking:
  serviceSubnet: $SERVICE_CIDR
  podSubnet: $POD_CIDR
  dnsDomain: $CLUSTER_DOMAIN
apiServer:
  certSANs: [127.0.0.1, localhost, $NODE_IP]
etcd:
  local:
    serverCertSANs: [127.0.0.1, localhost]
    peerCertSANs: [127.0.0.1, localhost]
EOF
  if [ ! -f "$TB/pki/ca.crt" ]; then
    "$kubeadm" init phase certs all --config "$TB/etc/kubeadm.yaml" >>"$TB/logs/pki.log" 2>&1 ||
      die pki "kubeadm could not generate certificates"
  fi
  if [ ! -f "$TB/kubeconfigs/super-admin.conf" ]; then
    "$kubeadm" init phase kubeconfig all --config "$TB/etc/kubeadm.yaml" --kubeconfig-dir "$TB/kubeconfigs" \
      >>"$TB/logs/pki.log" 2>&1 || die pki "kubeadm could not generate kubeconfigs"
  fi
  local user
  for user in system:kube-proxy:kube-proxy kube-router:kube-router; do
    local cn=${user%:*} file=${user##*:}
    if [ ! -s "$TB/kubeconfigs/$file.conf" ]; then
      "$kubeadm" kubeconfig user --config "$TB/etc/kubeadm.yaml" --client-name "$cn" \
        >"$TB/kubeconfigs/$file.conf" 2>>"$TB/logs/pki.log" || die pki "kubeadm could not write the $file kubeconfig"
    fi
  done
  # The kubelet's serving certificate, signed by the cluster CA: a self-signed one (the kubelet's
  # default) is what CIS 4.2.9 flags, and nothing could verify it.
  if [ ! -s "$TB/pki/kubelet-server.crt" ]; then
    openssl req -new -newkey rsa:2048 -nodes -keyout "$TB/pki/kubelet-server.key" -subj "/O=system:nodes/CN=system:node:$NODE_NAME" \
      -out "$TB/pki/kubelet-server.csr" 2>>"$TB/logs/pki.log" &&
      openssl x509 -req -in "$TB/pki/kubelet-server.csr" -CA "$TB/pki/ca.crt" -CAkey "$TB/pki/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
        -days 365 -out "$TB/pki/kubelet-server.crt" -extfile <(printf 'subjectAltName=IP:%s,DNS:%s\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$NODE_IP" "$NODE_NAME") \
        >>"$TB/logs/pki.log" 2>&1 || die pki "openssl could not issue the kubelet serving certificate"
    chmod 600 "$TB/pki/kubelet-server.key"
    rm -f "$TB/pki/kubelet-server.csr"
  fi
  chmod 600 "$TB"/kubeconfigs/*.conf
  # Certificates readable by root only: the client CA the kubelet trusts (CIS 4.1.7) and every
  # certificate the control plane names (1.1.20).
  chmod 600 "$TB"/pki/*.crt "$TB"/pki/etcd/*.crt
}

write_component_configs() {
  local pki=$TB/pki
  # Resolve every binary first: a missing one must stop here, not leave an empty command line.
  local etcd_bin apiserver_bin cm_bin scheduler_bin kubelet_bin proxy_bin router_bin
  etcd_bin=$(tb_bin etcd); apiserver_bin=$(tb_bin kube-apiserver); cm_bin=$(tb_bin kube-controller-manager)
  scheduler_bin=$(tb_bin kube-scheduler); kubelet_bin=$(tb_bin kubelet); proxy_bin=$(tb_bin kube-proxy)
  router_bin=$(tb_bin kube-router)
  # The API server's and etcd's TLS 1.2 suites: strong ones only (CIS 1.2.29); TLS 1.3 suites are not configurable.
  local ciphers=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305
  mkdir -p "$TB/etc" "$TB/etcd" "$TB/kubelet" "$TB/pod-logs" "$TB/cni/net.d" "$TB/cni/ipam" "$TB_RUN"

  write_if_missing "$TB/etc/containerd.toml" <<EOF
version = 2
root = "$TB/containerd/root"
state = "$TB_RUN/containerd-state"
[grpc]
  address = "$CONTAINERD_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # This machine withholds CAP_SYS_RESOURCE even from root, so no process may lower its OOM score
  # (the kubelet asks -998 for sandboxes); clamp scores at containerd's own instead of failing.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$TB/cni/net.d"
EOF
  args_file containerd /usr/bin/containerd --config "$TB/etc/containerd.toml"

  write_if_missing "$TB/cni/net.d/10-kube-assay.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "kube-assay",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$BRIDGE",
      "isGateway": true,
      "ipMasq": true,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$TB/cni/ipam",
        "ranges": [[{ "subnet": "$NODE_POD_CIDR" }]],
        "routes": [{ "dst": "0.0.0.0/0" }]
      }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF

  args_file etcd "$etcd_bin" --name "$NODE_NAME" --data-dir "$TB/etcd" \
    --listen-client-urls https://127.0.0.1:2379 --advertise-client-urls https://127.0.0.1:2379 \
    --listen-peer-urls https://127.0.0.1:2380 --initial-advertise-peer-urls https://127.0.0.1:2380 \
    --initial-cluster "$NODE_NAME=https://127.0.0.1:2380" --listen-metrics-urls http://127.0.0.1:2381 \
    --cert-file "$pki/etcd/server.crt" --key-file "$pki/etcd/server.key" --client-cert-auth \
    --trusted-ca-file "$pki/etcd/ca.crt" --peer-cert-file "$pki/etcd/peer.crt" --peer-key-file "$pki/etcd/peer.key" \
    --peer-client-cert-auth --peer-trusted-ca-file "$pki/etcd/ca.crt" --snapshot-count 10000 --cipher-suites "$ciphers"

  # Encryption at rest (CIS 1.2.27, 1.2.28): secrets and configmaps with aescbc under a key made
  # for this testbed, identity after it to read what was stored before. The key never leaves
  # this root-only file.
  if [ ! -e "$TB/etc/encryption-config.yaml" ]; then
    (umask 077; write_if_missing "$TB/etc/encryption-config.yaml" <<EOF
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
      - configmaps
    providers:
      - aescbc:
          keys:
            - name: testbed-$(date -u +%Y%m%d)
              secret: $(head -c 32 /dev/urandom | base64)
      - identity: {}
EOF
    )
  fi
  # An audit policy (3.2.1): metadata of every request, without the node and lease chatter.
  write_if_missing "$TB/etc/audit-policy.yaml" <<EOF
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: None
    resources: [{ group: coordination.k8s.io, resources: [leases] }]
  - level: None
    nonResourceURLs: ["/healthz*", "/readyz*", "/livez*", "/version"]
  - level: None
    userGroups: ["system:nodes"]
    verbs: [get, list, watch]
  - level: Metadata
EOF
  # EventRateLimit (1.2.9), with limits far above what the tests need.
  write_if_missing "$TB/etc/admission-config.yaml" <<EOF
apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
  - name: EventRateLimit
    configuration:
      apiVersion: eventratelimit.admission.k8s.io/v1alpha1
      kind: Configuration
      limits:
        - type: Server
          qps: 2000
          burst: 10000
EOF
  chmod 600 "$TB/etc/audit-policy.yaml" "$TB/etc/admission-config.yaml"

  args_file apiserver "$apiserver_bin" --advertise-address "$NODE_IP" --bind-address "$NODE_IP" \
    --secure-port "$API_PORT" --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction,EventRateLimit \
    --admission-control-config-file "$TB/etc/admission-config.yaml" --tls-cipher-suites "$ciphers" \
    --encryption-provider-config "$TB/etc/encryption-config.yaml" --audit-policy-file "$TB/etc/audit-policy.yaml" \
    --allow-privileged=true --client-ca-file "$pki/ca.crt" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --kubelet-client-certificate "$pki/apiserver-kubelet-client.crt" --kubelet-client-key "$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --etcd-servers https://127.0.0.1:2379 --etcd-cafile "$pki/etcd/ca.crt" \
    --etcd-certfile "$pki/apiserver-etcd-client.crt" --etcd-keyfile "$pki/apiserver-etcd-client.key" \
    --service-account-issuer "https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range "$SERVICE_CIDR" \
    --requestheader-client-ca-file "$pki/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-extra-headers-prefix X-Remote-Extra- --requestheader-group-headers X-Remote-Group \
    --requestheader-username-headers X-Remote-User \
    --proxy-client-cert-file "$pki/front-proxy-client.crt" --proxy-client-key-file "$pki/front-proxy-client.key" \
    --enable-aggregator-routing=true --profiling=false --event-ttl 1h \
    --anonymous-auth=false --kubelet-certificate-authority "$pki/ca.crt" \
    --audit-log-path "$TB/logs/apiserver-audit.log" --audit-log-maxage 30 --audit-log-maxbackup 10 --audit-log-maxsize 100
  # Hardened as CIS 1.2.x asks (the cis suite verifies it): no anonymous requests, kubelet serving
  # certificates verified, an audited log kept, secrets encrypted, strong ciphers only; but not
  # AlwaysPullImages (1.2.11): the testbed's images are imported, there is no registry to pull
  # from. etcd's data directory is its owner's only (1.1.11).
  chmod 700 "$TB/etcd"

  local kcs=$TB/kubeconfigs
  args_file controller-manager "$cm_bin" --kubeconfig "$kcs/controller-manager.conf" \
    --authentication-kubeconfig "$kcs/controller-manager.conf" --authorization-kubeconfig "$kcs/controller-manager.conf" \
    --bind-address 127.0.0.1 --allocate-node-cidrs --cluster-cidr "$POD_CIDR" --node-cidr-mask-size 24 \
    --service-cluster-ip-range "$SERVICE_CIDR" --cluster-name kube-assay-testbed \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --root-ca-file "$pki/ca.crt" --service-account-private-key-file "$pki/sa.key" \
    --use-service-account-credentials --controllers '*,bootstrapsigner,tokencleaner' \
    --requestheader-client-ca-file "$pki/front-proxy-ca.crt" --profiling=false \
    --node-monitor-grace-period 20s

  args_file scheduler "$scheduler_bin" --kubeconfig "$kcs/scheduler.conf" \
    --authentication-kubeconfig "$kcs/scheduler.conf" --authorization-kubeconfig "$kcs/scheduler.conf" \
    --bind-address 127.0.0.1 --profiling=false

  write_if_missing "$TB/etc/kubelet-config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
failCgroupV1: false
cgroupDriver: cgroupfs
failSwapOn: false
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
podLogsDir: $TB/pod-logs
authentication:
  anonymous:
    enabled: false
  webhook:
    enabled: true
  x509:
    clientCAFile: $pki/ca.crt
authorization:
  mode: Webhook
clusterDNS: [$DNS_IP]
clusterDomain: $CLUSTER_DOMAIN
resolvConf: $TB/etc/pod-resolv.conf
# Local images are never pulled again, so nothing may garbage-collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard:
  memory.available: 100Mi
  nodefs.available: 1%
  imagefs.available: 1%
  nodefs.inodesFree: 1%
serializeImagePulls: false
podPidsLimit: 4096
protectKernelDefaults: false
makeIPTablesUtilChains: true
# Hardened as the CIS benchmark asks (the cis suite verifies it): a CA-signed serving
# certificate, client certificate rotation, strong ciphers only, RuntimeDefault seccomp.
tlsCertFile: $pki/kubelet-server.crt
tlsPrivateKeyFile: $pki/kubelet-server.key
tlsCipherSuites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]
rotateCertificates: true
seccompDefault: true
serverTLSBootstrap: false
streamingConnectionIdleTimeout: 5m
syncFrequency: 10s
fileCheckFrequency: 5s
nodeStatusUpdateFrequency: 5s
maxPods: 250
EOF
  # Root only (CIS 4.1.9): it decides who may talk to the kubelet.
  chmod 600 "$TB/etc/kubelet-config.yaml"
  # Pods with dnsPolicy Default get no upstream resolver: the testbed reaches no outside DNS.
  write_if_missing "$TB/etc/pod-resolv.conf" </dev/null
  args_file kubelet "$kubelet_bin" --config "$TB/etc/kubelet-config.yaml" --kubeconfig "$kcs/kubelet.conf" \
    --root-dir "$TB/kubelet" --cert-dir "$TB/kubelet/pki" --node-ip "$NODE_IP" --hostname-override "$NODE_NAME" \
    --node-labels "kube-assay.io/testbed=true,topology.kubernetes.io/zone=testbed-a,topology.kubernetes.io/region=testbed"

  write_if_missing "$TB/etc/kube-proxy-config.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: $POD_CIDR
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: $NODE_IP:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: [primary]
clientConnection:
  kubeconfig: $kcs/kube-proxy.conf
conntrack:
  maxPerCore: 0
iptables:
  syncPeriod: 10s
  minSyncPeriod: 0s
EOF
  args_file kube-proxy "$proxy_bin" --config "$TB/etc/kube-proxy-config.yaml"

  args_file netpol "$router_bin" --kubeconfig "$kcs/kube-router.conf" --hostname-override "$NODE_NAME" \
    --run-firewall=true --run-router=false --run-service-proxy=false \
    --health-port 20244 --iptables-sync-period 10s \
    --service-cluster-ip-range "$SERVICE_CIDR" --v 1

  # The metadata service's command lines depend on its mode: lib/imds.sh writes them.
}
