# The node: a kubelet named $K8S_NODE_NAME on the cluster's containerd, with cgroupfs (containerd 1.6
# cannot report its cgroup driver), cgroup v1 allowed, and image garbage collection and eviction off
# so that the imported images stay.
KUBELET_DIR="$K8S_HOME/kubelet"

write_kubelet_config() {
  mkdir -p "$KUBELET_DIR"
  cat >"$K8S_HOME/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
address: 127.0.0.1
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
oomScoreAdj: 0
resolvConf: /etc/resolv.conf
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: "0%", nodefs.available: "0%", nodefs.inodesFree: "0%", imagefs.available: "0%"}
serializeImagePulls: false
YAML
}

kubelet_up() {
  write_kubelet_config
  start_once kubelet "$K8S_BIN/kubelet" --config "$K8S_HOME/kubelet.yaml" \
    --kubeconfig "$K8S_HOME/kubeconfigs/kubelet.kubeconfig" --hostname-override "$K8S_NODE_NAME" \
    --root-dir "$KUBELET_DIR" --cert-dir "$KUBELET_DIR/pki"
  wait_for 180 "the node $K8S_NODE_NAME (Ready)" node_ready
}

node_ready() {
  [ "$(kubectl_admin get node "$K8S_NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}
