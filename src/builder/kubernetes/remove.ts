// Removing a builder's objects through the API: the janitor's stale builders, and post's fallback when
// buildx cannot remove a builder (it never registered it because main was cancelled while creating it).
import { KubeApi, KubeApiError } from './api.js';
import { resolveAccess } from './cluster.js';
import type { WorkloadKind } from './metadata.js';

export interface WorkloadRef {
  readonly namespace: string;
  readonly workload: string;
  readonly kind: WorkloadKind;
  readonly kubeconfig?: string;
}

const notFound = (error: unknown): boolean => error instanceof KubeApiError && error.status === 404;

/** Deletes the workload and its ConfigMap; true when the workload was there, false when it was gone already. */
export async function deleteWorkload(api: KubeApi, ref: Omit<WorkloadRef, 'kubeconfig'>): Promise<boolean> {
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
