#!/usr/bin/env bash
# npm run bench:testbed — a benchmark, not a test: prints figures, asserts nothing.
#   cold build time (when this run had to build), warm `up` time to healthy, idle memory of the
#   cluster (sum of RSS of every testbed process and container), pod start latency.
set -euo pipefail
cd "$(dirname "$0")/.."
source testbed/lib/common.sh
source testbed/lib/supervise.sh

echo "== bench: first up (builds what is missing)"
t0=$(now_ms)
bash testbed/testbed.sh up 2>&1 | tee /tmp/kube-assay-bench-up.log
t1=$(now_ms)
if grep -q ' built ' /tmp/kube-assay-bench-up.log; then
  echo "cold build + up: $(( (t1 - t0) / 1000 )) s"
fi

echo "== bench: warm up (down, then up with the build cache and cluster state kept)"
bash testbed/testbed.sh down >/dev/null 2>&1
t0=$(now_ms)
bash testbed/testbed.sh up >/dev/null 2>&1
t1=$(now_ms)
warm_ms=$((t1 - t0))

# Idle memory: host components, their children, and every container under our containerd.
pids=()
for f in "$TB"/run/*.pid; do
  case $f in *.sup.pid) continue ;; esac
  p=$(cat "$f"); pids+=("$p")
done
for shim in $(pgrep -f -- "-address $CONTAINERD_SOCK" || true); do pids+=("$shim"); done
all=("${pids[@]}")
frontier=("${pids[@]}")
while [ ${#frontier[@]} -gt 0 ]; do
  next=()
  for p in "${frontier[@]}"; do
    for c in $(pgrep -P "$p" || true); do all+=("$c"); next+=("$c"); done
  done
  frontier=("${next[@]+"${next[@]}"}")
done
rss_kb=$(ps -o rss= -p "$(printf '%s,' "${all[@]}" | sed 's/,$//')" | awk '{s+=$1} END {print s}')

echo "warm up to healthy: $(awk -v ms="$warm_ms" 'BEGIN {printf "%.1f", ms/1000}') s (target < 60 s)"
echo "idle memory (RSS of ${#all[@]} processes): $((rss_kb / 1024)) MiB"
node dist/bench/testbed-pods.bench.js "$ADMIN_KUBECONFIG"
echo "(target: pod start median < 2 s)"
