# Proves the test bed works end to end: a docker-container builder from the local BuildKit image builds
# a one-line Dockerfile on the local Python image and pushes it to the local registry.

# push_and_check BUILDER BASE REGISTRY REPO LOGFILE: builds a one-line Dockerfile on BASE with BUILDER,
# pushes it as REGISTRY/REPO:latest, checks that the registry serves the digest buildx reported, and
# prints that digest. Returns non-zero (with the reason on stderr) otherwise.
push_and_check() {
  local builder=$1 base=$2 registry=$3 repo=$4 logfile=$5 dir digest served
  dir=$(mktemp -d)
  printf 'FROM %s\nRUN python3 -c "import sys; print(sys.version)" > /python-version\n' "$base" >"$dir/Dockerfile"
  if ! docker buildx build --builder "$builder" --push --provenance=false \
    --tag "$registry/$repo:latest" --metadata-file "$dir/metadata.json" "$dir" >>"$logfile" 2>&1; then
    tail -30 "$logfile" >&2
    rm -rf "$dir"
    echo "buildx build --push on $builder failed" >&2
    return 1
  fi
  digest=$(jq -r '."containerimage.digest"' "$dir/metadata.json")
  served=$(curl -fsSI -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$registry/v2/$repo/manifests/latest" | tr -d '\r' |
    awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}')
  rm -rf "$dir"
  if [ "$digest" != "$served" ]; then
    echo "pushed digest $digest but the registry serves '$served'" >&2
    return 1
  fi
  printf '%s\n' "$digest"
}

selfcheck() {
  local builder="$TESTBED_BUILDER-selfcheck" digest
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  docker buildx create --name "$builder" --driver docker-container \
    --driver-opt "image=$BUILDKIT_IMAGE,network=host" \
    --buildkitd-config "$TESTBED_DIR/buildkitd.toml" --bootstrap >"$LOGS/selfcheck.log" 2>&1 ||
    { tail -20 "$LOGS/selfcheck.log" >&2; die "buildx create --bootstrap failed"; }
  digest=$(push_and_check "$builder" "$PYTHON_SLIM_IMAGE" "$REGISTRY" testbed/selfcheck "$LOGS/selfcheck.log") ||
    { docker buildx rm --force "$builder" >/dev/null 2>&1 || true; die "the self-check build failed"; }
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  log "selfcheck: $(docker buildx version)"
  log "selfcheck: BuildKit $("$BIN/buildkit-$BUILDKIT_VERSION/buildkitd" --version)"
  log "selfcheck: pushed $REGISTRY/testbed/selfcheck:latest@$digest"
}
