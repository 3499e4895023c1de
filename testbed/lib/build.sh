# Builds the testbed's upstream binaries from the Go module proxy. Sourced, never run.
# Interface: tb_build_all (build what is missing, one line per project) and tb_bin NAME (absolute
# path of a built binary). Expects versions.env to be sourced.
#
# Every project builds from its own wrapper module under testbed/go/<project>/ into
# $CACHE/<project>-<version>/bin/, outside the clone, so fresh clones (CI) find it. A build is
# skipped when all its binaries exist and its stamp records the same version, wrapper go.sum and
# build recipe; stamps are written last, so an interrupted build is redone, not trusted.

: "${TESTBED_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${CACHE:=${KUBE_ASSAY_CACHE:-$HOME/.cache/kube-assay/testbed}}"
TB_GO_DIR=$TESTBED_DIR/go

# Debian packages the build needs (the orchestrator installs them): a C toolchain with a static
# libc for pause, busybox for the probe image.
TB_BUILD_PACKAGES=(gcc libc6-dev busybox-static)

# Bump when a recipe below changes in a way that must invalidate cached binaries.
TB_BUILD_RECIPE_REV=3

TB_PROJECTS=(kubernetes etcd coredns local-path-provisioner metrics-server kube-router ec2-metadata-mock pause helm)
# Built only when asked for (testbed.sh tool NAME), never by `up`: tools of benches, kept out of
# the cold build every fresh machine pays.
TB_ON_DEMAND=(kwok)

# Fixed build date: binaries are byte-for-byte reproducible and the Go build cache stays warm.
TB_BUILD_DATE=2026-01-01T00:00:00Z

_tb_version_of() {
  case $1 in
    kubernetes|pause) echo "$K8S_VERSION" ;;
    etcd) echo "$ETCD_VERSION" ;;
    coredns) echo "$COREDNS_VERSION" ;;
    local-path-provisioner) echo "$LOCAL_PATH_VERSION" ;;
    metrics-server) echo "$METRICS_SERVER_VERSION" ;;
    kube-router) echo "$KUBE_ROUTER_VERSION" ;;
    ec2-metadata-mock) echo "$IMDS_MOCK_VERSION" ;;
    helm) echo "$HELM_VERSION" ;;
    kwok) echo "$KWOK_VERSION" ;;
    *) return 1 ;;
  esac
}

_tb_bins_of() {
  case $1 in
    kubernetes) echo kube-apiserver kube-controller-manager kube-proxy kube-scheduler kubeadm kubelet agnhost ;;
    etcd) echo etcd etcdctl ;;
    coredns|local-path-provisioner|metrics-server|kube-router|ec2-metadata-mock|pause|helm|kwok) echo "$1" ;;
    *) return 1 ;;
  esac
}

_tb_project_of_bin() {
  local p b
  for p in "${TB_PROJECTS[@]}" "${TB_ON_DEMAND[@]}"; do
    for b in $(_tb_bins_of "$p"); do
      [ "$b" = "$1" ] && { echo "$p"; return 0; }
    done
  done
  return 1
}

# The upstream module each wrapper pins; versions.env and the wrapper's go.mod must agree.
_tb_module_of() {
  case $1 in
    kubernetes) echo k8s.io/kubernetes ;;
    etcd) echo go.etcd.io/etcd/server/v3 ;;
    coredns) echo github.com/coredns/coredns ;;
    local-path-provisioner) echo github.com/rancher/local-path-provisioner ;;
    metrics-server) echo sigs.k8s.io/metrics-server ;;
    kube-router) echo github.com/cloudnativelabs/kube-router ;;
    ec2-metadata-mock) echo github.com/aws/amazon-ec2-metadata-mock ;;
    helm) echo helm.sh/helm/v3 ;;
    kwok) echo sigs.k8s.io/kwok ;;
    *) return 1 ;;
  esac
}

_tb_check_pin() {
  local project=$1 module version
  module=$(_tb_module_of "$project") || return 0
  version=$(_tb_version_of "$project")
  grep -Eq "^[[:space:]]*(require[[:space:]]+)?$module $version([[:space:]]|$)" "$TB_GO_DIR/$project/go.mod" || {
    echo "testbed build: testbed/go/$project/go.mod does not require $module $version as versions.env pins it; update the wrapper (go get $module@$version && go mod tidy)" >&2
    return 1
  }
}

_tb_dir_of() { echo "$CACHE/$1-$(_tb_version_of "$1")"; }

# tb_bin NAME: absolute path of a built binary; fails with one sentence if unknown or not built.
tb_bin() {
  local project path name=$1
  project=$(_tb_project_of_bin "$name") || { echo "testbed build: no binary named '$1' is built here" >&2; return 1; }
  path=$(_tb_dir_of "$project")/bin/$name
  [ -x "$path" ] || { echo "testbed build: $name is not built yet (run the build: tb_build_all)" >&2; return 1; }
  echo "$path"
}

