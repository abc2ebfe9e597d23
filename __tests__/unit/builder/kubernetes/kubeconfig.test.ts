// Reading a kubeconfig's current context the way client-go does, and the pod's service account.
import { describe, expect, it } from '@jest/globals';
import {
  KubeconfigError,
  inClusterAccess,
  kubeconfigCandidates,
  kubeconfigSecrets,
  parseKubeconfig,
  parseKubeconfigs
} from '../../../../src/builder/kubernetes/kubeconfig.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

const files: Record<string, string> = {
  '/home/runner/.kube/ca.pem': 'CA FROM FILE',
  '/home/runner/.kube/client.pem': 'CERT FROM FILE',
  '/home/runner/.kube/client-key.pem': 'KEY FROM FILE',
  '/var/run/secrets/kubernetes.io/serviceaccount/token': 'sa-token',
  '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt': 'SA CA',
  '/var/run/secrets/kubernetes.io/serviceaccount/namespace': 'arc-runners\n'
};
const read = (file: string): string => {
  const content = files[file];
  if (content === undefined) throw new Error(`ENOENT: ${file}`);
  return content;
};

function kubeconfig(user: string, extra = ''): string {
  return `apiVersion: v1
kind: Config
current-context: ci
clusters:
- name: eks
  cluster:
    server: https://ABC.gr7.eu-west-1.eks.amazonaws.com/
    certificate-authority-data: ${b64('CA DATA')}
- name: local
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: ca.pem
    insecure-skip-tls-verify: true
contexts:
- name: ci
  context: {cluster: eks, user: ci, namespace: buildkit}
- name: local
  context: {cluster: local, user: ci}
users:
- name: ci
  user:
${user}
${extra}`;
}

describe('parseKubeconfig', () => {
  it('reads the current context: server, CA data, token, namespace', () => {
    expect(parseKubeconfig(kubeconfig('    token: abc.def'), '/home/runner/.kube/config', read)).toEqual({
      source: '/home/runner/.kube/config',
      server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
      ca: 'CA DATA',
      insecure: false,
      credentials: { kind: 'token', token: 'abc.def' },
      namespace: 'buildkit'
    });
  });

  it('reads files relative to the kubeconfig, and another context when asked', () => {
    const access = parseKubeconfig(
      kubeconfig('    client-certificate: client.pem\n    client-key: /home/runner/.kube/client-key.pem'),
      '/home/runner/.kube/config',
      read,
      'local'
    );
    expect(access).toMatchObject({
      server: 'https://127.0.0.1:6443',
      ca: 'CA FROM FILE',
      insecure: true,
      credentials: { kind: 'certificate', cert: 'CERT FROM FILE', key: 'KEY FROM FILE' },
      namespace: undefined
    });
  });

  it('reads embedded client certificates', () => {
    const user = `    client-certificate-data: ${b64('CERT')}\n    client-key-data: ${b64('KEY')}`;
    expect(parseKubeconfig(kubeconfig(user), '/k', read).credentials).toEqual({ kind: 'certificate', cert: 'CERT', key: 'KEY' });
  });

  it('reads an exec plugin (aws eks get-token)', () => {
    const user = `    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: aws
      args: [eks, get-token, --cluster-name, ci]
      env:
      - {name: AWS_PROFILE, value: ci}`;
    expect(parseKubeconfig(kubeconfig(user), '/k', read).credentials).toEqual({
      kind: 'exec',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'ci'],
      env: { AWS_PROFILE: 'ci' }
    });
  });

  it('reads a token file', () => {
    expect(parseKubeconfig(kubeconfig('    tokenFile: token'), '/etc/kube/config', read).credentials).toEqual({
      kind: 'token-file',
      file: '/etc/kube/token'
    });
  });

  it.each<[string, RegExp]>([
    ['clusters: [', /not valid YAML/],
    ['apiVersion: v1\nkind: Config\n', /has no current-context/],
    [kubeconfig('    token: x').replace('current-context: ci', 'current-context: prod'), /has no context 'prod'/],
    [
      kubeconfig('    token: x').replace('{cluster: eks, user: ci, namespace: buildkit}', '{cluster: gke, user: ci}'),
      /has no cluster 'gke'/
    ],
    [
      kubeconfig('    token: x').replace('server: https://ABC.gr7.eu-west-1.eks.amazonaws.com/', 'server: ""'),
      /cluster 'eks' has no server/
    ]
  ])('refuses %#', (content, message) => {
    expect(() => parseKubeconfig(content, '/k', read)).toThrow(KubeconfigError);
    expect(() => parseKubeconfig(content, '/k', read)).toThrow(message);
  });
});

describe('parseKubeconfig: what client-go takes beside the credentials', () => {
  it('reads tls-server-name and proxy-url', () => {
    const content = kubeconfig('    token: abc.def').replace(
      'certificate-authority-data:',
      'tls-server-name: api.internal.example\n    proxy-url: http://proxy.corp:3128\n    certificate-authority-data:'
    );
    expect(parseKubeconfig(content, '/k', read)).toMatchObject({ serverName: 'api.internal.example', proxyUrl: 'http://proxy.corp:3128' });
  });

  it('leaves them undefined when the cluster does not set them', () => {
    expect(parseKubeconfig(kubeconfig('    token: abc.def'), '/k', read)).toMatchObject({ serverName: undefined, proxyUrl: undefined });
  });
});

