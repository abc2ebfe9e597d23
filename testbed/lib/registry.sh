# A local OCI registry from Debian's docker-registry, plain HTTP on $REGISTRY.
registry_up() {
  if curl -fs -o /dev/null "http://$REGISTRY/v2/"; then
    log "registry: running on $REGISTRY"
    return 0
  fi
  mkdir -p "$TESTBED_HOME/registry"
  cat >"$TESTBED_HOME/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $TESTBED_HOME/registry
  delete:
    enabled: true
http:
  addr: $REGISTRY
YAML
  log "registry: starting on $REGISTRY (log: $LOGS/registry.log)"
  start_daemon registry "$LOGS/registry.log" docker-registry serve "$TESTBED_HOME/registry.yml"
  wait_for 30 registry curl -fsS "http://$REGISTRY/v2/"
}

registry_down() {
  stop_daemon registry
}
