// A run's lease on a builder: main writes `wheelhouse-buildx/lease-<run>` on the workload when the
// builder is up and renews it every minute while it runs, so that the janitor spares a builder a long
// job is still using, and the post step of another job sharing the builder's name leaves it to the run
// using it. Best effort: a lease that cannot be written (no `patch` permission, the API unreachable)
// leaves the janitor with the creation time and post with no one else to wait for.
import * as core from '@actions/core';
import type { KubeClient } from './api.js';
import { LEASE_RENEW_MS, type Lease, heldByOthers, leasePatch } from './metadata.js';
import { type WorkloadAt, readWorkload, workloadPath } from './workload.js';

/** Writes the run's lease now and every LEASE_RENEW_MS until the returned function is called (or the process ends). */
export function holdLease(api: KubeClient, ref: WorkloadAt, run: string, now: () => Date = () => new Date()): () => void {
  let warned = false;
  const renew = (): void => {
    api.patch(workloadPath(ref), leasePatch(run, now())).then(
      () => core.debug(`lease: renewed on ${ref.namespace}/${ref.workload} for run ${run}`),
      (error: unknown) => {
        if (warned) return;
        warned = true;
        core.info(
          `lease: cannot write this run's lease on ${ref.namespace}/${ref.workload} (${error instanceof Error ? error.message : String(error)}); ` +
            'a janitor then goes by the builder creation time alone'
        );
      }
    );
  };
  renew();
  const timer = setInterval(renew, LEASE_RENEW_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** The other runs whose mains are using the builder now (fresh leases); [] when there is no such workload. */
export async function otherUsers(api: KubeClient, ref: WorkloadAt, run: string, now: Date): Promise<Lease[]> {
  const meta = await readWorkload(api, ref);
  return meta ? heldByOthers(meta, run, now) : [];
}
