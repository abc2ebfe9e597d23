// The kubernetes driver options users ask for most, as inputs of their own: turned into the driver options
// buildx knows, with the quoting of nodeselector and tolerations handled here, and what the builder
// setup needs of them read once (pure).
import { InputError } from './errors.js';
import { type DriverOpt, parseDriverOpt } from './driver-opts.js';

export interface KubernetesInputs {
  readonly namespace: string;
  readonly replicas: string;
  /** `cpu=…`, `memory=…`, `ephemeral-storage=…` items. */
  readonly requests: readonly string[];
  readonly limits: readonly string[];
  /** `key=value` items. */
  readonly nodeSelector: readonly string[];
  /** One toleration an item: `key=…,operator=…,value=…,effect=…,tolerationSeconds=…`. */
  readonly tolerations: readonly string[];
  readonly serviceAccount: string;
  readonly rootless: string;
  readonly loadbalance: string;
  /** Seconds. */
  readonly bootstrapTimeout: string;
}

/** The inputs of this module as action.yml declares them, and the field each fills. */
const KUBERNETES_INPUTS: readonly { input: string; field: keyof KubernetesInputs }[] = [
  { input: 'kubernetes-namespace', field: 'namespace' },
  { input: 'kubernetes-replicas', field: 'replicas' },
  { input: 'kubernetes-requests', field: 'requests' },
  { input: 'kubernetes-limits', field: 'limits' },
  { input: 'kubernetes-nodeselector', field: 'nodeSelector' },
  { input: 'kubernetes-tolerations', field: 'tolerations' },
  { input: 'kubernetes-serviceaccount', field: 'serviceAccount' },
  { input: 'kubernetes-rootless', field: 'rootless' },
  { input: 'kubernetes-loadbalance', field: 'loadbalance' },
  { input: 'bootstrap-timeout', field: 'bootstrapTimeout' }
];

const RESOURCES = ['cpu', 'memory', 'ephemeral-storage'];

