#!/usr/bin/env bash
# A single-node Kubernetes cluster for the kubernetes driver's tests (npm run testbed:k8s), on top of
# the default test bed. Idempotent: quick when the cluster runs; a cluster whose daemons stopped is
# started again from a clean state. See docs/testing.md.
. "$(dirname "$0")/../lib/common.sh"
K8S_HOME="$TESTBED_HOME/k8s"
mkdir -p "$K8S_HOME"
for part in lib/docker lib/tools lib/selfcheck k8s/lib/build k8s/lib/pki k8s/lib/containerd k8s/lib/control-plane \
  k8s/lib/node k8s/lib/network k8s/lib/accounts k8s/lib/lifecycle k8s/lib/runner-image k8s/lib/selfcheck; do
  # shellcheck source=/dev/null
  . "$TESTBED_DIR/$part.sh"
done
[ "$(id -u)" = 0 ] || die "the cluster starts daemons and changes the network: run it as root"
# --if-built: start the cluster only where its binaries were built before (npm test); exit 3 otherwise
if [ "${1:-}" = --if-built ] && ! { [ -x "$K8S_BIN/kubelet" ] && [ -x "$ETCD_BIN/etcd" ]; }; then
  exit 3
fi

t0=$SECONDS
step testbed bash "$TESTBED_DIR/up.sh"
step packages install_k8s_packages
step etcd-build install_etcd
step kubernetes-build install_kubernetes
step pki make_pki
step stale clean_stopped_cluster
step network host_address_up
step registry k8s_registry_up
step containerd containerd_up
step images pause_image
step images import_buildkit_image
step images runner_image
component_kubeconfigs
step etcd etcd_up
step apiserver apiserver_up
step network service_route_up
step controllers controllers_up
step kubelet kubelet_up
step accounts accounts_up
step selfcheck k8s_selfcheck
log "cluster up in $((SECONDS - t0))s (kubeconfigs: $K8S_HOME/kubeconfigs)"
