# The control plane on 127.0.0.1: etcd (plain HTTP on loopback), kube-apiserver, kube-controller-manager
# and kube-scheduler. No kube-proxy, no cluster DNS: the BuildKit pods need neither.
K8S_API="https://127.0.0.1:$K8S_API_PORT"
ADMIN_KUBECONFIG="$K8S_HOME/kubeconfigs/admin.kubeconfig"

kubectl_admin() { "$K8S_BIN/kubectl" --kubeconfig "$ADMIN_KUBECONFIG" "$@"; }

# start_once NAME COMMAND...: starts a daemon of the cluster unless it runs.
start_once() {
  local name=$1; shift
  if daemon_running "$name"; then
    log "$name: running"
    return 0
  fi
  log "$name: starting (log: $LOGS/$name.log)"
  start_daemon "$name" "$LOGS/$name.log" "$@"
}

etcd_up() {
  start_once etcd "$ETCD_BIN/etcd" --name testbed --data-dir "$K8S_HOME/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster testbed=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
    --quota-backend-bytes 2147483648 --log-level warn
  wait_for 60 etcd curl -fsS http://127.0.0.1:2381/health
}

apiserver_up() {
  start_once kube-apiserver "$K8S_BIN/kube-apiserver" \
    --etcd-servers http://127.0.0.1:2379 \
    --bind-address 0.0.0.0 --secure-port "$K8S_API_PORT" --advertise-address "$K8S_HOST_IP" \
    --endpoint-reconciler-type none \
    --service-cluster-ip-range "$K8S_SERVICE_CIDR" \
    --client-ca-file "$PKI/ca.crt" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" \
    --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
    --authorization-mode Node,RBAC --allow-privileged=true --profiling=false
  wait_for 120 kube-apiserver curl -fsS --cacert "$PKI/ca.crt" "$K8S_API/readyz"
}

controllers_up() {
  start_once kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig "$K8S_HOME/kubeconfigs/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$K8S_HOME/kubeconfigs/controller-manager.kubeconfig" \
    --authorization-kubeconfig "$K8S_HOME/kubeconfigs/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key"
  start_once kube-scheduler "$K8S_BIN/kube-scheduler" \
    --kubeconfig "$K8S_HOME/kubeconfigs/scheduler.kubeconfig" \
    --authentication-kubeconfig "$K8S_HOME/kubeconfigs/scheduler.kubeconfig" \
    --authorization-kubeconfig "$K8S_HOME/kubeconfigs/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --leader-elect=false
  wait_for 60 "the default ServiceAccount" kubectl_admin -n default get serviceaccount default
}

component_kubeconfigs() {
  mkdir -p "$K8S_HOME/kubeconfigs"
  write_kubeconfig "$ADMIN_KUBECONFIG" admin
  write_kubeconfig "$K8S_HOME/kubeconfigs/controller-manager.kubeconfig" controller-manager
  write_kubeconfig "$K8S_HOME/kubeconfigs/scheduler.kubeconfig" scheduler
  write_kubeconfig "$K8S_HOME/kubeconfigs/kubelet.kubeconfig" kubelet
}
