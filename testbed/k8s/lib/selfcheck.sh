# Proves the cluster builds: a kubernetes-driver builder, as the runner account, bootstraps a BuildKit pod
# from the imported image, builds a one-line Dockerfile on the local Python image and pushes it to the
# registry as the pods see it.
K8S_BUILDKITD_CONFIG="$K8S_HOME/buildkitd.toml"

k8s_selfcheck() {
  local builder="$TESTBED_BUILDER-k8s-selfcheck" digest
  printf '[registry."%s"]\n  http = true\n  insecure = true\n' "$K8S_REGISTRY" >"$K8S_BUILDKITD_CONFIG"
  export KUBECONFIG="$K8S_HOME/kubeconfigs/$K8S_RUNNER_ACCOUNT.kubeconfig"
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  docker buildx create --name "$builder" --driver kubernetes \
    --driver-opt "image=$BUILDKIT_IMAGE,namespace=$K8S_NAMESPACE,timeout=300s" \
    --buildkitd-config "$K8S_BUILDKITD_CONFIG" --bootstrap >"$LOGS/k8s-selfcheck.log" 2>&1 ||
    { tail -20 "$LOGS/k8s-selfcheck.log" >&2; k8s_pod_events; docker buildx rm --force "$builder" >/dev/null 2>&1 || true; die "buildx create --driver kubernetes --bootstrap failed"; }
  digest=$(push_and_check "$builder" "$K8S_REGISTRY/python:3.11-slim-local" "$K8S_REGISTRY" testbed/k8s-selfcheck "$LOGS/k8s-selfcheck.log") ||
    { docker buildx rm --force "$builder" >/dev/null 2>&1 || true; die "the self-check build on the kubernetes builder failed"; }
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  unset KUBECONFIG
  log "selfcheck: $(kubectl_admin version 2>/dev/null | tr '\n' ' ')"
  log "selfcheck: pushed $K8S_REGISTRY/testbed/k8s-selfcheck:latest@$digest from a BuildKit pod"
}

k8s_pod_events() {
  kubectl_admin -n "$K8S_NAMESPACE" get pods -o wide >&2 || true
  kubectl_admin -n "$K8S_NAMESPACE" get events --sort-by=.lastTimestamp 2>/dev/null | tail -15 >&2 || true
}
