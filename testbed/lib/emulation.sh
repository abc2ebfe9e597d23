# Other architectures. QEMU's user-mode emulators (Debian's qemu-user-static) registered with
# binfmt_misc with the fix-binary flag, so an arm64 program runs in any container, BuildKit's included.
# The Python images and the BuildKit image get arm64 variants (debootstrap --arch arm64, its second stage
# under QEMU; BuildKit cross-compiled by Go), pushed as `<image>-arm64`, and multi-platform indexes of
# both (`<image>-multi`: one tag, linux/amd64 and linux/arm64). An arm64 image is made again when its recipe (this file, images.sh, testbed.env) changed
# or the registry lacks it.
ROOTFS_CACHE_ARM64="$TESTBED_HOME/debootstrap-cache-arm64"

emulation_recipe_hash() {
  cat "$TESTBED_DIR/lib/emulation.sh" "$TESTBED_DIR/lib/images.sh" "$TESTBED_DIR/testbed.env" | sha256sum | cut -c1-16
}

emulation_stamp() { printf '%s/images/%s.stamp' "$TESTBED_HOME" "$(printf '%s' "$1" | tr '/:' '__')"; }

emulated_current() { # emulated_current REF
  local stamp repo tag
  stamp=$(emulation_stamp "$1")
  read -r repo tag < <(ref_parts "$1")
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(emulation_recipe_hash)" ] && registry_has "$repo" "$tag"
}

