# Docker Engine from Debian's docker.io, started in the background with a runc wrapper as its default
# runtime: the sandbox's capability bounding set lacks CAP_SYS_RESOURCE, which privileged containers
# (buildx's BuildKit container among them) ask for.
DOCKER_CONFIG_FILE="$TESTBED_HOME/daemon.json"
RUNC_WRAPPER="$BIN/runc-nocap"

write_runc_wrapper() {
  cat >"$RUNC_WRAPPER.tmp" <<'WRAPPER'
#!/bin/sh
# Removes CAP_SYS_RESOURCE from the capability sets runc is asked to apply (the bundle's config.json
# for create/run, the process file for exec), then runs the real runc.
drop_cap() { # drop_cap JSONFILE FILTERPATH
  [ -f "$1" ] || return 0
  jq "if $2 then $2 |= with_entries(.value |= map(select(. != \"CAP_SYS_RESOURCE\"))) else . end" "$1" >"$1.nocap" &&
    mv "$1.nocap" "$1"
}
prev=
for a in "$@"; do
  case "$prev" in
    --bundle|-b) drop_cap "$a/config.json" .process.capabilities ;;
    --process|-p) drop_cap "$a" .capabilities ;;
  esac
  case "$a" in
    --bundle=*) drop_cap "${a#--bundle=}/config.json" .process.capabilities ;;
    --process=*) drop_cap "${a#--process=}" .capabilities ;;
  esac
  prev=$a
done
exec /usr/sbin/runc "$@"
WRAPPER
  chmod 0755 "$RUNC_WRAPPER.tmp"
  mv "$RUNC_WRAPPER.tmp" "$RUNC_WRAPPER"
}

write_daemon_config() {
  jq -n --arg wrapper "$RUNC_WRAPPER" '{
    "runtimes": {"testbed-runc": {"path": $wrapper}},
    "default-runtime": "testbed-runc",
    "bridge": "none",
    "iptables": false,
    "ip-masq": false
  }' >"$DOCKER_CONFIG_FILE"
}

docker_up() {
  write_runc_wrapper
  write_daemon_config
  if docker info >/dev/null 2>&1; then
    local runtime
    runtime=$(docker info --format '{{.DefaultRuntime}}')
    [ "$runtime" = testbed-runc ] ||
      die "a Docker daemon runs already with default runtime '$runtime'; stop it (or run testbed:down) first"
    log "docker: running"
    return 0
  fi
  log "docker: starting dockerd (log: $LOGS/dockerd.log)"
  start_daemon dockerd "$LOGS/dockerd.log" dockerd --config-file "$DOCKER_CONFIG_FILE"
  wait_for 60 dockerd docker info
}

docker_down() {
  stop_daemon dockerd
}
