# Kubernetes' control plane, kubelet and kubectl, and etcd, built from their Go modules at the versions
# pinned in testbed.env. Both modules replace their sibling modules with paths the module zips leave
# out, which `go install …@version` refuses: each is built in a small wrapper module that requires it
# (and, for Kubernetes, replaces each staging module with its published v0.<minor>.<patch>).
K8S_BIN="$BIN/kubernetes-$KUBERNETES_VERSION"
ETCD_BIN="$BIN/etcd-$ETCD_VERSION"
K8S_COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl)

kubernetes_wrapper_build() {
  local src="$TESTBED_HOME/src/kubernetes-$KUBERNETES_VERSION" gomod staging minor patch pkg ldflags=()
  gomod=$(wrapper_module kubernetes k8s.io/kubernetes "$KUBERNETES_VERSION")
  IFS=. read -r _ minor patch <<<"${KUBERNETES_VERSION#v}"
  staging=$(sed -n 's#^[[:space:]]*\(k8s.io/[^ ]*\) => ./staging/.*#\1#p' "$gomod")
  {
    grep -m1 '^godebug ' "$gomod" || true
    for m in $staging; do echo "replace $m => $m v0.$minor.$patch"; done
  } >>"$src/go.mod"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=("-X $pkg.gitVersion=$KUBERNETES_VERSION" "-X $pkg.gitMajor=1" "-X $pkg.gitMinor=$minor"
      "-X $pkg.gitTreeState=clean" "-X $pkg.buildDate=1970-01-01T00:00:00Z")
  done
  (cd "$src" && go mod download k8s.io/kubernetes && CGO_ENABLED=0 go build -mod=mod -trimpath -o "$OUT/" \
    -ldflags "${ldflags[*]}" "${K8S_COMMANDS[@]/#/k8s.io/kubernetes/cmd/}")
}

etcd_wrapper_build() {
  local src="$TESTBED_HOME/src/etcd-$ETCD_VERSION"
  wrapper_module etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION" >/dev/null
  (cd "$src" && CGO_ENABLED=0 go build -mod=mod -trimpath -o "$OUT/etcd" go.etcd.io/etcd/server/v3)
}

install_kubernetes() {
  local ok=1 c
  for c in "${K8S_COMMANDS[@]}"; do [ -x "$K8S_BIN/$c" ] || ok=0; done
  [ $ok = 1 ] || build_into "$K8S_BIN" "Kubernetes $KUBERNETES_VERSION" kubernetes_wrapper_build
  log "kubernetes: $("$K8S_BIN/kubectl" version --client 2>/dev/null | head -1)"
}

install_etcd() {
  [ -x "$ETCD_BIN/etcd" ] || build_into "$ETCD_BIN" "etcd $ETCD_VERSION" etcd_wrapper_build
  log "etcd: $("$ETCD_BIN/etcd" --version | head -1)"
}
