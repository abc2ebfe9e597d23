// Why a builder did not become ready: its pods' states and the last events of its Deployment, ReplicaSet
// and pods, read after a failed bootstrap for the error message. Best effort: never throws.
import type { KubeClient } from './api.js';

interface Event {
  involvedObject?: { kind?: string; name?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  metadata?: { creationTimestamp?: string };
}

interface Pod {
  metadata?: { name?: string };
  status?: {
    phase?: string;
    containerStatuses?: { name?: string; ready?: boolean; state?: { waiting?: { reason?: string; message?: string } } }[];
  };
}

const when = (e: Event): string => e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '';

/** Event lines of objects whose name starts with the workload's (its ReplicaSets and pods too), oldest first. */
export function eventLines(events: readonly Event[], workload: string, limit: number): string[] {
  return events
    .filter((e) => (e.involvedObject?.name ?? '').startsWith(workload))
    .sort((a, b) => when(a).localeCompare(when(b)))
    .slice(-limit)
    .map(
      (e) =>
        `${e.involvedObject?.kind ?? '?'}/${e.involvedObject?.name ?? '?'}: ${e.reason ?? ''}: ${(e.message ?? '').trim()}${(e.count ?? 1) > 1 ? ` (×${e.count})` : ''}`
    );
}

export function podLines(pods: readonly Pod[]): string[] {
  return pods.map((p) => {
    const waiting = (p.status?.containerStatuses ?? [])
      .filter((c) => c.state?.waiting)
      .map(
        (c) =>
          `${c.name ?? '?'} waiting: ${c.state?.waiting?.reason ?? ''}${c.state?.waiting?.message ? ` (${c.state.waiting.message})` : ''}`
      );
    return `pod ${p.metadata?.name ?? '?'}: ${p.status?.phase ?? 'unknown'}${waiting.length ? `; ${waiting.join('; ')}` : ''}`;
  });
}

export async function bootstrapDiagnosis(api: KubeClient, namespace: string, workload: string): Promise<string> {
  const ns = encodeURIComponent(namespace);
  const pods = await api
    .get<{ items?: Pod[] }>(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`app=${workload}`)}`)
    .then(
      (l) => podLines(l.items ?? []),
      (e: unknown) => [`(pods could not be listed: ${e instanceof Error ? e.message : String(e)})`]
    );
  const events = await api.get<{ items?: Event[] }>(`/api/v1/namespaces/${ns}/events`).then(
    (l) => eventLines(l.items ?? [], workload, 10),
    (e: unknown) => [`(events could not be listed: ${e instanceof Error ? e.message : String(e)})`]
  );
  return [
    pods.length ? pods.join('\n') : `no pod of ${workload} exists in namespace ${namespace}`,
    events.length
      ? `last events in namespace ${namespace}:\n${events.map((l) => `  ${l}`).join('\n')}`
      : `no events of ${workload} in namespace ${namespace}`
  ].join('\n');
}
