// Removing a builder's objects through the API: the janitor's stale builders, and post's fallback when
// buildx cannot remove a builder (it never registered it because main was cancelled while creating it).
import { KubeApi, KubeApiError, type KubeClient } from './api.js';
import { resolveAccess } from './cluster.js';
import { otherUsers } from './lease.js';
import type { WorkloadKind } from '../../inputs/kubernetes.js';
import type { Lease } from './metadata.js';

export interface WorkloadRef {
  readonly namespace: string;
  readonly workload: string;
  readonly kind: WorkloadKind;
  readonly kubeconfig?: string;
}

const notFound = (error: unknown): boolean => error instanceof KubeApiError && error.status === 404;

/** Deletes the workload and its ConfigMap; true when the workload was there, false when it was gone already. */
export async function deleteWorkload(api: KubeClient, ref: Omit<WorkloadRef, 'kubeconfig'>): Promise<boolean> {
  const ns = encodeURIComponent(ref.namespace);
  await api.delete(`/api/v1/namespaces/${ns}/configmaps/${encodeURIComponent(`${ref.workload}-config`)}`).catch((error: unknown) => {
    if (!notFound(error)) throw error;
  });
  return api.delete(`/apis/apps/v1/namespaces/${ns}/${ref.kind}/${encodeURIComponent(ref.workload)}`).then(
    () => true,
    (error: unknown) => {
      if (notFound(error)) return false;
      throw error;
    }
  );
}

/** Post's fallback, with the access main used. */
export async function removeWorkload(ref: WorkloadRef): Promise<boolean> {
  const access = resolveAccess(ref.kubeconfig);
  if (!access) throw new Error('no access to the cluster');
  return deleteWorkload(new KubeApi(access), ref);
}

/** The other runs whose mains are using the workload now (fresh leases; see lease.ts); [] when it is gone. */
export async function othersUsing(ref: WorkloadRef, run: string, now = new Date()): Promise<Lease[]> {
  const access = resolveAccess(ref.kubeconfig);
  if (!access) throw new Error('no access to the cluster');
  return otherUsers(new KubeApi(access), { namespace: ref.namespace, kind: ref.kind, workload: ref.workload }, run, now).catch(
    (error: unknown) => {
      if (notFound(error)) return [];
      throw error;
    }
  );
}