# The stamp says what a cached build came from: the pinned version, the wrapper's go.sum (which
# pins every dependency) and the recipe revision.
_tb_expected_stamp() {
  local project=$1 sum
  if [ "$project" = pause ]; then
    sum=$(sha256sum <"$TB_GO_DIR/kubernetes/go.sum" | cut -d' ' -f1)
  else
    sum=$(sha256sum <"$TB_GO_DIR/$project/go.sum" | cut -d' ' -f1)
  fi
  printf 'project=%s\nversion=%s\ngo.sum=%s\nrecipe=%s\n' "$project" "$(_tb_version_of "$project")" "$sum" "$TB_BUILD_RECIPE_REV"
}

_tb_is_cached() {
  local project=$1 dir b
  dir=$(_tb_dir_of "$project")
  [ -f "$dir/stamp" ] && [ "$(cat "$dir/stamp")" = "$(_tb_expected_stamp "$project")" ] || return 1
  for b in $(_tb_bins_of "$project"); do [ -x "$dir/bin/$b" ] || return 1; done
}

# _tb_go_build WRAPPER OUT_DIR_OR_FILE LDFLAGS PACKAGE...: static, trimmed, version-stamped.
_tb_go_build() {
  local wrapper=$1 out=$2 ldflags=$3; shift 3
  (cd "$TB_GO_DIR/$wrapper" &&
    CGO_ENABLED=0 GOTOOLCHAIN=auto GOFLAGS=-buildvcs=false \
      go build -trimpath -ldflags "$ldflags" -o "$out" "$@")
}

