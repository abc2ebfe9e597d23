# Base images made locally (no public registry is reachable): Debian root filesystems from debootstrap,
# imported into Docker and pushed to the local registry. An image is made again when its recipe (this
# file and testbed.env) changed or the registry lacks it.
ROOTFS_CACHE="$TESTBED_HOME/debootstrap-cache"
SLIM_PACKAGES=python3,python3-pip,python3-venv,python-is-python3,ca-certificates,libpq5
BUILD_PACKAGES=$SLIM_PACKAGES,build-essential,python3-dev,libpq-dev,git
BUILDKIT_PACKAGES=runc,ca-certificates,git,pigz,xz-utils

recipe_hash() {
  cat "$TESTBED_DIR/lib/images.sh" "$TESTBED_DIR/testbed.env" | sha256sum | cut -c1-16
}

image_current() { # image_current REF
  local stamp="$TESTBED_HOME/images/$(printf '%s' "$1" | tr '/:' '__').stamp" repo tag
  read -r repo tag < <(ref_parts "$1")
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(recipe_hash)" ] && registry_has "$repo" "$tag"
}

mark_current() { # mark_current REF
  mkdir -p "$TESTBED_HOME/images"
  recipe_hash >"$TESTBED_HOME/images/$(printf '%s' "$1" | tr '/:' '__').stamp"
}

debootstrap_into() { # debootstrap_into DIR PACKAGES
  local dir=$1 packages=$2
  rm -rf "$dir"
  mkdir -p "$ROOTFS_CACHE"
  if ! debootstrap --variant=minbase --cache-dir="$ROOTFS_CACHE" --include="$packages" \
    "$DEBIAN_SUITE" "$dir" "$DEBIAN_MIRROR" >"$LOGS/debootstrap.log" 2>&1; then
    tail -20 "$LOGS/debootstrap.log" >&2
    die "debootstrap of $dir failed"
  fi
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb
  trust_machine_cas "$dir"
}

# This machine's own CA certificates (e.g. those of a TLS-intercepting egress proxy) are trusted in the
# images too, or nothing in them could reach PyPI over HTTPS.
trust_machine_cas() { # trust_machine_cas ROOTFS
  local dir=$1
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$dir/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$dir/usr/local/share/ca-certificates/"
  fi
  if [ -f /etc/ssl/certs/ca-certificates.crt ] && [ -d "$dir/etc/ssl/certs" ]; then
    cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
  fi
}

import_and_push() { # import_and_push DIR REF [--change ...]
  local dir=$1 ref=$2; shift 2
  tar -C "$dir" --numeric-owner -c . | docker import "$@" - "$ref" >/dev/null
  docker push -q "$ref" >/dev/null
  rm -rf "$dir"
  mark_current "$ref"
}

python_image() { # python_image REF PACKAGES
  local ref=$1 packages=$2 dir="$TESTBED_HOME/rootfs/python"
  if image_current "$ref"; then
    log "image: $ref present"
    return 0
  fi
  log "image: making $ref with debootstrap"
  debootstrap_into "$dir" "$packages"
  # Like the official python images: pip installs into the system interpreter.
  rm -f "$dir"/usr/lib/python3*/EXTERNALLY-MANAGED
  import_and_push "$dir" "$ref" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["python3"]'
}

buildkit_image() {
  local ref=$BUILDKIT_IMAGE dir="$TESTBED_HOME/rootfs/buildkit"
  if image_current "$ref"; then
    log "image: $ref present"
    return 0
  fi
  log "image: making $ref"
  debootstrap_into "$dir" "$BUILDKIT_PACKAGES"
  install -m 0755 "$BIN/buildkit-$BUILDKIT_VERSION/buildkitd" "$BIN/buildkit-$BUILDKIT_VERSION/buildctl" "$dir/usr/bin/"
  mkdir -p "$dir/var/lib/buildkit" "$dir/etc/buildkit"
  import_and_push "$dir" "$ref" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'VOLUME /var/lib/buildkit' \
    --change 'ENTRYPOINT ["buildkitd"]'
}

make_images() {
  python_image "$PYTHON_SLIM_IMAGE" "$SLIM_PACKAGES"
  python_image "$PYTHON_BUILD_IMAGE" "$BUILD_PACKAGES"
  buildkit_image
}
