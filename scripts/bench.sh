#!/usr/bin/env bash
# `npm run bench -- [--runs N] [--out FILE] [--scenarios …] [--approaches …]`: the benchmark on the test bed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash testbed/up.sh
exec node_modules/.bin/tsx bench/bench.ts "$@"
