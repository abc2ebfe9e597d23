// The post step: saves the caches that changed (only after a good wheel build), removes what main
// created, and never fails the job.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import { removeBuilder } from './builder/builder.js';
import { guarded } from './cache/guard.js';
import { selectBackend } from './cache/select.js';
import { folderBytes } from './cache/size.js';
import { loadState } from './state.js';
import { formatBytes } from './summary/summary.js';

export async function post(): Promise<void> {
  const state = loadState();
  if (!state) {
    core.info('post: main left nothing to save or remove');
    return;
  }
  await core.group('save', async () => {
    const backend = state.cache.save ? selectBackend({ ...state.cache, pipCache: true }) : undefined;
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
      const bytes = await folderBytes(pending.entry.dir);
      const saved = await cache.save(pending.entry, pending.key);
      if (saved) savedBytes += bytes;
      core.info(`${pending.entry.label}: ${saved ? `saved ${formatBytes(bytes)} as ${pending.key}` : 'not saved'}`);
    }
    if (savedBytes > 0) {
      await core.summary
        .addRaw(`wheelhouse-buildx saved ${formatBytes(savedBytes)} to the ${backend.name} cache.`, true)
        .write()
        .catch((error: unknown) => core.warning(`summary: ${error instanceof Error ? error.message : String(error)}`));
    }
  }).catch((error: unknown) => core.warning(`post: save: ${error instanceof Error ? error.message : String(error)}`));

  await core.group('cleanup', async () => {
    const builder = state.builder;
    if (builder?.created && !builder.keep) {
      await removeBuilder(builder.name)
        .then(() => core.info(`builder: removed ${builder.name}`))
        .catch((error: unknown) => core.warning(`builder: could not remove ${builder.name}: ${error instanceof Error ? error.message : String(error)}`));
    } else if (builder) {
      core.info(`builder: kept ${builder.name}`);
    }
    for (const dir of state.scratch) await fs.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }).catch((error: unknown) => core.warning(`post: cleanup: ${error instanceof Error ? error.message : String(error)}`));
}
