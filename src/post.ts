// The post step: saves the caches that changed (only after a good wheel build), removes what main
// created (at the same time), and never fails the job.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import { type BuilderRecord, forgetBuilder, removeBuilder } from './builder/builder.js';
import type { CacheBackend } from './cache/backend.js';
import { type Detach, type Exec, run, startDetached } from './exec/exec.js';
import { runName } from './builder/kubernetes/metadata.js';
import { othersUsing, removeWorkloads } from './builder/kubernetes/remove.js';
import { guarded, withDeadline } from './cache/guard.js';
import { selectBackend } from './cache/select.js';
import { folderBytes } from './cache/size.js';
import { type State, loadState } from './state.js';
import { formatBytes } from './summary/summary.js';

/** What post does its work with: programs (buildx), the cache backend main chose, the cluster's API. */
export interface PostAdapters {
  readonly exec: Exec;
  /** Starts a program post does not wait for (deleting a builder's state volume). */
  readonly detach: Detach;
  readonly backend: (cache: State['cache']) => Promise<CacheBackend | undefined>;
  readonly cluster: { readonly othersUsing: typeof othersUsing; readonly removeWorkloads: typeof removeWorkloads };
}

export const POST_ADAPTERS: PostAdapters = {
  exec: run,
  detach: startDetached,
  backend: selectBackend,
  cluster: { othersUsing, removeWorkloads }
};

export async function post(adapters: PostAdapters): Promise<void> {
  const state = loadState();
  if (!state) {
    core.info('post: main left nothing to save or remove');
    return;
  }
  // the builder is removed while the caches are saved (neither needs the other); its notes follow the saves
  const removal = removeOrKeep(state.builder, adapters);
  await core
    .group('save', async () => {
      // the backend main chose (the state holds `actions`, `local` or `none`, not `auto`)
      const backend = state.cache.save ? await adapters.backend(state.cache) : undefined;
      if (!backend) {
        core.info('cache: saving is off');
        return;
      }
      const cache = guarded(backend, state.cache.timeoutSeconds);
      let savedBytes = 0;
      for (const pending of state.saves) {
        if (!pending.changed) {
          core.info(`${pending.entry.label}: unchanged, not saved`);
          continue;
        }
        if (pending.staged) {
          // another platform's folder of the same entry was used after this one: this one goes back in place
          const back = await fs
            .rm(pending.entry.dir, { recursive: true, force: true })
            .then(() => fs.rename(pending.staged!, pending.entry.dir))
            .then(
              () => true,
              (error: unknown) => {
                core.warning(
                  `cache: the ${pending.entry.label} ${pending.key} is not saved: ${error instanceof Error ? error.message : String(error)}`
                );
                return false;
              }
            );
          if (!back) continue;
        }
        const bytes = await folderBytes(pending.entry.dir);
        const saved = await cache.save(pending.entry, pending.key);
        if (saved) {
          savedBytes += bytes;
          core.info(`${pending.entry.label}: saved ${formatBytes(bytes)} as ${pending.key}`);
        } else if (saved === false) {
          core.warning(
            `cache: the ${pending.entry.label} was not saved as ${pending.key} (the key exists already or the service refused it); the next run cannot start from it`
          );
        }
      }
      if (savedBytes > 0) {
        await core.summary
          .addRaw(`wheelhouse-buildx saved ${formatBytes(savedBytes)} to the ${backend.name} cache.`, true)
          .write()
          .catch((error: unknown) => core.warning(`summary: ${error instanceof Error ? error.message : String(error)}`));
      }
    })
    .catch((error: unknown) => core.warning(`post: save: ${error instanceof Error ? error.message : String(error)}`));

  await core
    .group('cleanup', async () => {
      for (const note of await removal) (note.warning ? core.warning : core.info)(note.text);
      for (const dir of state.scratch) await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    })
    .catch((error: unknown) => core.warning(`post: cleanup: ${error instanceof Error ? error.message : String(error)}`));
}

const REMOVE_SECONDS = 120;
/** An API that does not answer must not hold post long before the builder is removed as usual. */
const LEASE_READ_SECONDS = 10;

interface Note {
  readonly text: string;
  readonly warning?: boolean;
}

/** What becomes of main's builder: removed, or kept (and why). Never rejects. */
async function removeOrKeep(builder: BuilderRecord | undefined, adapters: PostAdapters): Promise<Note[]> {
  if (!builder) return [];
  if (!builder.remove) return [{ text: `builder: kept ${builder.name}${builder.keep ? ' (keep-builder)' : ' (not made by the action)'}` }];
  return remove(builder, adapters).catch((error: unknown) => [
    { text: `post: cleanup: ${error instanceof Error ? error.message : String(error)}`, warning: true }
  ]);
}

/**
 * buildx removes the builder; when it cannot (main was cancelled before buildx registered it), the API
 * does. A cluster builder that another run's main is using now (a job sharing its name) is left to it.
 */
async function remove(builder: BuilderRecord, { exec, detach, cluster }: PostAdapters): Promise<Note[]> {
  const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));
  if (builder.kubernetes) {
    const { namespace, workloads } = builder.kubernetes;
    const names = workloads.join(', ');
    const runId = runName(process.env);
    const others = await withDeadline(
      cluster.othersUsing(builder.kubernetes, runId),
      LEASE_READ_SECONDS,
      `reading the leases on ${names}`
    ).catch((error: unknown) => {
      core.info(`builder: cannot read the leases on ${namespace}/${names} (${message(error)}); removing it`);
      return [];
    });
    if (others.length > 0) {
      await withDeadline(forgetBuilder(builder, exec), REMOVE_SECONDS, `forgetting ${builder.name}`).catch(() => undefined);
      const last = new Date(Math.max(...others.map((o) => o.at))).toISOString();
      return [
        {
          text: `builder: left ${namespace}/${names} to run ${others.map((o) => o.run).join(', ')}, whose main is using it (lease renewed at ${last}); its post or the janitor removes it`
        }
      ];
    }
  }
  try {
    // a cluster that does not answer must not hold the job: buildx's own calls have no deadline
    await withDeadline(removeBuilder(builder, exec, detach), REMOVE_SECONDS, `removing ${builder.name}`);
    return [{ text: `builder: removed ${builder.name}` }];
  } catch (error) {
    if (!builder.kubernetes) return [{ text: `builder: could not remove ${builder.name}: ${message(error)}`, warning: true }];
    const notes: Note[] = [
      { text: `builder: buildx could not remove ${builder.name} (${message(error).split('\n')[0]}); removing its workload through the API` }
    ];
    const { namespace, workloads } = builder.kubernetes;
    return withDeadline(cluster.removeWorkloads(builder.kubernetes), REMOVE_SECONDS, `removing ${workloads.join(', ')}`)
      .then((gone) => [
        ...notes,
        ...workloads.map((w) => ({ text: `builder: ${gone.includes(w) ? 'removed' : 'no workload left of'} ${namespace}/${w}` }))
      ])
      .catch((error: unknown) => [...notes, { text: `builder: could not remove ${builder.name}: ${message(error)}`, warning: true }]);
  }
}
