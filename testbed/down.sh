#!/usr/bin/env bash
# Stops the test bed's daemons; keeps what was built and stored under the test bed's home.
. "$(dirname "$0")/lib/common.sh"
. "$TESTBED_DIR/lib/docker.sh"
. "$TESTBED_DIR/lib/registry.sh"
if docker info >/dev/null 2>&1; then
  docker ps -aq --filter 'name=buildx_buildkit_' | xargs -r docker rm -f >/dev/null
fi
registry_down
docker_down
log "test bed stopped (data kept in $TESTBED_HOME)"