/** Driver options from the dedicated inputs; each problem names its input. */
export function optsFromInputs(inputs: KubernetesInputs): DriverOpt[] {
  const opts: DriverOpt[] = [];
  const add = (input: string, key: string, value: string): void => {
    if (value === '') return;
    const opt = parseDriverOpt('kubernetes', `${key}=${value}`);
    if (typeof opt === 'string') throw new InputError(input, opt.replace(/^'[^']+': /, ''));
    opts.push(opt);
  };
  add('kubernetes-namespace', 'namespace', inputs.namespace);
  add('kubernetes-replicas', 'replicas', inputs.replicas);
  for (const [input, kind, items] of [
    ['kubernetes-requests', 'requests', inputs.requests],
    ['kubernetes-limits', 'limits', inputs.limits]
  ] as const) {
    for (const item of items) {
      const eq = item.indexOf('=');
      const resource = item.slice(0, eq);
      if (eq <= 0 || !RESOURCES.includes(resource)) {
        throw new InputError(input, `'${item}' is not ${RESOURCES.map((r) => `${r}=…`).join(', ')}`);
      }
      add(input, `${kind}.${resource}`, item.slice(eq + 1));
    }
  }
  add('kubernetes-nodeselector', 'nodeselector', inputs.nodeSelector.join(','));
  add('kubernetes-tolerations', 'tolerations', inputs.tolerations.join(';'));
  add('kubernetes-serviceaccount', 'serviceaccount', inputs.serviceAccount);
  add('kubernetes-rootless', 'rootless', inputs.rootless);
  add('kubernetes-loadbalance', 'loadbalance', inputs.loadbalance);
  if (inputs.bootstrapTimeout !== '') {
    if (!/^[1-9][0-9]*$/.test(inputs.bootstrapTimeout)) {
      throw new InputError('bootstrap-timeout', `expected a whole number of seconds, got '${inputs.bootstrapTimeout}'`);
    }
    add('bootstrap-timeout', 'timeout', `${inputs.bootstrapTimeout}s`);
  }
  return opts;
}

/** `driver-opts` and the dedicated inputs together; an option set in both places is refused. */
export function mergeOpts(fromDriverOpts: readonly DriverOpt[], fromInputs: readonly DriverOpt[]): DriverOpt[] {
  for (const opt of fromInputs) {
    if (fromDriverOpts.some((o) => o.key === opt.key)) {
      throw new InputError('driver-opts', `'${opt.key}' is set here and by its own input too: set it once`);
    }
  }
  const seen = new Set<string>();
  for (const opt of fromDriverOpts) {
    if (seen.has(opt.key)) throw new InputError('driver-opts', `'${opt.key}' is set twice`);
    seen.add(opt.key);
  }
  return [...fromDriverOpts, ...fromInputs];
}

/** The first dedicated input that is set (they only apply to the kubernetes driver). */
export function firstSetInput(inputs: KubernetesInputs): string | undefined {
  return KUBERNETES_INPUTS.find(({ field }) => {
    const value = inputs[field];
    return typeof value === 'string' ? value !== '' : value.length > 0;
  })?.input;
}

export type WorkloadKind = 'deployments' | 'statefulsets';

/** What the builder's setup needs of the driver options, read once (buildx's own reading of them). */
export interface KubernetesSpec {
  /** The `namespace` option; undefined: the kubeconfig context's, else 'default'. */
  readonly namespace: string | undefined;
  /** A StatefulSet when a persistent volume claim is asked for, else a Deployment (what buildx makes). */
  readonly workloadKind: WorkloadKind;
}

export function kubernetesSpec(opts: readonly DriverOpt[]): KubernetesSpec {
  return {
    namespace: opts.find((o) => o.key === 'namespace')?.value,
    workloadKind: opts.some((o) => o.key === 'persistent-volume-claim.requests.storage') ? 'statefulsets' : 'deployments'
  };
}

/**
 * A node of a builder with one node a platform: its own BuildKit workload, declared for that platform
 * (buildx sends that platform's build to it) and pinned by a node selector to nodes that run it natively.
 */
export interface PlatformNode {
  readonly platform: string;
  /** Appended to the builder's name for the node (and its workload): `-amd64`, `-arm-v7`. */
  readonly suffix: string;
  /** The selector pinning the node's pods, from the template with `{arch}` replaced: one `key=value`. */
  readonly nodeSelector: DriverOpt;
}

/** The label value Kubernetes gives a node of the platform's architecture (`kubernetes.io/arch`: GOARCH). */
export function kubernetesArch(platform: string): string {
  return platform.split('/')[1] ?? '';
}

export const PLATFORM_NODESELECTOR = 'kubernetes.io/arch={arch}';

/**
 * One node a platform (pure). `template` is the node selector of each, `{arch}` standing for the
 * platform's architecture; `own` the node selector every node has besides (the user's), which must not
 * set the same key.
 */
export function platformNodes(platforms: readonly string[], template: string, own: string | undefined): PlatformNode[] {
  const input = 'kubernetes-platform-nodeselector';
  if (!template.includes('{arch}'))
    throw new InputError(input, `expected key=value with {arch} where the architecture goes, got '${template}'`);
  if (platforms.length === 0) {
    throw new InputError('kubernetes-node-per-platform', 'a node a platform needs the platforms to build: set platforms');
  }
  const ownKeys = (own ?? '').split(',').map((pair) => pair.slice(0, pair.indexOf('=')).trim());
  return platforms.map((platform) => {
    const pair = template.replace(/\{arch\}/g, kubernetesArch(platform));
    const opt = parseDriverOpt('kubernetes', `nodeselector=${pair}`);
    if (typeof opt === 'string' || pair.includes(',')) {
      throw new InputError(
        input,
        `'${pair}' (for ${platform}) is not one key=value node label${typeof opt === 'string' ? `: ${opt.replace(/^'[^']+': /, '')}` : ''}`
      );
    }
    const key = pair.slice(0, pair.indexOf('='));
    if (ownKeys.includes(key)) {
      throw new InputError(input, `the node selector already sets '${key}': drop it there, each platform's node sets it`);
    }
    return { platform, suffix: `-${platform.split('/').slice(1).join('-')}`, nodeSelector: opt };
  });
}

/** The builder's driver options for one of its nodes: the platform's selector joined to the user's. */
export function nodeOpts(opts: readonly DriverOpt[], node: PlatformNode): DriverOpt[] {
  const own = opts.find((o) => o.key === 'nodeselector')?.value;
  return [
    ...opts.filter((o) => o.key !== 'nodeselector'),
    { key: 'nodeselector', value: [own, node.nodeSelector.value].filter(Boolean).join(',') }
  ];
}