# Kubernetes reads its version from ldflags; without them every component reports v0.0.0.
_tb_k8s_ldflags() {
  local v=$K8S_VERSION major minor flags="-s -w " pkg
  major=${v#v}; major=${major%%.*}
  minor=${v#v*.}; minor=${minor%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$TB_BUILD_DATE"
  done
  echo "$flags"
}

_tb_k8s_module_dir() {
  (cd "$TB_GO_DIR/kubernetes" && GOTOOLCHAIN=auto go mod download -json "k8s.io/kubernetes@$K8S_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
}

_tb_recipe_kubernetes() {
  local bin=$1/bin src
  src=$(_tb_k8s_module_dir) && [ -f "$src/test/images/agnhost/VERSION" ] &&
    _tb_go_build kubernetes "$bin/" "$(_tb_k8s_ldflags)" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kube-scheduler \
      k8s.io/kubernetes/cmd/kubeadm k8s.io/kubernetes/cmd/kubelet &&
    # agnhost has its own version (upstream's image tag), read from the file its Makefile uses.
    _tb_go_build kubernetes "$bin/agnhost" "$(_tb_k8s_ldflags) -X main.Version=$(cat "$src/test/images/agnhost/VERSION")" \
      k8s.io/kubernetes/test/images/agnhost
}

_tb_recipe_etcd() {
  # Both main packages live in modules ending in /v3, so each needs an explicit output name.
  local bin=$1/bin ld="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$ETCD_VERSION"
  _tb_go_build etcd "$bin/etcd" "$ld" go.etcd.io/etcd/server/v3 &&
    _tb_go_build etcd "$bin/etcdctl" "$ld" go.etcd.io/etcd/etcdctl/v3
}

_tb_recipe_coredns() {
  local pkg=github.com/coredns/coredns/coremain
  _tb_go_build coredns "$1/bin/coredns" \
    "-s -w -X $pkg.gitTag=$COREDNS_VERSION -X $pkg.GitCommit=$COREDNS_VERSION -X $pkg.buildDate=$TB_BUILD_DATE" \
    github.com/coredns/coredns
}

_tb_recipe_local-path-provisioner() {
  _tb_go_build local-path-provisioner "$1/bin/local-path-provisioner" \
    "-s -w -X main.VERSION=$LOCAL_PATH_VERSION" github.com/rancher/local-path-provisioner
}

_tb_recipe_metrics-server() {
  # metrics-server's own Makefile stamps the client-go version variables.
  local pkg=k8s.io/client-go/pkg/version
  _tb_go_build metrics-server "$1/bin/metrics-server" \
    "-s -w -X $pkg.gitVersion=$METRICS_SERVER_VERSION -X $pkg.gitTreeState=clean -X $pkg.buildDate=$TB_BUILD_DATE" \
    sigs.k8s.io/metrics-server/cmd/metrics-server
}

# pause is C: upstream's pause.c from the pinned kubernetes module, static, as upstream builds it.
_tb_recipe_pause() {
  local src tag
  src=$(_tb_k8s_module_dir) &&
    [ -f "$src/build/pause/linux/pause.c" ] &&
    tag=$(sed -n 's/^TAG ?= *//p' "$src/build/pause/Makefile") &&
    gcc -Os -Wall -Werror -static -DVERSION="v$tag-$K8S_VERSION" -o "$1/bin/pause" "$src/build/pause/linux/pause.c" &&
    strip "$1/bin/pause"
}

# kube-router's own Makefile stamps pkg/version; v1 has no firewall-only image, so the binary runs
# on the host.
_tb_recipe_kube-router() {
  local pkg=github.com/cloudnativelabs/kube-router/pkg/version
  _tb_go_build kube-router "$1/bin/kube-router" \
    "-s -w -X $pkg.Version=$KUBE_ROUTER_VERSION -X $pkg.BuildDate=$TB_BUILD_DATE" \
    github.com/cloudnativelabs/kube-router/cmd/kube-router
}

# Its version is embedded from a file in the module, so no ldflags; the main package is .../cmd, so
# the output needs a name (upstream's binary and image call it ec2-metadata-mock).
_tb_recipe_ec2-metadata-mock() {
  _tb_go_build ec2-metadata-mock "$1/bin/ec2-metadata-mock" "-s -w" -tags aemmlinux \
    github.com/aws/amazon-ec2-metadata-mock/cmd
}

# helm stamps its version in internal/version as its Makefile does; the chart's tests run it on the host.
_tb_recipe_helm() {
  _tb_go_build helm "$1/bin/helm" "-s -w -X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
    helm.sh/helm/v3/cmd/helm
}

# kwok carries its version in its source (pkg/consts), so no ldflags; the CIS scale bench runs it
# on the host against the testbed's API server, where it plays hundreds of kubelets.
# kwok simulates nothing without Stage objects, and the binary carries none: upstream's "fast"
# stages (nodes initialised and kept alive by a lease, pods ready, completed and deleted) are
# copied from the module next to the binary, into the cache, and passed with --config.
_tb_recipe_kwok() {
  local src
  src=$(cd "$TB_GO_DIR/kwok" && GOTOOLCHAIN=auto go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') && [ -d "$src/kustomize/stage" ] &&
    mkdir -p "$1/stages" &&
    cp "$src/kustomize/stage/node/fast/node-initialize.yaml" \
      "$src/kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml" \
      "$src/kustomize/stage/pod/fast/pod-ready.yaml" "$src/kustomize/stage/pod/fast/pod-complete.yaml" \
      "$src/kustomize/stage/pod/fast/pod-delete.yaml" "$1/stages/" &&
    chmod 644 "$1"/stages/*.yaml &&
    _tb_go_build kwok "$1/bin/kwok" "-s -w" sigs.k8s.io/kwok/cmd/kwok
}

# tb_build PROJECT: builds one project unless cached; prints "<project> <version>: cached|built (Ns)".
# A lock per project keeps two callers (a developer and CI, or two terminals) from building the
# same thing at once; the second one waits and then finds it cached.
tb_build() {
  local project=$1 version dir log t0=$SECONDS
  version=$(_tb_version_of "$project") || { echo "testbed build: unknown project '$project'" >&2; return 1; }
  _tb_check_pin "$project" || return 1
  dir=$(_tb_dir_of "$project")
  log=$CACHE/logs/$project-$version.log
  if _tb_is_cached "$project"; then
    echo "build: $project $version cached ($((SECONDS - t0))s)"
    return 0
  fi
  mkdir -p "$dir/bin" "$CACHE/logs" "$CACHE/locks"
  (
    flock 9
    if _tb_is_cached "$project"; then
      echo "build: $project $version cached after waiting for another build ($((SECONDS - t0))s)"
      exit 0
    fi
    rm -f "$dir/stamp"
    {
      echo "== $(date -u +%FT%TZ) building $project $version"
      "_tb_recipe_$project" "$dir"
    } >"$log" 2>&1 || {
      echo "testbed build: building $project $version failed; read $log" >&2
      exit 1
    }
    _tb_expected_stamp "$project" >"$dir/stamp"
    echo "build: $project $version built ($((SECONDS - t0))s)"
  ) 9>"$CACHE/locks/$project.lock"
}

# tb_tool NAME: builds an on-demand tool unless cached (the build line goes to stderr) and prints
# its binary's absolute path.
tb_tool() {
  local t
  for t in "${TB_ON_DEMAND[@]}"; do
    if [ "$t" = "$1" ]; then
      tb_build "$1" >&2 || return 1
      tb_bin "$1"
      return
    fi
  done
  echo "testbed build: no on-demand tool named '$1' (there are: ${TB_ON_DEMAND[*]})" >&2
  return 2
}

# tb_build_all: builds every project that is missing; one line each.
tb_build_all() {
  local project
  for project in "${TB_PROJECTS[@]}"; do
    tb_build "$project" || return 1
  done
}
