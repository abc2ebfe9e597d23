// The builder's workload (the Deployment or StatefulSet buildx makes) as the API names it, and read
// through it: one path and one read for the setup, the janitor, post and the leases.
import type { WorkloadKind } from '../../inputs/kubernetes.js';
import { KubeApiError, type KubeClient } from './api.js';
import type { WorkloadMeta } from './metadata.js';

export interface WorkloadAt {
  readonly namespace: string;
  readonly kind: WorkloadKind;
  readonly workload: string;
}

/** The collection of a kind of workload in a namespace. */
export const workloadsPath = (namespace: string, kind: WorkloadKind): string =>
  `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${kind}`;

export const workloadPath = (ref: WorkloadAt): string => `${workloadsPath(ref.namespace, ref.kind)}/${encodeURIComponent(ref.workload)}`;

export const notFound = (error: unknown): boolean => error instanceof KubeApiError && error.status === 404;

/** The workload's metadata; undefined when there is no such workload. */
export async function readWorkload(api: KubeClient, ref: WorkloadAt): Promise<WorkloadMeta | undefined> {
  try {
    const found = await api.get<{ metadata?: WorkloadMeta }>(workloadPath(ref));
    return found.metadata ?? { name: ref.workload };
  } catch (error) {
    if (notFound(error)) return undefined;
    throw error;
  }
}
