# Host prerequisites and the testbed's own small tools. Sourced, never run.

# Debian packages the running cluster needs (the build's own list is TB_BUILD_PACKAGES).
TB_RUNTIME_PACKAGES=(containerd runc containernetworking-plugins iptables ipset conntrack kmod iproute2
  curl gettext-base util-linux procps)

install_packages() {
  local missing=() p
  for p in "${TB_RUNTIME_PACKAGES[@]}" ${TB_BUILD_PACKAGES[@]+"${TB_BUILD_PACKAGES[@]}"}; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die packages "missing Debian packages (${missing[*]}) and not root to install them"
  mkdir -p "$TB/logs"
  log "installing Debian packages: ${missing[*]}"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; } \
    >>"$TB/logs/packages.log" 2>&1 || die packages "could not install Debian packages: ${missing[*]}"
  # Debian's containerd package may try to start its own daemon; the testbed runs its own.
  command -v containerd >/dev/null || die packages "containerd is still missing after installing it"
}

TB_CRI_SRC=$TESTBED_DIR/tools/tb-cri

tb_cri_bin() {
  local hash; hash=$(cat "$TB_CRI_SRC"/go.mod "$TB_CRI_SRC"/go.sum "$TB_CRI_SRC"/*.go | sha256sum | cut -c1-12)
  echo "$CACHE/tb-cri-$hash/bin/tb-cri"
}

build_tb_cri() {
  local bin; bin=$(tb_cri_bin)
  [ -x "$bin" ] && return 0
  mkdir -p "$(dirname "$bin")" "$CACHE/logs"
  (cd "$TB_CRI_SRC" && CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" . && mv "$bin.tmp" "$bin") \
    >"$CACHE/logs/tb-cri.log" 2>&1 || die tb-cri "build failed (read $CACHE/logs/tb-cri.log)"
}
