#!/usr/bin/env bash
# Stops the single-node cluster (npm run testbed:k8s:down); its state is cleared at the next start.
. "$(dirname "$0")/../lib/common.sh"
K8S_HOME="$TESTBED_HOME/k8s"
# shellcheck source=/dev/null
. "$TESTBED_DIR/k8s/lib/lifecycle.sh"
stop_cluster
log "cluster stopped"