binfmt_up() {
  if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || die "cannot mount binfmt_misc"
  fi
  [ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64 >>"$LOGS/emulation.log" 2>&1 ||
    die "cannot register qemu-aarch64 with binfmt_misc (see $LOGS/emulation.log)"
  grep -q '^flags: .*F' /proc/sys/fs/binfmt_misc/qemu-aarch64 ||
    die "qemu-aarch64 is registered without the fix-binary flag: containers could not run arm64 programs"
  log "emulation: linux/arm64 through $(awk '/^interpreter/ {print $2}' /proc/sys/fs/binfmt_misc/qemu-aarch64)"
}

# The Python images' arm64 rootfs and image config.
python_rootfs() { rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED; }
PYTHON_CONFIG='ENV LANG=C.UTF-8 PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CMD ["python3"]'

# BuildKit's arm64 image: its binaries cross-compiled, the rest as images.sh makes the amd64 one.
buildkit_rootfs() {
  install -m 0755 "$BIN/buildkit-$BUILDKIT_VERSION-arm64/buildkitd" "$BIN/buildkit-$BUILDKIT_VERSION-arm64/buildctl" "$1/usr/bin/"
  mkdir -p "$1/var/lib/buildkit" "$1/etc/buildkit"
}
BUILDKIT_CONFIG='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
VOLUME /var/lib/buildkit
ENTRYPOINT ["buildkitd"]'

# arm64_image BASE_REF PACKAGES PREPARE CONFIG: BASE_REF-arm64 from an arm64 debootstrap (PREPARE ROOTFS
# adds to it; CONFIG is the Dockerfile's config lines), and BASE_REF-multi, the index of BASE_REF
# (linux/amd64) and it.
arm64_image() {
  local base=$1 packages=$2 prepare=$3 config=$4 arm64="$1-arm64" multi="$1-multi" dir="$TESTBED_HOME/rootfs/arm64" builder="$TESTBED_BUILDER-images"
  if emulated_current "$arm64" && emulated_current "$multi"; then
    log "image: $multi present (linux/amd64, linux/arm64)"
    return 0
  fi
  log "image: making $arm64 with debootstrap --arch arm64 (its second stage runs under QEMU: minutes)"
  rm -rf "$dir"
  mkdir -p "$ROOTFS_CACHE_ARM64" "$dir/rootfs"
  if ! debootstrap --arch=arm64 --variant=minbase --cache-dir="$ROOTFS_CACHE_ARM64" --include="$packages" \
    "$DEBIAN_SUITE" "$dir/rootfs" "$DEBIAN_MIRROR" >"$LOGS/debootstrap-arm64.log" 2>&1; then
    tail -20 "$LOGS/debootstrap-arm64.log" >&2
    die "debootstrap --arch arm64 failed"
  fi
  rm -rf "$dir"/rootfs/var/lib/apt/lists/* "$dir"/rootfs/var/cache/apt/*.bin "$dir"/rootfs/var/cache/apt/archives/*.deb
  "$prepare" "$dir/rootfs"
  trust_machine_cas "$dir/rootfs"
  tar -C "$dir/rootfs" --numeric-owner -cf "$dir/rootfs.tar" .
  rm -rf "$dir/rootfs"
  # `docker import` records amd64 whatever --platform says: BuildKit writes the arm64 image config
  printf 'FROM scratch\nADD rootfs.tar /\n%s\n' "$config" >"$dir/Dockerfile"
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  docker buildx create --name "$builder" --driver docker-container --driver-opt "image=$BUILDKIT_IMAGE,network=host" \
    --buildkitd-config "$TESTBED_DIR/buildkitd.toml" --bootstrap >>"$LOGS/emulation.log" 2>&1 ||
    die "buildx create for the arm64 images failed (see $LOGS/emulation.log)"
  if ! docker buildx build --builder "$builder" --platform linux/arm64 --provenance=false --push --tag "$arm64" "$dir" \
    >>"$LOGS/emulation.log" 2>&1 ||
    ! docker buildx imagetools create --builder "$builder" --tag "$multi" "$base" "$arm64" >>"$LOGS/emulation.log" 2>&1; then
    docker buildx rm --force "$builder" >/dev/null 2>&1 || true
    tail -20 "$LOGS/emulation.log" >&2
    die "pushing $arm64 and $multi failed"
  fi
  docker buildx rm --force "$builder" >/dev/null 2>&1 || true
  rm -rf "$dir"
  mkdir -p "$TESTBED_HOME/images"
  emulation_recipe_hash >"$(emulation_stamp "$arm64")"
  emulation_recipe_hash >"$(emulation_stamp "$multi")"
  log "image: $multi (linux/amd64, linux/arm64)"
}

# BuildKit for linux/arm64, cross-compiled (CGO_ENABLED=0, as the amd64 build).
install_buildkit_arm64() {
  local dir="$BIN/buildkit-$BUILDKIT_VERSION-arm64"
  [ -x "$dir/buildkitd" ] && [ -x "$dir/buildctl" ] ||
    GOOS=linux GOARCH=arm64 build_into "$dir" "BuildKit $BUILDKIT_VERSION for linux/arm64" buildkit_wrapper_build
}

make_emulated_images() {
  binfmt_up
  arm64_image "$PYTHON_SLIM_IMAGE" "$SLIM_PACKAGES" python_rootfs "$PYTHON_CONFIG"
  arm64_image "$PYTHON_BUILD_IMAGE" "$BUILD_PACKAGES" python_rootfs "$PYTHON_CONFIG"
  install_buildkit_arm64
  arm64_image "$BUILDKIT_IMAGE" "$BUILDKIT_PACKAGES" buildkit_rootfs "$BUILDKIT_CONFIG"
  local arch version
  arch=$(docker run --rm --platform linux/arm64 "$PYTHON_SLIM_IMAGE-multi" uname -m 2>>"$LOGS/emulation.log") ||
    die "the arm64 Python image does not run (see $LOGS/emulation.log)"
  [ "$arch" = aarch64 ] || die "the arm64 Python image runs as $arch, not aarch64"
  log "emulation: $PYTHON_SLIM_IMAGE-multi runs as $arch on linux/arm64"
  version=$(docker run --rm --platform linux/arm64 "$BUILDKIT_IMAGE-multi" --version 2>>"$LOGS/emulation.log") ||
    die "the arm64 BuildKit image does not run (see $LOGS/emulation.log)"
  log "emulation: $BUILDKIT_IMAGE-multi on linux/arm64: $version"
}
