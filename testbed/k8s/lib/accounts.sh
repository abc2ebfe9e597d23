# Runner-like identities in the namespace $K8S_NAMESPACE: service accounts with long-lived tokens and
# kubeconfigs that hold them. `runner` has the Role in runner-rbac.yaml; `runner-restricted` may only
# read deployments (the preflight's test subject).
account_token() { # account_token NAME: the token of NAME's token Secret, made if missing
  local name=$1 token
  kubectl_admin -n "$K8S_NAMESPACE" apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: $name-token
  annotations: {kubernetes.io/service-account.name: $name}
type: kubernetes.io/service-account-token
YAML
  for _ in $(seq 1 60); do
    token=$(kubectl_admin -n "$K8S_NAMESPACE" get secret "$name-token" -o jsonpath='{.data.token}' 2>/dev/null | base64 -d)
    [ -n "$token" ] && { printf '%s' "$token"; return 0; }
    sleep 1
  done
  die "the token of service account $name was never issued"
}

accounts_up() {
  kubectl_admin create namespace "$K8S_NAMESPACE" --dry-run=client -o yaml | kubectl_admin apply -f - >/dev/null
  kubectl_admin -n "$K8S_NAMESPACE" create serviceaccount "$K8S_RUNNER_ACCOUNT" --dry-run=client -o yaml |
    kubectl_admin apply -f - >/dev/null
  kubectl_admin -n "$K8S_NAMESPACE" create serviceaccount "$K8S_RESTRICTED_ACCOUNT" --dry-run=client -o yaml |
    kubectl_admin apply -f - >/dev/null
  kubectl_admin -n "$K8S_NAMESPACE" apply -f "$TESTBED_DIR/k8s/runner-rbac.yaml" >/dev/null
  kubectl_admin -n "$K8S_NAMESPACE" create rolebinding wheelhouse-buildx --role wheelhouse-buildx \
    --serviceaccount "$K8S_NAMESPACE:$K8S_RUNNER_ACCOUNT" --dry-run=client -o yaml | kubectl_admin apply -f - >/dev/null
  kubectl_admin -n "$K8S_NAMESPACE" create role deployments-reader --verb get,list --resource deployments.apps \
    --dry-run=client -o yaml | kubectl_admin apply -f - >/dev/null
  kubectl_admin -n "$K8S_NAMESPACE" create rolebinding deployments-reader --role deployments-reader \
    --serviceaccount "$K8S_NAMESPACE:$K8S_RESTRICTED_ACCOUNT" --dry-run=client -o yaml | kubectl_admin apply -f - >/dev/null
  local account
  for account in "$K8S_RUNNER_ACCOUNT" "$K8S_RESTRICTED_ACCOUNT"; do
    write_kubeconfig "$K8S_HOME/kubeconfigs/$account.kubeconfig" "$account" "$(account_token "$account")" "$K8S_NAMESPACE"
  done
  log "accounts: $K8S_NAMESPACE/$K8S_RUNNER_ACCOUNT, $K8S_NAMESPACE/$K8S_RESTRICTED_ACCOUNT (kubeconfigs in $K8S_HOME/kubeconfigs)"
}
