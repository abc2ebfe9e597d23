// A builder on a cluster: access to the API, the preflight, the janitor, then `buildx create` on a
// Deployment named after the builder, so that a kept builder is found again, warm, by the next job.
import * as core from '@actions/core';
import path from 'node:path';
import type { BuilderConfig } from '../../inputs/config.js';
import { CommandError, run, tail } from '../../exec/exec.js';
import { createArgs, inspectArgs, removeArgs } from '../args.js';
import { type StartedBuilder, boot } from '../boot.js';
import type { BuilderRecord } from '../record.js';
import { SetupError } from '../errors.js';
import { requiredPermissions } from './access.js';
import { KubeApiError } from './api.js';
import { ClusterAccessError, connectCluster } from './cluster.js';
import { bootstrapDiagnosis } from './events.js';
import { removeStaleBuilders } from './janitor.js';
import { holdLease } from './lease.js';
import { ANNOTATION_CREATED_AT, ANNOTATION_RUN, madeByAction, markedOpts, runInfo, workloadName } from './metadata.js';
import { PermissionError, preflight } from './preflight.js';
import { readWorkload } from './workload.js';

export async function startKubernetesBuilder(
  config: BuilderConfig,
  name: string,
  platforms: readonly string[],
  workDir: string,
  remember: (record: BuilderRecord) => void,
  dockerEnv: Readonly<Record<string, string>> = {}
): Promise<StartedBuilder> {
  const k8s = config.kubernetes ?? { kubeconfig: undefined, staleMinutes: undefined, namespace: undefined, workloadKind: 'deployments' };
  let cluster: Awaited<ReturnType<typeof connectCluster>>;
  try {
    cluster = await connectCluster(k8s.kubeconfig, workDir);
  } catch (error) {
    if (error instanceof ClusterAccessError) throw new SetupError(error.message);
    throw error;
  }
  const { api } = cluster;
  const env = { ...dockerEnv, ...cluster.env };
  // the namespace buildx uses: the `namespace` option, else the kubeconfig context's, else 'default'
  const namespace = k8s.namespace ?? api.access.namespace ?? 'default';
  const kind = k8s.workloadKind;
  const workload = workloadName(name);
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
  if (reachable && k8s.staleMinutes !== undefined) await removeStaleBuilders(api, namespace, kind, k8s.staleMinutes, workload);

  const existing = reachable
    ? await readWorkload(api, { namespace, kind, workload }).catch((error: unknown) => {
        throw unreachable(error);
      })
    : undefined;
  // An earlier job on this machine may have left the builder registered with another kubeconfig: forget
  // it here (its BuildKit keeps running) and register it again with this job's.
  if ((await run('docker', inspectArgs(name), { silent: true, allowFailure: true, env })).exitCode === 0) {
    await run('docker', removeArgs(name, { keepDaemon: true }), { silent: true, allowFailure: true, env });
  }
  const record: BuilderRecord = {
    name,
    env,
    keep: config.keep,
    // unreachable, a named builder may be someone else's: only the action's own generated names are removed then
    remove: !config.keep && (reachable ? !existing || madeByAction(existing) : config.name === undefined),
    kubernetes: { namespace, workload, kind, ...(env.KUBECONFIG ? { kubeconfig: path.resolve(env.KUBECONFIG) } : {}) }
  };
  remember(record);
  if (existing) {
    const from = existing.annotations?.[ANNOTATION_RUN];
    const at = existing.annotations?.[ANNOTATION_CREATED_AT];
    core.info(`builder: reusing ${namespace}/${workload}${from ? ` (created by run ${from}${at ? ` at ${at}` : ''})` : ''}`);
  } else {
    core.info(`builder: creating ${namespace}/${workload} (kubernetes)`);
  }

  const info = runInfo(process.env, new Date(), config.keep);
  const opts = markedOpts(config.driverOpts, info);
  const notReady = async (error: unknown): Promise<SetupError> => {
    const diagnosis = await bootstrapDiagnosis(api, namespace, workload);
    // leave nothing half-created behind; a builder that was there before stays
    await run('docker', removeArgs(name, { keepDaemon: Boolean(existing) }), { silent: true, allowFailure: true, env });
    const detail = error instanceof CommandError ? tail(error.stderr, 5) : String(error);
    return new SetupError(`the kubernetes builder ${workload} in namespace ${namespace} did not become ready:\n${detail}\n${diagnosis}`);
  };
  try {
    await run('docker', createArgs(name, config, platforms, opts), { silent: true, env });
  } catch (error) {
    throw await notReady(error);
  }
  const booted = boot(record, notReady);
  // once buildx has made the workload, this run holds a lease on it while main runs
  if (reachable)
    void booted.then(
      () => holdLease(api, { namespace, kind, workload }, info.run),
      () => undefined
    );
  return { record, booted };
}
