#!/usr/bin/env bash
# `npm test`: brings the test bed up (idempotent, quick when present), checks types, the lint (style
# and import cycles) and dist/, then runs the unit suite, the test bed suite and the kubernetes suite.
# Ends with one line: "N passed, N failed".
# The kubernetes suite needs the single-node cluster: it runs when the cluster is up, or when its
# binaries were built on this machine (`npm run testbed:k8s` once; the cluster then starts in a minute).
set -euo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund

bash testbed/up.sh
npm run -s build
npm run -s lint

npm run -s package
if git rev-parse --git-dir >/dev/null 2>&1 && ! git diff --quiet -- dist; then
  git diff --stat -- dist
  echo "dist/ is not what 'npm run package' makes of src/: rebuild it and commit" >&2
  exit 1
fi

results=$(mktemp -d)
status=0
jest() { node --experimental-vm-modules node_modules/jest/bin/jest.js "$@"; }
jest --selectProjects unit --json --outputFile "$results/unit.json" || status=1
jest --selectProjects testbed --runInBand --json --outputFile "$results/testbed.json" || status=1
reports=("$results/unit.json" "$results/testbed.json")
k8s=0
bash testbed/k8s/up.sh --if-built || k8s=$?
case $k8s in
  0)
    jest --selectProjects k8s --runInBand --json --outputFile "$results/k8s.json" || status=1
    reports+=("$results/k8s.json") ;;
  3) echo "kubernetes suite: skipped (no cluster on this machine: 'npm run testbed:k8s' builds and starts it)" ;;
  *) echo "kubernetes suite: the cluster did not come up (exit $k8s)" >&2; status=1; reports+=("$results/k8s-missing.json") ;;
esac
node -e '
  let passed = 0, failed = 0;
  for (const f of process.argv.slice(1)) {
    try { const r = require(f); passed += r.numPassedTests; failed += r.numFailedTests + r.numRuntimeErrorTestSuites; }
    catch { failed += 1; }
  }
  console.log(`${passed} passed, ${failed} failed`);
' "${reports[@]}"
rm -rf "$results"
exit $status
