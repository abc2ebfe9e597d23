// readConfig for the kubernetes driver: its own inputs become driver options (quoting handled), and
// anything malformed, conflicting or given to another driver fails before anything is created.
import { describe, expect, it } from '@jest/globals';
import { fakeGetInput, inputErrorOf } from '../../../__fixtures__/inputs.js';
import type { DriverOpt } from '../../../src/inputs/driver-opts.js';
import { type Config, readConfig } from '../../../src/inputs/config.js';
import { InputError } from '../../../src/inputs/errors.js';
import { nodeOpts } from '../../../src/inputs/kubernetes.js';

const workspace = process.cwd();

function read(values: Record<string, string>): Config {
  return readConfig(fakeGetInput({ driver: 'kubernetes', ...values }), { GITHUB_WORKSPACE: workspace });
}

const inputError = (values: Record<string, string>): InputError => inputErrorOf(() => read(values), JSON.stringify(values));

describe('the builder setup reads the namespace and the workload kind from the spec, once', () => {
  it.each<[Record<string, string>, { namespace: string | undefined; workloadKind: string }]>([
    [{}, { namespace: undefined, workloadKind: 'deployments' }],
    [{ 'kubernetes-namespace': 'buildkit' }, { namespace: 'buildkit', workloadKind: 'deployments' }],
    [{ 'driver-opts': 'namespace=ci' }, { namespace: 'ci', workloadKind: 'deployments' }],
    [{ 'driver-opts': 'persistent-volume-claim.requests.storage=10Gi' }, { namespace: undefined, workloadKind: 'statefulsets' }],
    [{ 'kubernetes-replicas': '2' }, { namespace: undefined, workloadKind: 'deployments' }]
  ])('%j → %j', (values, spec) => {
    expect(read(values).builder.kubernetes).toMatchObject(spec);
  });
});

describe('the kubernetes inputs become driver options', () => {
  it.each<[Record<string, string>, DriverOpt[]]>([
    [{ 'kubernetes-namespace': 'buildkit' }, [{ key: 'namespace', value: 'buildkit' }]],
    [{ 'kubernetes-replicas': '3' }, [{ key: 'replicas', value: '3' }]],
    [
      { 'kubernetes-requests': 'cpu=500m, memory=1Gi\nephemeral-storage=20Gi' },
      [
        { key: 'requests.cpu', value: '500m' },
        { key: 'requests.memory', value: '1Gi' },
        { key: 'requests.ephemeral-storage', value: '20Gi' }
      ]
    ],
    [
      { 'kubernetes-limits': 'cpu=2,memory=4Gi' },
      [
        { key: 'limits.cpu', value: '2' },
        { key: 'limits.memory', value: '4Gi' }
      ]
    ],
    [
      { 'kubernetes-nodeselector': 'kubernetes.io/arch=arm64\nkarpenter.sh/capacity-type=on-demand' },
      [{ key: 'nodeselector', value: 'kubernetes.io/arch=arm64,karpenter.sh/capacity-type=on-demand' }]
    ],
    [{ 'kubernetes-nodeselector': 'disk=ssd,zone=a' }, [{ key: 'nodeselector', value: 'disk=ssd,zone=a' }]],
    [
      { 'kubernetes-tolerations': 'key=dedicated,operator=Equal,value=ci,effect=NoSchedule\nkey=spot,operator=Exists\n' },
      [{ key: 'tolerations', value: 'key=dedicated,operator=Equal,value=ci,effect=NoSchedule;key=spot,operator=Exists' }]
    ],
    [{ 'kubernetes-serviceaccount': 'buildkit' }, [{ key: 'serviceaccount', value: 'buildkit' }]],
    [{ 'kubernetes-rootless': 'true' }, [{ key: 'rootless', value: 'true' }]],
    [{ 'kubernetes-loadbalance': 'random' }, [{ key: 'loadbalance', value: 'random' }]],
    [{ 'bootstrap-timeout': '300' }, [{ key: 'timeout', value: '300s' }]],
    [
      { 'driver-opts': 'image=buildkit:local', 'kubernetes-namespace': 'ci' },
      [
        { key: 'image', value: 'buildkit:local' },
        { key: 'namespace', value: 'ci' }
      ]
    ]
  ])('%j', (values, opts) => {
    expect(read(values).builder.driverOpts).toEqual(opts);
  });

  it('reads the kubeconfig and the janitor', () => {
    const config = read({ kubeconfig: 'apiVersion: v1\nkind: Config\n', 'stale-builder-minutes': '90' });
    expect(config.builder.kubernetes).toEqual({
      kubeconfig: 'apiVersion: v1\nkind: Config',
      staleMinutes: 90,
      namespace: undefined,
      workloadKind: 'deployments',
      nodes: []
    });
  });

  it('leaves both unset by default', () => {
    expect(read({}).builder.kubernetes).toEqual({
      kubeconfig: undefined,
      staleMinutes: undefined,
      namespace: undefined,
      workloadKind: 'deployments',
      nodes: []
    });
  });

  it('has no kubernetes settings for the docker-container driver', () => {
    expect(readConfig(fakeGetInput({}), { GITHUB_WORKSPACE: workspace }).builder.kubernetes).toBeUndefined();
  });
});

