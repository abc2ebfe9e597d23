// Removing a builder's objects through the API: the janitor's stale builders, and post's fallback when
// buildx cannot remove a builder (it never registered it because main was cancelled while creating it).
import { KubeApi, type KubeClient } from './api.js';
import { resolveAccess } from './cluster.js';
import { otherUsers } from './lease.js';
import type { WorkloadKind } from '../../inputs/kubernetes.js';
import type { Lease } from './metadata.js';
import { notFound, workloadPath } from './workload.js';

export interface WorkloadRef {
  readonly namespace: string;
  readonly workload: string;
  readonly kind: WorkloadKind;
  readonly kubeconfig?: string;
}

/** Deletes the workload and its ConfigMap; true when the workload was there, false when it was gone already. */
export async function deleteWorkload(api: KubeClient, ref: Omit<WorkloadRef, 'kubeconfig'>): Promise<boolean> {
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
function apiFor(ref: WorkloadRef): KubeClient {
  const access = resolveAccess(ref.kubeconfig);
  if (!access) throw new Error('no access to the cluster');
  return new KubeApi(access);
}

/** Post's fallback, with the access main used. */
export async function removeWorkload(ref: WorkloadRef): Promise<boolean> {
  return deleteWorkload(apiFor(ref), ref);
}

/** The other runs whose mains are using the workload now (fresh leases; see lease.ts); [] when it is gone. */
export async function othersUsing(ref: WorkloadRef, run: string, now = new Date()): Promise<Lease[]> {
  return otherUsers(apiFor(ref), ref, run, now);
}
