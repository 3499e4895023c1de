#!/usr/bin/env bash
# The test command: set up, lint, unit tests, then bring the local testbed up (building it on a
# fresh machine), run the cluster tests against it, and tear it down whatever happened.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

results=$(mktemp)
phase_log=$(mktemp)
trap 'rm -f "$results" "$phase_log"' EXIT

# mocha_phase NAME ARGS...: runs mocha, keeps its closing "tests:" line for the total.
mocha_phase() {
  local name=$1; shift
  echo "=== $name"
  set +e
  # Everything stays on stdout, in order, so the overall count printed last is the closing line.
  npx mocha --no-config --reporter ./test/support/summary-reporter.cjs --enable-source-maps "$@" 2>&1 | tee "$phase_log"
  local code=${PIPESTATUS[0]}
  set -e
  grep -E '^tests: ' "$phase_log" >>"$results" || echo "tests: 0 passed, 1 failed, 0 skipped" >>"$results"
  return "$code"
}

status=0
echo "=== lint"
npm run --silent lint || { status=1; echo "tests: 0 passed, 1 failed, 0 skipped" >>"$results"; }
mocha_phase "unit tests" --timeout 20000 'dist/test/unit/**/*.test.js' || status=1
if compgen -G 'dist/test/browser/**/*.test.js' >/dev/null || compgen -G 'dist/test/browser/*.test.js' >/dev/null; then
  mocha_phase "browser tests" --timeout 60000 'dist/test/browser/**/*.test.js' || status=1
fi

echo "=== testbed up"
trap 'echo "=== testbed down"; bash testbed/testbed.sh down || true; rm -f "$results" "$phase_log"' EXIT
if bash testbed/testbed.sh up; then
  export KUBE_ASSAY_TEST_KUBECONFIG=$PWD/.testbed/kubeconfig
  mocha_phase "cluster tests" --timeout 600000 'dist/test/cluster/**/*.test.js' || status=1
else
  echo "testbed did not come up; cluster tests not run" >&2
  status=1
  echo "tests: 0 passed, 1 failed, 0 skipped" >>"$results"
fi

echo "=== testbed down"
bash testbed/testbed.sh down || status=1
trap 'rm -f "$results" "$phase_log"' EXIT
# The overall count is the last line: CI systems read it as the run's closing line.
awk '{p+=$2; f+=$4; s+=$6} END {printf "\n%d passed, %d failed, %d skipped\n", p, f, s}' "$results"
exit $status
