# Starting from a clean state and stopping: the daemons of the cluster, in the order they stop.
K8S_DAEMONS=(kubelet kube-scheduler kube-controller-manager kube-apiserver etcd containerd-k8s registry-k8s)
K8S_PACKAGES=(containerd containernetworking-plugins iptables openssl gcc libc6-dev)

install_k8s_packages() {
  local missing=() p
  for p in "${K8S_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && { log "packages: present"; return 0; }
  log "packages: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
    >"$LOGS/apt-k8s.log" 2>&1 || { tail -20 "$LOGS/apt-k8s.log" >&2; die "apt-get install failed"; }
}

# Pod sandboxes and volumes leave mounts under the cluster's folders; they go before the folders do.
unmount_under() { # unmount_under DIR
  local m
  awk -v d="$1/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
}

stop_cluster() {
  local d
  for d in "${K8S_DAEMONS[@]}"; do stop_daemon "$d"; done
  # the pods' containers outlive the kubelet: their shims belong to the cluster's containerd
  pkill -f "containerd-shim-runc-v2 -namespace k8s.io -address $RUN/containerd-k8s.sock" 2>/dev/null || true
  unmount_under "$K8S_HOME"
  # the pods' network namespaces (the cluster's containerd is the only CRI runtime here)
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '/^cni-/ {print $1}'); do ip netns delete "$ns" 2>/dev/null || true; done
}

# A cluster whose API server is not running is started from scratch (etcd, kubelet and containerd state
# cleared; images and certificates kept), so that nothing of an earlier run is in the way.
clean_stopped_cluster() {
  if daemon_running kube-apiserver && daemon_running kubelet; then
    log "stale: the cluster runs"
    return 0
  fi
  stop_cluster
  rm -rf "$K8S_HOME/etcd" "$K8S_HOME/kubelet" "$K8S_HOME/containerd/state" "$K8S_HOME/cni/ipam"
  log "stale: cleared the state of an earlier run"
}
