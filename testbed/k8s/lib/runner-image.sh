# The runner pod's image (runner.Dockerfile): the test bed's slim Python image with this machine's node,
# Debian's Docker CLI and the buildx plugin, built by Docker's classic builder and imported into the
# cluster's containerd. Made again when what goes into it changes.
RUNNER_IMAGE_REPO=wheelhouse-testbed.local/runner

runner_image_tag() {
  {
    cat "$TESTBED_DIR/k8s/runner.Dockerfile"
    sha256sum "$(readlink -f "$(command -v node)")" /usr/bin/docker "$PLUGIN_DIR/docker-buildx" | cut -d' ' -f1
    echo "$PYTHON_SLIM_IMAGE"
  } | sha256sum | cut -c1-12
}

runner_image() {
  local ref dir
  ref="$RUNNER_IMAGE_REPO:$(runner_image_tag)"
  echo "$ref" >"$K8S_HOME/runner-image"
  if k8s_ctr images ls -q "name==$ref" 2>/dev/null | grep -q .; then
    log "runner image: $ref present"
    return 0
  fi
  dir=$(mktemp -d)
  cp "$(readlink -f "$(command -v node)")" "$dir/node"
  cp /usr/bin/docker "$dir/docker"
  cp "$PLUGIN_DIR/docker-buildx" "$dir/docker-buildx"
  DOCKER_BUILDKIT=0 docker build -q --network host --build-arg "BASE=$PYTHON_SLIM_IMAGE" \
    -f "$TESTBED_DIR/k8s/runner.Dockerfile" -t "$ref" "$dir" >"$LOGS/runner-image.log" 2>&1 ||
    { tail -20 "$LOGS/runner-image.log" >&2; rm -rf "$dir"; die "building the runner image failed"; }
  docker save "$ref" | k8s_ctr images import - >/dev/null
  docker rmi "$ref" >/dev/null
  rm -rf "$dir"
  log "runner image: imported $ref"
}
