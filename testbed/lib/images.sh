# Assembles the testbed's container images and imports them into containerd. Sourced, never run.
# Interface: tb_build_images (writes OCI image-layout tarballs into $CACHE/images/, a no-op when
# their inputs are unchanged) and tb_import_images SOCKET (imports those missing from containerd).
# Expects versions.env and build.sh to be sourced; images are built from tb_bin's binaries.
#
# No registry is reachable and no Docker engine runs here, so every image is one layer written by
# testbed/images/oci_image.py with fixed timestamps: same inputs, same digest.

: "${TESTBED_DIR:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${CACHE:=${KUBE_ASSAY_CACHE:-$HOME/.cache/kube-assay/testbed}}"
TB_IMAGES_DIR=$CACHE/images
TB_OCI_IMAGE=$TESTBED_DIR/images/oci_image.py
TB_BUSYBOX=/bin/busybox  # from Debian's busybox-static (TB_BUILD_PACKAGES)

# security.capability for cap_net_bind_service=+ep, as upstream's image sets with setcap: CoreDNS
# runs as non-root and still binds port 53.
TB_CAP_NET_BIND_SERVICE=0100000200040000000000000000000000000000

# The image references the cluster uses, in build order.
tb_image_names() {
  echo "$PAUSE_IMAGE" "$PROBE_IMAGE" "$COREDNS_IMAGE" "$LOCAL_PATH_IMAGE" "$METRICS_SERVER_IMAGE"
}

# kube-assay.local/probe:1.0 -> $CACHE/images/probe-1.0 (the .tar, .key and .digest share it)
_tb_image_base() {
  local ref=${1##*/}
  echo "$TB_IMAGES_DIR/${ref/:/-}"
}

_tb_image_tag() { echo "${1##*:}"; }

# _tb_image_args REF: prints oci_image.py's arguments for one image, one per line.
_tb_image_args() {
  local ref=$1 tag; tag=$(_tb_image_tag "$ref")
  printf '%s\n' --name "$ref" --version "$tag"
  case $ref in
    "$PAUSE_IMAGE")
      # As upstream's pause image: the static pause binary, run as 65535.
      printf '%s\n' --source https://github.com/kubernetes/kubernetes/tree/master/build/pause \
        --file "$(tb_bin pause):/pause" --entrypoint '["/pause"]' --user 65535:65535 \
        --label "io.kube-assay.kubernetes-version=$K8S_VERSION" ;;
    "$PROBE_IMAGE")
      # busybox for shell probes (sh, nc, wget, nslookup, httpd, and the helper pod's mkdir/rm)
      # plus agnhost where upstream's agnhost image has it; agnhost's defaults, so args like
      # ["netexec", "--http-port=8080"] work unchanged. Debian's busybox: nc is TCP only (UDP:
      # agnhost connect --protocol=udp, netexec --udp-port) and wget has no -T (it segfaults on
      # it): bound it with `timeout N wget ...`.
      printf '%s\n' --source https://github.com/kubernetes/kubernetes/tree/master/test/images/agnhost \
        --base-files --busybox "$TB_BUSYBOX" --file "$(tb_bin agnhost):/agnhost" \
        --entrypoint '["/agnhost"]' --cmd '["pause"]' \
        --label "io.kube-assay.agnhost-version=$("$(tb_bin agnhost)" --version | sed 's/^app version //')" \
        --label "io.kube-assay.agnhost-kubernetes-version=$K8S_VERSION" \
        --label "io.kube-assay.busybox-version=$(dpkg-query -W -f='${Version}' busybox-static)" ;;
    "$COREDNS_IMAGE")
      printf '%s\n' --source https://github.com/coredns/coredns \
        --base-files --file "$(tb_bin coredns):/coredns" \
        --xattr "/coredns:security.capability:$TB_CAP_NET_BIND_SERVICE" \
        --entrypoint '["/coredns"]' --user 65532:65532 ;;
    "$LOCAL_PATH_IMAGE")
      printf '%s\n' --source https://github.com/rancher/local-path-provisioner \
        --base-files --file "$(tb_bin local-path-provisioner):/local-path-provisioner" \
        --entrypoint '["/local-path-provisioner"]' ;;
    "$METRICS_SERVER_IMAGE")
      printf '%s\n' --source https://github.com/kubernetes-sigs/metrics-server \
        --base-files --file "$(tb_bin metrics-server):/metrics-server" \
        --entrypoint '["/metrics-server"]' --user 65534:65534 ;;
    *) echo "testbed images: no recipe for image $ref" >&2; return 1 ;;
  esac
}

