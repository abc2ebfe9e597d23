// Driver options: which keys each buildx driver accepts (buildx's driver factories) and, for the
// kubernetes driver, which values, checked before anything is created; rendered as `--driver-opt` values
// that survive buildx's CSV parsing.
import { checkKubernetesValue } from './kubernetes-values.js';

export const DRIVERS = ['docker-container', 'kubernetes'] as const;
export type Driver = (typeof DRIVERS)[number];

const KEYS: Record<Driver, { exact: readonly string[]; prefixes: readonly string[] }> = {
  'docker-container': {
    exact: [
      'image',
      'network',
      'memory',
      'memory-swap',
      'cpu-period',
      'cpu-quota',
      'cpu-shares',
      'cpuset-cpus',
      'cpuset-mems',
      'cgroup-parent',
      'restart-policy',
      'default-load',
      'provenance-add-gha',
      'allow-untrusted-image'
    ],
    prefixes: ['env.']
  },
  kubernetes: {
    exact: [
      'image',
      'namespace',
      'replicas',
      'requests.cpu',
      'requests.memory',
      'requests.ephemeral-storage',
      'persistent-volume-claim.requests.storage',
      'limits.cpu',
      'limits.memory',
      'limits.ephemeral-storage',
      'rootless',
      'schedulername',
      'serviceaccount',
      'nodeselector',
      'annotations',
      'labels',
      'tolerations',
      'loadbalance',
      'qemu.install',
      'qemu.image',
      'buildkit-root-volume-memory',
      'default-load',
      'timeout'
    ],
    prefixes: ['env.']
  }
};

export interface DriverOpt {
  readonly key: string;
  readonly value: string;
}

/** Parses one `key=value` line; returns an error text instead when it is malformed or unknown. */
export function parseDriverOpt(driver: Driver, line: string): DriverOpt | string {
  const eq = line.indexOf('=');
  if (eq <= 0) return `'${line}' is not key=value`;
  let key = line.slice(0, eq).trim();
  let value = line.slice(eq + 1).trim();
  // a whole line quoted for buildx's CSV parser ("nodeselector=a=b,c=d") is accepted as well
  if (key.startsWith('"') && value.endsWith('"')) {
    key = key.slice(1);
    value = value.slice(0, -1).replace(/""/g, '"');
  }
  const known = KEYS[driver];
  if (!known.exact.includes(key) && !known.prefixes.some((p) => key.startsWith(p) && key.length > p.length)) {
    return `'${key}' is not an option of the ${driver} driver (known: ${known.exact.join(', ')}, ${known.prefixes.map((p) => `${p}*`).join(', ')})`;
  }
  if (value === '') return `'${key}' has an empty value`;
  const problem = driver === 'kubernetes' ? checkKubernetesValue(key, value) : undefined;
  if (problem) return `'${key}': ${problem}`;
  return { key, value };
}

/** One `--driver-opt` value: quoted as a CSV field when the value holds a comma or a quote. */
export function renderDriverOpt(opt: DriverOpt): string {
  const field = `${opt.key}=${opt.value}`;
  return /[",]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
