# buildx, BuildKit and nektos/act built from their Go modules at the versions pinned in testbed.env.
# Binaries land in $BIN/<tool>-<version>/; Go's module and build caches make a rebuild quick.
PLUGIN_DIR=/usr/local/lib/docker/cli-plugins

# build_into DIR WHAT COMMAND...: runs COMMAND with $OUT set to a scratch directory that replaces DIR
# when COMMAND succeeds.
build_into() {
  local dir=$1 what=$2; shift 2
  local buildlog="$LOGS/go-build-${dir##*/}.log"
  export OUT="$dir.tmp"
  rm -rf "$OUT"; mkdir -p "$OUT"
  log "$what: building from its Go module"
  if ! "$@" >"$buildlog" 2>&1; then
    tail -20 "$buildlog" >&2
    rm -rf "$OUT"
    die "building $what failed (log: $buildlog)"
  fi
  rm -rf "$dir"
  mv "$OUT" "$dir"
}

go_install() { GOBIN="$OUT" CGO_ENABLED=0 go install "$@"; }

install_buildx() {
  local dir="$BIN/buildx-$BUILDX_VERSION"
  [ -x "$dir/buildx" ] || build_into "$dir" "buildx $BUILDX_VERSION" go_install \
    -ldflags "-X github.com/docker/buildx/version.Version=$BUILDX_VERSION" \
    "github.com/docker/buildx/cmd/buildx@$BUILDX_VERSION"
  mkdir -p "$PLUGIN_DIR"
  cmp -s "$dir/buildx" "$PLUGIN_DIR/docker-buildx" || install -m 0755 "$dir/buildx" "$PLUGIN_DIR/docker-buildx"
  log "buildx: $(docker buildx version)"
}

# wrapper_module NAME MODULE VERSION: writes $TESTBED_HOME/src/NAME-VERSION/go.mod, a module that requires
# MODULE@VERSION with MODULE's own go line, and prints the path of MODULE's go.mod (callers add their
# replaces, excludes or godebug lines to the wrapper's go.mod).
wrapper_module() {
  local name=$1 module=$2 version=$3 src gomod
  src="$TESTBED_HOME/src/$name-$version"
  gomod=$(go mod download -json "$module@$version" | jq -r .GoMod)
  mkdir -p "$src"
  { echo "module wheelhouse-testbed/$name"; grep -m1 '^go ' "$gomod"; echo "require $module $version"; } >"$src/go.mod"
  printf '%s\n' "$gomod"
}

# BuildKit's go.mod has an exclude block, which `go install …@version` refuses: build it in a small
# wrapper module that requires it and repeats its excludes, so the build list matches upstream's.
buildkit_wrapper_build() {
  local src="$TESTBED_HOME/src/buildkit-$BUILDKIT_VERSION" gomod
  gomod=$(wrapper_module buildkit github.com/moby/buildkit "$BUILDKIT_VERSION")
  sed -n '/^exclude (/,/^)/p' "$gomod" >>"$src/go.mod"
  (cd "$src" && CGO_ENABLED=0 go build -mod=mod -o "$OUT/" \
    -tags "osusergo netgo static_build seccomp" \
    -ldflags "-X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION" \
    github.com/moby/buildkit/cmd/buildkitd github.com/moby/buildkit/cmd/buildctl)
}

install_buildkit() {
  local dir="$BIN/buildkit-$BUILDKIT_VERSION"
  [ -x "$dir/buildkitd" ] && [ -x "$dir/buildctl" ] ||
    build_into "$dir" "BuildKit $BUILDKIT_VERSION" buildkit_wrapper_build
  log "buildkit: $("$dir/buildctl" --version)"
}

install_act() {
  local dir="$BIN/act-$ACT_VERSION"
  [ -x "$dir/act" ] || build_into "$dir" "act $ACT_VERSION" go_install \
    -ldflags "-X main.version=$ACT_VERSION" "github.com/nektos/act@$ACT_VERSION"
  ln -sfn "$dir/act" "$BIN/act"
  log "act: $("$BIN/act" --version)"
}
