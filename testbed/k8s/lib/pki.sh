# Certificates and keys of the cluster, made with openssl: one CA, the API server's serving certificate,
# client certificates for each component and for the admin, and the service-account signing key pair.
# Made once; kept while the CA is there.
PKI="$K8S_HOME/pki"

# client_cert NAME CN [O]: a client certificate signed by the cluster's CA.
client_cert() {
  local name=$1 cn=$2 org=${3:-} subj
  subj="/CN=$cn"
  [ -z "$org" ] || subj="/O=$org$subj"
  [ -f "$PKI/$name.crt" ] && return 0
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -extfile <(printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n') \
    -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr"
}

make_pki() {
  mkdir -p "$PKI"
  chmod 0700 "$PKI"
  if [ ! -f "$PKI/ca.crt" ]; then
    rm -f "$PKI"/*
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -days 3650 \
      -subj "/CN=wheelhouse-testbed-ca" -out "$PKI/ca.crt" 2>/dev/null
  fi
  if [ ! -f "$PKI/apiserver.crt" ]; then
    openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/apiserver.key" -subj "/CN=kube-apiserver" \
      -out "$PKI/apiserver.csr" 2>/dev/null
    openssl x509 -req -in "$PKI/apiserver.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 3650 \
      -extfile <(printf '%s\n' 'extendedKeyUsage=serverAuth' 'keyUsage=critical,digitalSignature,keyEncipherment' \
        "subjectAltName=IP:127.0.0.1,IP:$K8S_SERVICE_IP,IP:$K8S_HOST_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local") \
      -out "$PKI/apiserver.crt" 2>/dev/null
    rm -f "$PKI/apiserver.csr"
  fi
  client_cert admin kubernetes-admin system:masters
  client_cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  client_cert controller-manager system:kube-controller-manager
  client_cert scheduler system:kube-scheduler
  client_cert kubelet "system:node:$K8S_NODE_NAME" system:nodes
  if [ ! -f "$PKI/sa.key" ]; then
    openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null
  fi
}

# write_kubeconfig FILE USER [TOKEN]: a kubeconfig for the API server, with the user's client
# certificate from the PKI, or a bearer token when one is given.
write_kubeconfig() {
  local file=$1 user=$2 token=${3:-} namespace=${4:-default}
  {
    cat <<YAML
apiVersion: v1
kind: Config
clusters:
- name: wheelhouse-testbed
  cluster:
    server: https://127.0.0.1:$K8S_API_PORT
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
contexts:
- name: $user@wheelhouse-testbed
  context:
    cluster: wheelhouse-testbed
    user: $user
    namespace: $namespace
current-context: $user@wheelhouse-testbed
users:
- name: $user
  user:
YAML
    if [ -n "$token" ]; then
      printf '    token: %s\n' "$token"
    else
      printf '    client-certificate-data: %s\n    client-key-data: %s\n' \
        "$(base64 -w0 "$PKI/$user.crt")" "$(base64 -w0 "$PKI/$user.key")"
    fi
  } >"$file.tmp"
  chmod 0600 "$file.tmp"
  mv "$file.tmp" "$file"
}
