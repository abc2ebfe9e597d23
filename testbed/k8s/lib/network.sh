# What the pods see of the host: an address of the host's own ($K8S_HOST_IP, on the loopback link: the
# sandbox's kernel has no dummy links) that pods reach through the CNI bridge's gateway, and a second listener of the test bed's registry there (the
# same storage as on $REGISTRY). 127.0.0.1 inside a pod is the pod.
host_address_up() {
  ip -4 addr show dev lo | grep -q "inet $K8S_HOST_IP/" || ip addr add "$K8S_HOST_IP/32" dev lo
}

k8s_registry_up() {
  if curl -fs -o /dev/null "http://$K8S_REGISTRY/v2/"; then
    log "registry: running on $K8S_REGISTRY"
    return 0
  fi
  sed "s#addr: .*#addr: $K8S_REGISTRY#" "$TESTBED_HOME/registry.yml" >"$K8S_HOME/registry.yml"
  log "registry: starting on $K8S_REGISTRY (log: $LOGS/registry-k8s.log)"
  start_daemon registry-k8s "$LOGS/registry-k8s.log" docker-registry serve "$K8S_HOME/registry.yml"
  wait_for 30 "registry on $K8S_REGISTRY" curl -fsS "http://$K8S_REGISTRY/v2/"
}

# What kube-proxy would do for the one Service pods need: `kubernetes` (the API server, $K8S_SERVICE_IP:443
# in the pods' environment) is sent to the API server on the host address.
service_route_up() {
  local rule=(-d "$K8S_SERVICE_IP/32" -p tcp --dport 443 -j DNAT --to-destination "$K8S_HOST_IP:$K8S_API_PORT")
  iptables -t nat -C PREROUTING "${rule[@]}" 2>/dev/null || iptables -t nat -A PREROUTING "${rule[@]}"
  iptables -t nat -C OUTPUT "${rule[@]}" 2>/dev/null || iptables -t nat -A OUTPUT "${rule[@]}"
}