describe('parseKubeconfigs: a KUBECONFIG list, merged as client-go merges it', () => {
  const clusters = `apiVersion: v1
kind: Config
clusters:
- name: eks
  cluster: {server: "https://first.example", certificate-authority: ca.pem}
`;
  const contexts = `apiVersion: v1
kind: Config
current-context: ci
contexts:
- name: ci
  context: {cluster: eks, user: ci}
clusters:
- name: eks
  cluster: {server: "https://second.example"}
users:
- name: ci
  user: {tokenFile: token}
`;
  const more = 'apiVersion: v1\nkind: Config\ncurrent-context: other\n';

  it('takes the first current-context set, the first definition of each name, paths relative to their own file', () => {
    const access = parseKubeconfigs(
      [
        { content: clusters, file: '/home/runner/.kube/clusters' },
        { content: contexts, file: '/etc/kube/contexts' },
        { content: more, file: '/tmp/more' }
      ],
      read
    );
    expect(access).toMatchObject({
      source: '/home/runner/.kube/clusters, /etc/kube/contexts, /tmp/more',
      server: 'https://first.example',
      ca: 'CA FROM FILE',
      credentials: { kind: 'token-file', file: '/etc/kube/token' }
    });
  });

  it('a later file current-context does not replace an earlier one', () => {
    expect(() =>
      parseKubeconfigs(
        [
          { content: more, file: '/a' },
          { content: contexts, file: '/b' }
        ],
        read
      )
    ).toThrow("the kubeconfig has no context 'other'");
  });

  it('names the file that is not YAML', () => {
    expect(() =>
      parseKubeconfigs(
        [
          { content: contexts, file: '/a' },
          { content: 'clusters: [', file: '/b' }
        ],
        read
      )
    ).toThrow('the kubeconfig /b is not valid YAML');
  });
});

describe('inClusterAccess', () => {
  it("reads the pod's service account", () => {
    expect(inClusterAccess({ KUBERNETES_SERVICE_HOST: '10.100.0.1', KUBERNETES_SERVICE_PORT: '443' }, read)).toEqual({
      source: 'in-cluster',
      server: 'https://10.100.0.1:443',
      ca: 'SA CA',
      insecure: false,
      credentials: { kind: 'token-file', file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
      namespace: 'arc-runners'
    });
  });

  it('brackets an IPv6 service host', () => {
    expect(inClusterAccess({ KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '443' }, read)?.server).toBe(
      'https://[fd00::1]:443'
    );
  });

  it('is undefined outside a pod', () => {
    expect(inClusterAccess({}, read)).toBeUndefined();
    expect(
      inClusterAccess({ KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '1' }, () => {
        throw new Error('ENOENT');
      })
    ).toBeUndefined();
  });
});

describe('kubeconfigCandidates', () => {
  it.each<[NodeJS.ProcessEnv, string[]]>([
    [{}, ['/home/r/.kube/config']],
    [{ KUBECONFIG: '' }, ['/home/r/.kube/config']],
    [{ KUBECONFIG: '/a:/b' }, ['/a', '/b']],
    [{ KUBECONFIG: '/a::' }, ['/a']]
  ])('%j', (env, expected) => {
    expect(kubeconfigCandidates(env, '/home/r')).toEqual(expected);
  });
});

describe('kubeconfigSecrets', () => {
  it('finds tokens, keys and passwords, not the ordinary lines', () => {
    const content = `apiVersion: v1
kind: Config
users:
- name: ci
  user:
    token: eyJhbGciOiJSUzI1NiJ9.payload.sig
    client-key-data: ${b64('-----BEGIN KEY-----')}
    client-certificate-data: "${b64('-----BEGIN CERT-----')}"
- name: basic
  user:
    password: 'correct horse'
    username: admin
- name: oidc
  user:
    auth-provider:
      config:
        client-secret: s3cret-client-value
        id-token: eyJ.id.token
        refresh-token: short
`;
    expect(kubeconfigSecrets(content)).toEqual([
      'eyJhbGciOiJSUzI1NiJ9.payload.sig',
      b64('-----BEGIN KEY-----'),
      b64('-----BEGIN CERT-----'),
      'correct horse',
      's3cret-client-value',
      'eyJ.id.token'
    ]);
  });

  it("a JSON kubeconfig, and an exec plugin's env values", () => {
    const content = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      users: [
        {
          name: 'eks',
          user: {
            token: 'json-token-value-123',
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: 'aws',
              args: ['eks', 'get-token', '--cluster-name', 'ci'],
              env: [
                { name: 'AWS_ACCESS_KEY_ID', value: 'AKIAEXAMPLEKEY' },
                { name: 'AWS_SECRET_ACCESS_KEY', value: 'wJalrXUtnFEMI/K7MDENG' },
                { name: 'AWS_PROFILE', value: 'ci' }
              ]
            }
          }
        }
      ]
    });
    expect(kubeconfigSecrets(content).sort()).toEqual(['AKIAEXAMPLEKEY', 'json-token-value-123', 'wJalrXUtnFEMI/K7MDENG']);
  });

  it('content that is not YAML is still searched line by line', () => {
    const content = 'users:\n- name: x\n  user:\n    token: broken-but-secret-token\n  : [unclosed\n';
    expect(kubeconfigSecrets(content)).toEqual(['broken-but-secret-token']);
  });
});
