// How the action marks the builders it creates on a cluster, and how it tells them apart later (pure).
// The label is stable (buildx selects the builder's pods by the Deployment's labels, so a value that
// changed between runs would lose a warm builder's pods); what varies by run goes in annotations.
import { runOf } from '../args.js';
import type { DriverOpt } from '../../inputs/driver-opts.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'wheelhouse-buildx';
export const ANNOTATION_RUN = 'wheelhouse-buildx/run';
export const ANNOTATION_CREATED_AT = 'wheelhouse-buildx/created-at';
export const ANNOTATION_KEEP = 'wheelhouse-buildx/keep';
/** `wheelhouse-buildx/lease-<run>`: when that run's main last said it was using the builder. */
export const ANNOTATION_LEASE_PREFIX = 'wheelhouse-buildx/lease-';
/** How often main renews its lease while it runs. */
export const LEASE_RENEW_MS = 60_000;
/** Another run's lease renewed this recently means that run's main is using the builder. */
export const LEASE_FRESH_MS = 3 * LEASE_RENEW_MS;

export interface RunInfo {
  /** `<run id>-<attempt>`, or 'local' outside Actions. */
  readonly run: string;
  readonly createdAt: Date;
  readonly keep: boolean;
}

/** The run a builder's annotations and leases name: `<run id>-<attempt>`, or 'local' outside Actions. */
export const runName = (env: NodeJS.ProcessEnv): string => runOf(env) || 'local';

export function runInfo(env: NodeJS.ProcessEnv, now: Date, keep: boolean): RunInfo {
  return { run: runName(env), createdAt: now, keep };
}

/** The driver options with the action's label and annotations merged into the user's own. */
export function markedOpts(opts: readonly DriverOpt[], info: RunInfo): DriverOpt[] {
  const merge = (key: string, pairs: readonly string[]): DriverOpt => {
    const own = opts.find((o) => o.key === key)?.value;
    return { key, value: [own, ...pairs].filter(Boolean).join(',') };
  };
  // buildx splits annotation values at ',' and '=': the timestamp's ':' is fine, nothing else is needed
  const annotations = [
    `${ANNOTATION_RUN}=${info.run}`,
    `${ANNOTATION_CREATED_AT}=${info.createdAt.toISOString()}`,
    `${ANNOTATION_KEEP}=${String(info.keep)}`
  ];
  return [
    ...opts.filter((o) => o.key !== 'labels' && o.key !== 'annotations'),
    merge('labels', [`${MANAGED_BY_LABEL}=${MANAGED_BY}`]),
    merge('annotations', annotations)
  ];
}

/** The Deployment (or StatefulSet) buildx makes for a builder whose node is named `node`. */
export function workloadName(node: string): string {
  return node.replace(/_/g, '-');
}

export interface WorkloadMeta {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The lease annotation of a run (an annotation name part: at most 63 characters of [A-Za-z0-9._-]). */
export function leaseAnnotation(run: string): string {
  const part = `lease-${run.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 63).replace(/[^A-Za-z0-9]+$/, '');
  return `wheelhouse-buildx/${part}`;
}

export interface Lease {
  /** The annotation's run part, as written. */
  readonly run: string;
  readonly at: number;
}

/** The runs' leases on a builder. */
export function leasesOf(meta: WorkloadMeta): Lease[] {
  return Object.entries(meta.annotations ?? {})
    .filter(([key]) => key.startsWith(ANNOTATION_LEASE_PREFIX))
    .map(([key, value]) => ({ run: key.slice(ANNOTATION_LEASE_PREFIX.length), at: Date.parse(value) }))
    .filter((l) => Number.isFinite(l.at));
}

/** The merge patch that renews (a date) or drops (null) a run's lease. */
export function leasePatch(run: string, at: Date | null): { metadata: { annotations: Record<string, string | null> } } {
  return { metadata: { annotations: { [leaseAnnotation(run)]: at ? at.toISOString() : null } } };
}

/** The leases of runs other than `run` renewed within LEASE_FRESH_MS of `now`: their mains are using the builder. */
export function heldByOthers(meta: WorkloadMeta, run: string, now: Date): Lease[] {
  const own = leaseAnnotation(run).slice(ANNOTATION_LEASE_PREFIX.length);
  return leasesOf(meta).filter((l) => l.run !== own && now.getTime() - l.at <= LEASE_FRESH_MS);
}

/**
 * The action's builders that nobody keeps and that nothing has used for more than `minutes`: created
 * that long ago, and no run's lease renewed since.
 */
export function staleBuilders(items: readonly WorkloadMeta[], now: Date, minutes: number, except: readonly string[]): string[] {
  return items
    .filter((m) => m.labels?.[MANAGED_BY_LABEL] === MANAGED_BY && !except.includes(m.name))
    .filter((m) => m.annotations?.[ANNOTATION_KEEP] !== 'true')
    .filter((m) => {
      const created = Date.parse(m.annotations?.[ANNOTATION_CREATED_AT] ?? '');
      const last = Math.max(created, ...leasesOf(m).map((l) => l.at));
      return Number.isFinite(created) && now.getTime() - last > minutes * 60_000;
    })
    .map((m) => m.name);
}

/** Whether a workload was made by the action (and so may be removed by it). */
export function madeByAction(meta: WorkloadMeta | undefined): boolean {
  return meta?.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;
}
