// A builder on a cluster: access to the API, the preflight, the janitor, then `buildx create` on a
// Deployment named after the builder, so that a kept builder is found again, warm, by the next job.
import * as core from '@actions/core';
import path from 'node:path';
import type { BuilderConfig } from '../../inputs/config.js';
import { nodeOpts } from '../../inputs/kubernetes.js';
import { CommandError, type Exec, run, tail } from '../../exec/exec.js';
import { createArgs, inspectArgs, removeArgs } from '../args.js';
import { type StartedBuilder, boot } from '../boot.js';
import type { BuilderRecord } from '../record.js';
import { SetupError } from '../errors.js';
import { requiredPermissions } from './access.js';
import { KubeApiError } from './api.js';
import { type Cluster, ClusterAccessError, connectCluster } from './cluster.js';
import { bootstrapDiagnosis } from './events.js';
import { removeStaleBuilders } from './janitor.js';
import { holdLease } from './lease.js';
import { ANNOTATION_CREATED_AT, ANNOTATION_RUN, madeByAction, markedOpts, runInfo, workloadName } from './metadata.js';
import { PermissionError, preflight } from './preflight.js';
import { readWorkload } from './workload.js';

/** What the setup does its work with: programs (buildx), and the cluster's API. */
export interface KubernetesAdapters {
  readonly exec: Exec;
  readonly connect: (kubeconfig: string | undefined, workDir: string) => Promise<Cluster>;
}

export async function startKubernetesBuilder(
  config: BuilderConfig,
  name: string,
  platforms: readonly string[],
  workDir: string,
  remember: (record: BuilderRecord) => void,
  dockerEnv: Readonly<Record<string, string>> = {},
  /** The real ones unless a test gives its fakes. */
  { exec = run, connect = connectCluster }: Partial<KubernetesAdapters> = {}
): Promise<StartedBuilder> {
  const k8s = config.kubernetes ?? {
    kubeconfig: undefined,
    staleMinutes: undefined,
    namespace: undefined,
    workloadKind: 'deployments' as const,
    nodes: []
  };
  let cluster: Cluster;
  try {
    cluster = await connect(k8s.kubeconfig, workDir);
  } catch (error) {
    if (error instanceof ClusterAccessError) throw new SetupError(error.message);
    throw error;
  }
  const { api } = cluster;
  const env = { ...dockerEnv, ...cluster.env };
  // the namespace buildx uses: the `namespace` option, else the kubeconfig context's, else 'default'
  const namespace = k8s.namespace ?? api.access.namespace ?? 'default';
  const kind = k8s.workloadKind;
  // one node, or one a platform pinned to nodes of its architecture: each node is a workload
  const nodes =
    k8s.nodes.length > 0
      ? k8s.nodes.map((n) => ({
          name: `${name}${n.suffix}`,
          platforms: [n.platform],
          opts: nodeOpts(config.driverOpts, n),
          pinned: `${n.platform} on ${n.nodeSelector.value}`
        }))
      : [{ name, platforms, opts: config.driverOpts, pinned: undefined }];
  const workloads = nodes.map((n) => workloadName(n.name));
  const unreachable = (error: unknown): SetupError =>
    new SetupError(`cannot reach the Kubernetes API at ${api.access.server}: ${error instanceof Error ? error.message : String(error)}`);

  // the API out of the action's reach (a proxy or network rule it cannot follow) while buildx may reach
  // it: the permissions go unchecked with a warning, and buildx goes on with the kubeconfig
  let reachable = true;
  try {
    await preflight(api, namespace, requiredPermissions({ workload: kind, janitor: k8s.staleMinutes !== undefined }));
  } catch (error) {
    if (error instanceof PermissionError) throw new SetupError(error.message);
    if (!(error instanceof KubeApiError && error.status === 0)) throw unreachable(error);
    core.warning(
      `preflight: the action cannot reach the Kubernetes API at ${api.access.server} (${error.message}); ` +
        'the permissions are not checked, no janitor runs, and buildx goes on with the kubeconfig'
    );
    reachable = false;
  }
  if (reachable && k8s.staleMinutes !== undefined) await removeStaleBuilders(api, namespace, kind, k8s.staleMinutes, workloads);

  const existing = reachable
    ? await Promise.all(workloads.map((workload) => readWorkload(api, { namespace, kind, workload }))).catch((error: unknown) => {
        throw unreachable(error);
      })
    : workloads.map(() => undefined);
  // An earlier job on this machine may have left the builder registered with another kubeconfig: forget
  // it here (its BuildKit keeps running) and register it again with this job's.
  if ((await exec('docker', inspectArgs(name), { silent: true, allowFailure: true, env })).exitCode === 0) {
    await exec('docker', removeArgs(name, { keepDaemon: true }), { silent: true, allowFailure: true, env });
  }
  const record: BuilderRecord = {
    name,
    env,
    keep: config.keep,
    // unreachable, a named builder may be someone else's: only the action's own generated names are removed then
    remove: !config.keep && (reachable ? existing.every((meta) => !meta || madeByAction(meta)) : config.name === undefined),
    kubernetes: { namespace, workloads, kind, ...(env.KUBECONFIG ? { kubeconfig: path.resolve(env.KUBECONFIG) } : {}) }
  };
  remember(record);
  workloads.forEach((workload, i) => {
    const meta = existing[i];
    const pinned = nodes[i]!.pinned;
    if (meta) {
      const from = meta.annotations?.[ANNOTATION_RUN];
      const at = meta.annotations?.[ANNOTATION_CREATED_AT];
      const facts = [from && `created by run ${from}${at ? ` at ${at}` : ''}`, pinned].filter(Boolean);
      core.info(`builder: reusing ${namespace}/${workload}${facts.length > 0 ? ` (${facts.join('; ')})` : ''}`);
    } else {
      core.info(`builder: creating ${namespace}/${workload} (kubernetes${pinned ? `, ${pinned}` : ''})`);
    }
  });

  const info = runInfo(process.env, new Date(), config.keep);
  const notReady = async (error: unknown): Promise<SetupError> => {
    const diagnoses = await Promise.all(workloads.map((workload) => bootstrapDiagnosis(api, namespace, workload)));
    // leave nothing half-created behind; a builder that was there before stays
    await exec('docker', removeArgs(name, { keepDaemon: existing.every(Boolean) }), { silent: true, allowFailure: true, env });
    const detail = error instanceof CommandError ? tail(error.stderr, 5) : String(error);
    const which = workloads.length > 1 ? `builder ${name} (${workloads.join(', ')})` : `builder ${workloads[0]}`;
    return new SetupError(`the kubernetes ${which} in namespace ${namespace} did not become ready:\n${detail}\n${diagnoses.join('\n')}`);
  };
  try {
    for (const [i, node] of nodes.entries()) {
      const args = createArgs(name, config, node.platforms, markedOpts(node.opts, info), { name: node.name, append: i > 0 });
      await exec('docker', args, { silent: true, env });
    }
  } catch (error) {
    throw await notReady(error);
  }
  const booted = boot(record, notReady, exec);
  // once buildx has made the workloads, this run holds a lease on each while main runs
  if (reachable)
    void booted.then(
      () => {
        for (const workload of workloads) holdLease(api, { namespace, kind, workload }, info.run);
      },
      () => undefined
    );
  return { record, booted };
}
