# A containerd of the cluster's own (Debian's containerd, beside the one Docker runs) with its CRI plugin:
# its own root, state and socket; the runc wrapper of the Docker test bed as its runtime (privileged
# containers ask for CAP_SYS_RESOURCE, which the sandbox's bounding set lacks); cgroupfs, as the kubelet;
# oom_score_adj only raised; CNI from Debian's containernetworking-plugins. Images are imported, never pulled.
CONTAINERD_SOCK="$RUN/containerd-k8s.sock"
CONTAINERD_CONFIG="$K8S_HOME/containerd.toml"
PAUSE_IMAGE=wheelhouse-testbed.local/pause:3.10
CNI_CONF_DIR="$K8S_HOME/cni/net.d"
CNI_BRIDGE=whtb0

k8s_ctr() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }

write_containerd_config() {
  mkdir -p "$CNI_CONF_DIR" "$K8S_HOME/containerd"
  cat >"$CONTAINERD_CONFIG" <<TOML
version = 2
root = "$K8S_HOME/containerd/root"
state = "$K8S_HOME/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]

[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        BinaryName = "$RUNC_WRAPPER"
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CNI_CONF_DIR"
TOML
  # One bridge; pods reach the outside through the host (masquerade) and the host's own addresses.
  cat >"$CNI_CONF_DIR/10-wheelhouse.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "wheelhouse-testbed",
  "plugins": [
    {
      "type": "bridge", "bridge": "$CNI_BRIDGE", "isGateway": true, "ipMasq": true, "hairpinMode": true,
      "ipam": {
        "type": "host-local", "dataDir": "$K8S_HOME/cni/ipam",
        "ranges": [[{"subnet": "$K8S_POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]
      }
    },
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
JSON
}

containerd_up() {
  write_containerd_config
  if daemon_running containerd-k8s && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1; then
    log "containerd: running ($CONTAINERD_SOCK)"
    return 0
  fi
  log "containerd: starting (log: $LOGS/containerd-k8s.log)"
  start_daemon containerd-k8s "$LOGS/containerd-k8s.log" containerd --config "$CONTAINERD_CONFIG"
  wait_for 60 containerd ctr --address "$CONTAINERD_SOCK" version
}

# The sandbox ("pause") image, compiled from the Kubernetes module's own pause.c.
pause_image() {
  k8s_ctr images check "name==$PAUSE_IMAGE" 2>/dev/null | grep -q "$PAUSE_IMAGE" && return 0
  local dir src
  dir=$(mktemp -d)
  src="$(go env GOMODCACHE)/k8s.io/kubernetes@$KUBERNETES_VERSION/build/pause/linux/pause.c"
  [ -f "$src" ] || go mod download "k8s.io/kubernetes@$KUBERNETES_VERSION"
  mkdir -p "$dir/rootfs"
  gcc -Os -Wall -Werror -static -DVERSION="$KUBERNETES_VERSION-testbed" -o "$dir/rootfs/pause" "$src"
  tar -C "$dir/rootfs" -c pause | docker import --change 'ENTRYPOINT ["/pause"]' --change 'USER 65535:65535' - "$PAUSE_IMAGE" >/dev/null
  docker save "$PAUSE_IMAGE" -o "$dir/pause.tar"
  k8s_ctr images import "$dir/pause.tar" >/dev/null
  docker rmi "$PAUSE_IMAGE" >/dev/null
  rm -rf "$dir"
  log "containerd: imported $PAUSE_IMAGE"
}

# The BuildKit image of the test bed, imported so that the kubelet never pulls it.
import_buildkit_image() {
  local want have
  want=$(docker image inspect --format '{{.Id}}' "$BUILDKIT_IMAGE" 2>/dev/null || true)
  if [ -z "$want" ]; then
    docker pull -q "$BUILDKIT_IMAGE" >/dev/null
    want=$(docker image inspect --format '{{.Id}}' "$BUILDKIT_IMAGE")
  fi
  have=$(k8s_ctr images ls "name==$BUILDKIT_IMAGE" 2>/dev/null | awk 'NR > 1 {print $3}')
  local stamp="$K8S_HOME/buildkit-image.id"
  if [ -n "$have" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
    log "containerd: $BUILDKIT_IMAGE present"
    return 0
  fi
  docker save "$BUILDKIT_IMAGE" | k8s_ctr images import - >/dev/null
  echo "$want" >"$stamp"
  log "containerd: imported $BUILDKIT_IMAGE"
}