describe('the kubernetes inputs refuse, naming the input', () => {
  it.each<[string, Record<string, string>, RegExp]>([
    ['kubernetes-namespace', { 'kubernetes-namespace': 'Build_Kit' }, /expected a namespace name/],
    ['kubernetes-replicas', { 'kubernetes-replicas': 'many' }, /expected a number of replicas/],
    ['kubernetes-requests', { 'kubernetes-requests': 'gpu=1' }, /'gpu=1' is not cpu=…, memory=…, ephemeral-storage=…/],
    ['kubernetes-requests', { 'kubernetes-requests': 'cpu=lots' }, /expected a quantity/],
    ['kubernetes-limits', { 'kubernetes-limits': 'memory' }, /'memory' is not cpu=…/],
    ['kubernetes-nodeselector', { 'kubernetes-nodeselector': 'disk' }, /expected node selector as key=value/],
    ['kubernetes-tolerations', { 'kubernetes-tolerations': 'key=a,operator=exists' }, /expected Equal or Exists/],
    ['kubernetes-serviceaccount', { 'kubernetes-serviceaccount': 'Build Kit' }, /expected a service account name/],
    ['kubernetes-rootless', { 'kubernetes-rootless': 'yes' }, /expected true or false/],
    ['kubernetes-loadbalance', { 'kubernetes-loadbalance': 'round-robin' }, /expected sticky or random/],
    ['bootstrap-timeout', { 'bootstrap-timeout': '2m' }, /expected a whole number of seconds, got '2m'/],
    ['bootstrap-timeout', { 'bootstrap-timeout': '0' }, /expected a whole number of seconds/],
    ['stale-builder-minutes', { 'stale-builder-minutes': 'an hour' }, /expected a whole number of minutes/],
    ['builder', { builder: 'CI_Builder' }, /a builder name for the kubernetes driver \(lower case/],
    ['builder', { builder: 'a'.repeat(64) }, /at most 63 characters/],
    ['driver-opts', { 'driver-opts': 'namespace=a', 'kubernetes-namespace': 'b' }, /'namespace' is set here and by its own input too/],
    ['driver-opts', { 'driver-opts': 'replicas=1\nreplicas=2' }, /'replicas' is set twice/],
    ['driver-opts', { 'driver-opts': 'timeout=5' }, /expected a duration/],
    ['kubernetes-node-per-platform', { 'kubernetes-node-per-platform': 'yes' }, /expected true or false, got 'yes'/],
    ['kubernetes-node-per-platform', { 'kubernetes-node-per-platform': 'true' }, /needs the platforms to build: set platforms/],
    [
      'kubernetes-platform-nodeselector',
      { 'kubernetes-platform-nodeselector': 'pool={arch}' },
      /only applies with kubernetes-node-per-platform: true/
    ],
    [
      'kubernetes-platform-nodeselector',
      { 'kubernetes-node-per-platform': 'true', platforms: 'linux/arm64', 'kubernetes-platform-nodeselector': 'pool=builders' },
      /expected key=value with \{arch\} where the architecture goes/
    ],
    [
      'kubernetes-platform-nodeselector',
      { 'kubernetes-node-per-platform': 'true', platforms: 'linux/arm64', 'kubernetes-platform-nodeselector': 'a={arch},b=c' },
      /'a=arm64,b=c' \(for linux\/arm64\) is not one key=value node label/
    ],
    [
      'kubernetes-platform-nodeselector',
      { 'kubernetes-node-per-platform': 'true', platforms: 'linux/arm64', 'kubernetes-platform-nodeselector': '{arch}' },
      /'arm64' \(for linux\/arm64\) is not one key=value node label/
    ],
    [
      'kubernetes-platform-nodeselector',
      { 'kubernetes-node-per-platform': 'true', platforms: 'linux/arm64', 'kubernetes-nodeselector': 'kubernetes.io/arch=amd64' },
      /the node selector already sets 'kubernetes.io\/arch'/
    ],
    [
      'builder',
      { 'kubernetes-node-per-platform': 'true', platforms: 'linux/arm64', builder: 'b'.repeat(60) },
      /leaves no room for each platform's node name/
    ]
  ])('%s: %j', (input, values, message) => {
    const error = inputError(values);
    expect(error.input).toBe(input);
    expect(error.message).toMatch(new RegExp(`^input '${input}': `));
    expect(error.message).toMatch(message);
  });

  it.each([
    ['kubernetes-namespace', 'ci'],
    ['kubernetes-tolerations', 'key=a,operator=Exists'],
    ['bootstrap-timeout', '60'],
    ['kubeconfig', 'apiVersion: v1'],
    ['stale-builder-minutes', '60'],
    ['kubernetes-node-per-platform', 'true'],
    ['kubernetes-platform-nodeselector', 'pool={arch}']
  ])('%s with the docker-container driver', (input, value) => {
    const error = inputErrorOf(() => readConfig(fakeGetInput({ [input]: value }), { GITHUB_WORKSPACE: workspace }), `${input}: ${value}`);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(`input '${input}': only applies to driver: kubernetes (the driver is docker-container)`);
  });
});

/** What several platforms in one step need: a Dockerfile, and a registry for the wheelhouse images. */
const SEVERAL = { context: '__fixtures__/platforms-app', tags: 'registry.example/app', push: 'true' };

describe('one node a platform (kubernetes-node-per-platform)', () => {
  it.each<[string, Record<string, string>, { platform: string; suffix: string; nodeSelector: string }[]]>([
    [
      'pinned by kubernetes.io/arch by default',
      { platforms: 'linux/amd64,linux/arm64' },
      [
        { platform: 'linux/amd64', suffix: '-amd64', nodeSelector: 'kubernetes.io/arch=amd64' },
        { platform: 'linux/arm64', suffix: '-arm64', nodeSelector: 'kubernetes.io/arch=arm64' }
      ]
    ],
    [
      'a variant names its node apart; the label has the architecture alone',
      { platforms: 'linux/arm/v7' },
      [{ platform: 'linux/arm/v7', suffix: '-arm-v7', nodeSelector: 'kubernetes.io/arch=arm' }]
    ],
    [
      'another label (node groups named by architecture)',
      { platforms: 'linux/arm64', 'kubernetes-platform-nodeselector': 'eks.amazonaws.com/nodegroup=builders-{arch}' },
      [{ platform: 'linux/arm64', suffix: '-arm64', nodeSelector: 'eks.amazonaws.com/nodegroup=builders-arm64' }]
    ]
  ])('%s', (_, values, nodes) => {
    const spec = read({ ...SEVERAL, 'kubernetes-node-per-platform': 'true', ...values }).builder.kubernetes;
    expect(spec?.nodes.map((n) => ({ platform: n.platform, suffix: n.suffix, nodeSelector: n.nodeSelector.value }))).toEqual(nodes);
  });

  it('off by default: one node builds every platform', () => {
    expect(read({ ...SEVERAL, platforms: 'linux/amd64,linux/arm64' }).builder.kubernetes?.nodes).toEqual([]);
  });

  it("each node's driver options: the user's node selector and the platform's, the rest unchanged", () => {
    const config = read({
      'kubernetes-node-per-platform': 'true',
      ...SEVERAL,
      platforms: 'linux/amd64,linux/arm64',
      'kubernetes-nodeselector': 'pool=ci',
      'kubernetes-namespace': 'buildkit'
    });
    const [amd64, arm64] = config.builder.kubernetes!.nodes;
    expect(nodeOpts(config.builder.driverOpts, arm64!)).toEqual([
      { key: 'namespace', value: 'buildkit' },
      { key: 'nodeselector', value: 'pool=ci,kubernetes.io/arch=arm64' }
    ]);
    expect(nodeOpts([], amd64!)).toEqual([{ key: 'nodeselector', value: 'kubernetes.io/arch=amd64' }]);
  });
});
