// Post's fallback: removes a builder's workload and ConfigMap through the API when buildx cannot (it
// never registered the builder because main was cancelled while creating it).
import { KubeApi, KubeApiError } from './api.js';
import { resolveAccess } from './cluster.js';
import type { WorkloadKind } from './metadata.js';

export interface WorkloadRef {
  readonly namespace: string;
  readonly workload: string;
  readonly kind: WorkloadKind;
  readonly kubeconfig?: string;
}

/** True when the workload was there and is now removed; false when there was nothing to remove. */
export async function removeWorkload(ref: WorkloadRef): Promise<boolean> {
  const access = resolveAccess(ref.kubeconfig);
  if (!access) throw new Error('no access to the cluster');
  const api = new KubeApi(access);
  const ns = encodeURIComponent(ref.namespace);
  const notFound = (error: unknown): boolean => error instanceof KubeApiError && error.status === 404;
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
