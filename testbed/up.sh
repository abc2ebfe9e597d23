#!/usr/bin/env bash
# Installs and starts the test bed; quick when everything is already there. See docs/testing.md.
. "$(dirname "$0")/lib/common.sh"
for part in packages docker registry tools images emulation selfcheck; do
  # shellcheck source=/dev/null
  . "$TESTBED_DIR/lib/$part.sh"
done
[ "$(id -u)" = 0 ] || die "the test bed installs packages and starts daemons: run it as root"
command -v go >/dev/null || die "Go is needed to build buildx, BuildKit and act"

t0=$SECONDS
step packages install_packages
step docker docker_up
step registry registry_up
step buildx install_buildx
step buildkit install_buildkit
step act install_act
step images make_images
step emulation make_emulated_images
step selfcheck selfcheck
log "test bed up in $((SECONDS - t0))s (home: $TESTBED_HOME)"
