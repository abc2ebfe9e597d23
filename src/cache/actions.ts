// The Actions cache service through @actions/cache; restores go through the tar guard.
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CacheBackend, type CachedDir, RefusedArchiveError } from './backend.js';
import { TAR_REPORT, installTarGuard } from './tar-shim.js';

/** The guard's bundle sits next to this one: dist/main/index.js → dist/tar-guard/index.js. */
const GUARD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'tar-guard', 'index.js');

let guarded: boolean | undefined;

function guardOnce(entry: CachedDir): void {
  if (guarded !== undefined) return;
  guarded = installTarGuard(GUARD, path.dirname(entry.dir));
  if (!guarded) core.warning('cache: no tar guard could be installed; restored archives are not checked before extraction');
}

export const actionsBackend: CacheBackend = {
  name: 'actions',
  async restore(entry: CachedDir, key: string, restoreKeys: readonly string[]) {
    guardOnce(entry);
    const report = process.env[TAR_REPORT];
    if (report) rmSync(report, { force: true });
    const matched = await cache.restoreCache([entry.path], key, [...restoreKeys]);
    const refused = report && existsSync(report) ? readFileSync(report, 'utf8').trim() : '';
    if (!matched && refused) {
      rmSync(report!, { force: true });
      const which = await cache.restoreCache([entry.path], key, [...restoreKeys], { lookupOnly: true });
      throw new RefusedArchiveError(which ?? key, refused);
    }
    return matched;
  },
  async save(entry: CachedDir, key: string) {
    return (await cache.saveCache([entry.path], key)) > 0;
  }
};

/** The runner provides the cache service to JavaScript actions through these variables. */
export function actionsCacheAvailable(env: NodeJS.ProcessEnv): boolean {
  return cache.isFeatureAvailable() && Boolean(env.ACTIONS_RUNTIME_TOKEN);
}
