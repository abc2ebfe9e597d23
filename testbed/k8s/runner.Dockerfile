# A runner pod's image, as actions-runner-controller runs them: node for the action, the Docker CLI and
# the buildx plugin, tar and zstd for the cache; no Docker daemon (builds go to BuildKit pods).
ARG BASE
FROM ${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends zstd libstdc++6 && rm -rf /var/lib/apt/lists/*
COPY node /usr/local/bin/node
COPY docker /usr/local/bin/docker
COPY docker-buildx /usr/local/lib/docker/cli-plugins/docker-buildx
