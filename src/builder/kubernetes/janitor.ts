// Removes the action's builders that a cancelled or crashed job left behind: not kept, and created more
// than the given number of minutes ago. Faults are warnings: the janitor never fails a build.
import * as core from '@actions/core';
import type { KubeClient } from './api.js';
import type { WorkloadKind } from '../../inputs/kubernetes.js';
import { MANAGED_BY, MANAGED_BY_LABEL, type WorkloadMeta, staleBuilders } from './metadata.js';
import { deleteWorkload } from './remove.js';
import { workloadsPath } from './workload.js';

interface List {
  items?: { metadata?: WorkloadMeta }[];
}

export async function removeStaleBuilders(
  api: KubeClient,
  namespace: string,
  workload: WorkloadKind,
  minutes: number,
  except: readonly string[],
  now = new Date()
): Promise<string[]> {
  const base = workloadsPath(namespace, workload);
  try {
    const list = await api.get<List>(`${base}?labelSelector=${encodeURIComponent(`${MANAGED_BY_LABEL}=${MANAGED_BY}`)}`);
    const metas = (list.items ?? []).flatMap((i) => (i.metadata ? [i.metadata] : []));
    const stale = staleBuilders(metas, now, minutes, except);
    for (const name of stale) {
      await deleteWorkload(api, { namespace, workload: name, kind: workload });
      core.info(`janitor: removed the stale builder ${namespace}/${name}`);
    }
    if (stale.length === 0) core.info(`janitor: no builder of the action in ${namespace} is older than ${minutes} minutes`);
    return stale;
  } catch (error) {
    core.warning(`janitor: could not remove stale builders in ${namespace}: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}
