// The Actions cache service through @actions/cache.
import * as cache from '@actions/cache';
import type { CacheBackend, CachedDir } from './backend.js';

export const actionsBackend: CacheBackend = {
  name: 'actions',
  async restore(entry: CachedDir, key: string, restoreKeys: readonly string[]) {
    return cache.restoreCache([entry.path], key, [...restoreKeys]);
  },
  async save(entry: CachedDir, key: string) {
    return (await cache.saveCache([entry.path], key)) > 0;
  }
};

/** The runner provides the cache service to JavaScript actions through these variables. */
export function actionsCacheAvailable(env: NodeJS.ProcessEnv): boolean {
  return cache.isFeatureAvailable() && Boolean(env.ACTIONS_RUNTIME_TOKEN);
}
