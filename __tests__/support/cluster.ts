// What the kubernetes suite knows of the single-node cluster (testbed/k8s/up.sh): its kubeconfigs, the
// registry as its pods see it, and kubectl as the cluster's admin.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { need, testbed } from './testbed.js';

const home = path.join(testbed.home, 'k8s');

export const cluster = {
  home,
  namespace: need('K8S_NAMESPACE'),
  runnerAccount: need('K8S_RUNNER_ACCOUNT'),
  restrictedAccount: need('K8S_RESTRICTED_ACCOUNT'),
  /** The registry as the pods (and the host) reach it: same storage as testbed.registry. */
  registry: need('K8S_REGISTRY'),
  /** An address of the host's that pods reach (services the tests start listen there). */
  hostIp: need('K8S_HOST_IP'),
  kubectl: path.join(testbed.home, `bin/kubernetes-${need('KUBERNETES_VERSION')}/kubectl`),
  buildkitdConfig: path.join(home, 'buildkitd.toml'),
  adminKubeconfig: path.join(home, 'kubeconfigs/admin.kubeconfig'),
  kubeconfig(account: string): string {
    return readFileSync(path.join(home, 'kubeconfigs', `${account}.kubeconfig`), 'utf8');
  }
};

/** kubectl as the cluster's admin; returns stdout. */
export function kubectl(...args: string[]): string {
  return execFileSync(cluster.kubectl, ['--kubeconfig', path.join(home, 'kubeconfigs/admin.kubeconfig'), ...args], {
    encoding: 'utf8',
    input: ''
  });
}

/** The runner image testbed/k8s/up.sh imported into the cluster. */
export function runnerImage(): string {
  return readFileSync(path.join(home, 'runner-image'), 'utf8').trim();
}

export function kubectlApply(yaml: string): void {
  execFileSync(cluster.kubectl, ['--kubeconfig', path.join(home, 'kubeconfigs/admin.kubeconfig'), 'apply', '-f', '-'], { input: yaml });
}

/** Whether the cluster answers (npm test runs the kubernetes suite only then). */
export function clusterUp(): boolean {
  if (!existsSync(cluster.kubectl) || !existsSync(path.join(home, 'kubeconfigs/admin.kubeconfig'))) return false;
  try {
    kubectl('get', '--raw', '/readyz');
    return true;
  } catch {
    return false;
  }
}

export function requireCluster(): void {
  if (!clusterUp()) throw new Error('the cluster is not up: run `npm run testbed:k8s` (as root) first');
}
