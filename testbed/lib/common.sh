# Shared helpers for the test bed scripts. Sourced, never run.
set -euo pipefail

TESTBED_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=../testbed.env
set -a; . "$TESTBED_DIR/testbed.env"; set +a
TESTBED_HOME=${WHEELHOUSE_TESTBED_HOME:-/var/lib/wheelhouse-testbed}
BIN="$TESTBED_HOME/bin"
LOGS="$TESTBED_HOME/logs"
RUN="$TESTBED_HOME/run"
mkdir -p "$BIN" "$LOGS" "$RUN"

log() { printf '==> %s\n' "$*"; }
warn() { printf 'testbed: %s\n' "$*" >&2; }
die() { printf 'testbed: error: %s\n' "$*" >&2; exit 1; }

# step NAME FUNCTION: runs FUNCTION and reports how long it took.
step() {
  local name=$1; shift
  local t0=$SECONDS
  "$@"
  log "$name: $((SECONDS - t0))s"
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND once a second.
wait_for() {
  local limit=$1 what=$2; shift 2
  local i
  for ((i = 0; i < limit; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "$what did not come up within ${limit}s"
}

# start_daemon NAME LOGFILE COMMAND...: starts COMMAND detached, records its pid in $RUN/NAME.pid.
start_daemon() {
  local name=$1 logfile=$2; shift 2
  setsid nohup "$@" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}

# daemon_running NAME: whether what start_daemon started still runs.
daemon_running() {
  local pidfile="$RUN/$1.pid"
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# stop_daemon NAME: stops what start_daemon started, if it still runs.
stop_daemon() {
  local pidfile="$RUN/$1.pid" pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

registry_has() { # registry_has REPO TAG
  curl -fsS -o /dev/null \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.index.v1+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$REGISTRY/v2/$1/manifests/$2"
}

# Splits an image reference on the local registry into "repo tag".
ref_parts() {
  local rest=${1#"$REGISTRY"/}
  printf '%s %s\n' "${rest%:*}" "${rest##*:}"
}
