# Proves the cluster builds: a kubernetes-driver builder, as the runner account, bootstraps a BuildKit pod
# from the imported image, builds a one-line Dockerfile on the local Python image and pushes it to the
# registry as the pods see it.
K8S_BUILDKITD_CONFIG="$K8S_HOME/buildkitd.toml"

k8s_selfcheck() {
  local builder="$TESTBED_BUILDER-k8s-selfcheck" dir digest served
  printf '[registry."%s"]\n  http = true\n  insecure = true\n' "$K8S_REGISTRY" >"$K8S_BUILDKITD_CONFIG"
  dir=$(mktemp -d)
  export KUBECONFIG="$K8S_HOME/kubeconfigs/$K8S_RUNNER_ACCOUNT.kubeconfig"
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  docker buildx create --name "$builder" --driver kubernetes \
    --driver-opt "image=$BUILDKIT_IMAGE,namespace=$K8S_NAMESPACE,timeout=300s" \
    --buildkitd-config "$K8S_BUILDKITD_CONFIG" --bootstrap >"$LOGS/k8s-selfcheck.log" 2>&1 ||
    { tail -20 "$LOGS/k8s-selfcheck.log" >&2; k8s_pod_events; docker buildx rm --force "$builder" >/dev/null 2>&1 || true; die "buildx create --driver kubernetes --bootstrap failed"; }
  printf 'FROM %s/python:3.11-slim-local\nRUN python3 -c "import sys; print(sys.version)" > /python-version\n' \
    "$K8S_REGISTRY" >"$dir/Dockerfile"
  docker buildx build --builder "$builder" --push --provenance=false \
    --tag "$K8S_REGISTRY/testbed/k8s-selfcheck:latest" --metadata-file "$dir/metadata.json" "$dir" \
    >>"$LOGS/k8s-selfcheck.log" 2>&1 ||
    { tail -30 "$LOGS/k8s-selfcheck.log" >&2; docker buildx rm --force "$builder" >/dev/null 2>&1 || true; die "buildx build --push on the kubernetes builder failed"; }
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  unset KUBECONFIG
  digest=$(jq -r '."containerimage.digest"' "$dir/metadata.json")
  served=$(curl -fsSI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$K8S_REGISTRY/v2/testbed/k8s-selfcheck/manifests/latest" | tr -d '\r' |
    awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}')
  rm -rf "$dir"
  [ "$digest" = "$served" ] || die "pushed digest $digest but the registry serves '$served'"
  log "selfcheck: $(kubectl_admin version 2>/dev/null | tr '\n' ' ')"
  log "selfcheck: pushed $K8S_REGISTRY/testbed/k8s-selfcheck:latest@$digest from a BuildKit pod"
}

k8s_pod_events() {
  kubectl_admin -n "$K8S_NAMESPACE" get pods -o wide >&2 || true
  kubectl_admin -n "$K8S_NAMESPACE" get events --sort-by=.lastTimestamp 2>/dev/null | tail -15 >&2 || true
}
