// Removing a builder's objects through the API: the janitor's stale builders, and post's fallback when
// buildx cannot remove a builder (it never registered it because main was cancelled while creating it).
import { KubeApi, type KubeClient } from './api.js';
import { resolveAccess } from './cluster.js';
import { otherUsers } from './lease.js';
import type { WorkloadKind } from '../../inputs/kubernetes.js';
import type { Lease } from './metadata.js';
import { type WorkloadAt, notFound, workloadPath } from './workload.js';

/** A builder's workloads (one a node) and the access main used. */
export interface BuilderWorkloads {
  readonly namespace: string;
  readonly workloads: readonly string[];
  readonly kind: WorkloadKind;
  readonly kubeconfig?: string;
}

/** Deletes the workload and its ConfigMap; true when the workload was there, false when it was gone already. */
export async function deleteWorkload(api: KubeClient, ref: WorkloadAt): Promise<boolean> {
  const ns = encodeURIComponent(ref.namespace);
  await api.delete(`/api/v1/namespaces/${ns}/configmaps/${encodeURIComponent(`${ref.workload}-config`)}`).catch((error: unknown) => {
    if (!notFound(error)) throw error;
  });
  return api.delete(workloadPath(ref)).then(
    () => true,
    (error: unknown) => {
      if (notFound(error)) return false;
      throw error;
    }
  );
}

/** The API with the access main used (post's kubeconfig from the state, or what buildx finds). */
function apiFor(ref: BuilderWorkloads): KubeClient {
  const access = resolveAccess(ref.kubeconfig);
  if (!access) throw new Error('no access to the cluster');
  return new KubeApi(access);
}

/** Post's fallback, with the access main used: the workloads that were there (removed now), in order. */
export async function removeWorkloads(ref: BuilderWorkloads): Promise<string[]> {
  const api = apiFor(ref);
  const gone: string[] = [];
  for (const workload of ref.workloads) if (await deleteWorkload(api, { ...ref, workload })) gone.push(workload);
  return gone;
}

/** The other runs whose mains are using any of the workloads now (fresh leases; see lease.ts). */
export async function othersUsing(ref: BuilderWorkloads, run: string, now = new Date()): Promise<Lease[]> {
  const api = apiFor(ref);
  const leases = await Promise.all(ref.workloads.map((workload) => otherUsers(api, { ...ref, workload }, run, now)));
  return leases.flat();
}
