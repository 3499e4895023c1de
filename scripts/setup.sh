#!/usr/bin/env bash
# One-time and incremental set-up on a fresh machine: Debian packages for tests, npm dependencies,
# and the TypeScript build. Fast when nothing changed (stamps keyed by the lock file).
#   setup.sh            runtime set-up (what `kube-assay run` needs)
#   setup.sh --test     plus test-only packages (headless Chromium for the HTML report test)
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing Debian packages (${missing[*]}); install them as root" >&2
    exit 1
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

if [ "${1:-}" = --test ] && [ -f scripts/deps/apt-test.txt ]; then
  mapfile -t pkgs < <(grep -vE '^\s*(#|$)' scripts/deps/apt-test.txt)
  [ ${#pkgs[@]} -eq 0 ] || apt_install "${pkgs[@]}"
fi

stamp=node_modules/.kube-assay-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi
echo "setup: building"
# The build also makes the bin executable (tsc writes 644), so `npx kube-assay` runs in the clone.
npm run --silent build
