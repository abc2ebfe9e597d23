# Proves the test bed works end to end: a docker-container builder from the local BuildKit image builds
# a one-line Dockerfile on the local Python image and pushes it to the local registry.
selfcheck() {
  local builder="$TESTBED_BUILDER-selfcheck" dir digest served
  dir=$(mktemp -d)
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  docker buildx create --name "$builder" --driver docker-container \
    --driver-opt "image=$BUILDKIT_IMAGE,network=host" \
    --buildkitd-config "$TESTBED_DIR/buildkitd.toml" --bootstrap >"$LOGS/selfcheck.log" 2>&1 ||
    { tail -20 "$LOGS/selfcheck.log" >&2; die "buildx create --bootstrap failed"; }
  printf 'FROM %s\nRUN python3 -c "import sys; print(sys.version)" > /python-version\n' \
    "$PYTHON_SLIM_IMAGE" >"$dir/Dockerfile"
  docker buildx build --builder "$builder" --push --provenance=false \
    --tag "$REGISTRY/testbed/selfcheck:latest" --metadata-file "$dir/metadata.json" "$dir" \
    >>"$LOGS/selfcheck.log" 2>&1 ||
    { tail -30 "$LOGS/selfcheck.log" >&2; docker buildx rm --force "$builder" >/dev/null 2>&1 || true; die "buildx build --push failed"; }
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  digest=$(jq -r '."containerimage.digest"' "$dir/metadata.json")
  served=$(curl -fsSI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$REGISTRY/v2/testbed/selfcheck/manifests/latest" | tr -d '\r' |
    awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}')
  rm -rf "$dir"
  [ "$digest" = "$served" ] || die "pushed digest $digest but the registry serves '$served'"
  log "selfcheck: $(docker buildx version)"
  log "selfcheck: BuildKit $("$BIN/buildkit-$BUILDKIT_VERSION/buildkitd" --version)"
  log "selfcheck: pushed $REGISTRY/testbed/selfcheck:latest@$digest"
}