# What an image is made of: its arguments, the writer script, and each input file's size and
# mtime (inputs are versioned cache binaries, so a changed file means a rebuilt binary).
_tb_image_key() {
  local arg src
  {
    cat "$TB_OCI_IMAGE"
    for arg in "$@"; do
      echo "$arg"
      case $arg in
        /*:/*) src=${arg%%:/*}; [ -f "$src" ] && stat -Lc '%s %Y' "$src" ;;
      esac
    done
    [ -x "$TB_BUSYBOX" ] && stat -Lc '%s %Y' "$TB_BUSYBOX"
  } | sha256sum | cut -d' ' -f1
}

# tb_build_images: one line per image, built or cached, with its size.
tb_build_images() {
  local ref base key args=() t0 digest
  [ -x "$TB_BUSYBOX" ] || { echo "testbed images: $TB_BUSYBOX is missing; install Debian's busybox-static" >&2; return 1; }
  local bin
  for bin in pause agnhost coredns local-path-provisioner metrics-server; do
    tb_bin "$bin" >/dev/null || return 1
  done
  mkdir -p "$TB_IMAGES_DIR" "$CACHE/logs"
  for ref in $(tb_image_names); do
    t0=$SECONDS
    base=$(_tb_image_base "$ref")
    mapfile -t args < <(_tb_image_args "$ref") && [ ${#args[@]} -gt 0 ] || return 1
    key=$(_tb_image_key "${args[@]}")
    if [ -f "$base.tar" ] && [ -f "$base.digest" ] && [ "$(cat "$base.key" 2>/dev/null)" = "$key" ]; then
      echo "image: $ref cached ($(du -h "$base.tar" | cut -f1))"
      continue
    fi
    rm -f "$base.key"
    digest=$(python3 "$TB_OCI_IMAGE" --out "$base.tar" "${args[@]}" 2>"$CACHE/logs/images-build.log") || {
      echo "testbed images: assembling $ref failed; read $CACHE/logs/images-build.log" >&2
      return 1
    }
    echo "$digest" >"$base.digest"
    echo "$key" >"$base.key"
    echo "image: $ref built ($(du -h "$base.tar" | cut -f1), $((SECONDS - t0))s)"
  done
}

# kube-assay's own image (deploy/image/build.sh), built from the clone's dist/ when it is built:
# the in-cluster run, its Job and the Helm chart run it. Without dist/ it is left out, said so.
TB_APP_IMAGE_BUILD=$TESTBED_DIR/../deploy/image/build.sh

tb_build_app_image() {
  if [ ! -f "$TESTBED_DIR/../dist/src/cli/main.js" ]; then
    echo "image: $(bash "$TB_APP_IMAGE_BUILD" --ref) not built: dist/ is missing (npm run build)"
    return 0
  fi
  KUBE_ASSAY_CACHE=$CACHE bash "$TB_APP_IMAGE_BUILD"
}

# The references to import: the cluster's images, and kube-assay's once it is built.
_tb_import_names() {
  local app; app=$(bash "$TB_APP_IMAGE_BUILD" --ref)
  tb_image_names
  [ -f "$(_tb_image_base "$app").tar" ] && echo "$app"
  return 0
}

# tb_import_images SOCKET: imports each image unless containerd already has it at the same digest.
tb_import_images() {
  local sock=$1 ref base want have
  for ref in $(_tb_import_names); do
    base=$(_tb_image_base "$ref")
    [ -f "$base.tar" ] && [ -f "$base.digest" ] ||
      { echo "testbed images: $ref is not built yet (run tb_build_images)" >&2; return 1; }
    want=$(cat "$base.digest")
    have=$(ctr --address "$sock" -n k8s.io images ls "name==$ref" 2>/dev/null | awk 'NR > 1 { print $3 }')
    if [ "$have" = "$want" ]; then
      echo "image: $ref present ($want)"
      continue
    fi
    ctr --address "$sock" -n k8s.io images import "$base.tar" ||
      { echo "testbed images: importing $ref into containerd failed" >&2; return 1; }
    have=$(ctr --address "$sock" -n k8s.io images ls "name==$ref" 2>/dev/null | awk 'NR > 1 { print $3 }')
    [ "$have" = "$want" ] ||
      { echo "testbed images: containerd has $ref at '${have:-nothing}' after import, expected $want" >&2; return 1; }
    echo "image: $ref imported ($want)"
  done
}
