#!/usr/bin/env bash
# Makes the lock-file fixtures of __fixtures__/locks with the real tools, from PyPI, at the versions
# below: each project's lock file, and `installs.txt`, what that tool itself installs for the project's
# default group (its own export), and `hashes.txt`, the same export with the hashes the tool would have
# pip check. `__tests__/testbed/lock-oracle.test.ts` checks the action's reading of each lock against
# them. Run it by hand when a tool or a fixture changes (needs PyPI; about 2 minutes), and commit what it
# writes. `--exports-only` keeps the lock files as they are and writes the exports again.
set -euo pipefail
cd "$(dirname "$0")/../__fixtures__/locks"
relock=true
[ "${1:-}" = --exports-only ] && relock=false
tools=$(mktemp -d)
trap 'rm -rf "$tools"' EXIT

venv() { # venv <name> <packages...>
  python3 -m venv "$tools/$1"
  "$tools/$1/bin/pip" install --quiet --disable-pip-version-check "${@:2}"
}

echo "==> installing uv, poetry 1.8, poetry 2, pdm and pipenv"
venv uv 'uv==0.13.9'
venv poetry18 'poetry==1.8.5'
venv poetry2 'poetry==2.5.1' 'poetry-plugin-export==1.10.0'
venv pdm 'pdm==2.29.4' 'hishel[httpx2]==1.4.0'
venv pipenv 'pipenv==2026.10.3'

strip() { grep -v '^\s*#' | grep -v '^\s*$' | grep -v '^-' | sed 's/ *\\$//' | sort; }
# the export with hashes, one logical line per package (continuation lines joined)
hashed() { sed -e ':a' -e '/\\$/N; s/ *\\\n */ /; ta' | grep -v '^\s*#' | grep -v '^\s*$' | grep -v '^-' | sort; }
lock() { if $relock; then rm -f "$1" && "${@:2}"; fi; }

echo "==> uv"
(cd uv && lock uv.lock "$tools/uv/bin/uv" lock --quiet &&
  "$tools/uv/bin/uv" export --quiet --frozen --no-dev --no-hashes --no-emit-project --format requirements-txt | strip > installs.txt &&
  "$tools/uv/bin/uv" export --quiet --frozen --no-dev --no-emit-project --format requirements-txt | hashed > hashes.txt)

echo "==> poetry 1.8"
(cd poetry-1.8 && export POETRY_WARNINGS_EXPORT=false && lock poetry.lock "$tools/poetry18/bin/poetry" lock --quiet &&
  "$tools/poetry18/bin/poetry" export --only main --without-hashes 2>/dev/null | strip > installs.txt &&
  "$tools/poetry18/bin/poetry" export --only main 2>/dev/null | hashed > hashes.txt)

echo "==> poetry 2"
(cd poetry-2 && lock poetry.lock "$tools/poetry2/bin/poetry" lock --quiet &&
  "$tools/poetry2/bin/poetry" export --only main --without-hashes | strip > installs.txt &&
  "$tools/poetry2/bin/poetry" export --only main | hashed > hashes.txt)

echo "==> pdm"
(cd pdm && lock pdm.lock "$tools/pdm/bin/pdm" lock --quiet 2>/dev/null &&
  "$tools/pdm/bin/pdm" export --prod --no-hashes --format requirements 2>/dev/null | strip > installs.txt &&
  "$tools/pdm/bin/pdm" export --prod --format requirements 2>/dev/null | hashed > hashes.txt)

echo "==> pipenv"
(cd pipenv && export PIPENV_VENV_IN_PROJECT=1 PIPENV_IGNORE_VIRTUALENVS=1 && lock Pipfile.lock "$tools/pipenv/bin/pipenv" lock >/dev/null 2>&1 &&
  "$tools/pipenv/bin/pipenv" requirements 2>/dev/null | strip > installs.txt &&
  "$tools/pipenv/bin/pipenv" requirements --hash 2>/dev/null | hashed > hashes.txt && rm -rf .venv)

wc -l */installs.txt */hashes.txt
