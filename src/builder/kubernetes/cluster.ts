// Access to the builder's cluster: the kubeconfig input written for buildx (mode 0600, in the run's
// scratch folder that post removes), or what buildx finds by itself (KUBECONFIG, ~/.kube/config, the
// pod's service account); and a client of the API for the action's own calls.
import * as core from '@actions/core';
import { maskSecret } from '../../exec/masks.js';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeApi, type KubeClient } from './api.js';
import {
  type ApiAccess,
  KubeconfigError,
  inClusterAccess,
  kubeconfigCandidates,
  kubeconfigSecrets,
  parseKubeconfigs
} from './kubeconfig.js';

export interface Cluster {
  readonly api: KubeClient;
  /** The environment every buildx command on this builder runs with. */
  readonly env: Readonly<Record<string, string>>;
}

export class ClusterAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterAccessError';
  }
}

const read = (file: string): string => readFileSync(file, 'utf8');

/**
 * How buildx reaches the API: `kubeconfig` (a file), else the files of KUBECONFIG that exist (merged) or
 * ~/.kube/config, else the pod's service account.
 */
export function resolveAccess(kubeconfig: string | undefined, env: NodeJS.ProcessEnv = process.env): ApiAccess | undefined {
  const files = kubeconfig !== undefined ? [kubeconfig] : kubeconfigCandidates(env, os.homedir()).filter((f) => existsSync(f));
  return files.length > 0
    ? parseKubeconfigs(
        files.map((file) => ({ content: read(file), file })),
        read
      )
    : inClusterAccess(env, read);
}

export async function connectCluster(kubeconfig: string | undefined, workDir: string): Promise<Cluster> {
  let access: ApiAccess | undefined;
  const env: Record<string, string> = {};
  try {
    let file: string | undefined;
    if (kubeconfig !== undefined) {
      for (const secret of kubeconfigSecrets(kubeconfig)) maskSecret(secret);
      file = path.join(workDir, 'kubeconfig');
      await fs.writeFile(file, kubeconfig, { mode: 0o600 });
      env.KUBECONFIG = file;
    }
    access = resolveAccess(file);
  } catch (error) {
    if (error instanceof KubeconfigError)
      throw new ClusterAccessError(`${kubeconfig !== undefined ? "input 'kubeconfig'" : 'the kubeconfig'}: ${error.message}`);
    throw new ClusterAccessError(`cannot read the kubeconfig: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!access) {
    throw new ClusterAccessError(
      "the kubernetes driver needs access to a cluster: set the 'kubeconfig' input, KUBECONFIG or ~/.kube/config, or run the job in a pod with a service account"
    );
  }
  core.info(`cluster: ${access.server} (${access.source === 'in-cluster' ? "the pod's service account" : access.source})`);
  return { api: new KubeApi(access), env };
}
