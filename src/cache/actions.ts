// The Actions cache service through @actions/cache; restores go through the tar guard (answered by this
// process when bash can reach it: tar-guard-server). The library (3.5 MB bundled, a third of each step's
// start) and the guard's archive reader are loaded on first use: in main, while BuildKit boots.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CacheBackend, type CachedDir, RefusedArchiveError } from './backend.js';
import { TAR_REPORT, installTarGuard } from './tar-shim.js';

/** The guard's bundle sits next to this one: dist/main/index.js → dist/tar-guard/index.js. */
const GUARD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'tar-guard', 'index.js');

let loading: Promise<typeof import('@actions/cache')> | undefined;
/** @actions/cache, loaded once (its own chunk of the bundle). */
export const actionsCache = (): Promise<typeof import('@actions/cache')> => (loading ??= import('@actions/cache'));

let guarding: Promise<boolean> | undefined;

/**
 * Installs the guard once, answered by this process when it can listen (else by the guard entry); an
 * archive is never extracted unchecked, so without a guard nothing is restored.
 */
async function guardOnce(entry: CachedDir): Promise<void> {
  guarding ??= import('./tar-guard-server.js')
    .then(({ startGuardServer }) => startGuardServer())
    .catch(() => undefined)
    .then((server) => installTarGuard(GUARD, path.dirname(entry.dir), process.env, server));
  if (!(await guarding))
    throw new Error(
      'no tar guard could be installed (no tar on PATH, or no guard next to the action), and an archive is not extracted unchecked'
    );
}

export const actionsBackend: CacheBackend = {
  name: 'actions',
  async restore(entry: CachedDir, key: string, restoreKeys: readonly string[]) {
    await guardOnce(entry);
    const cache = await actionsCache();
    // the report is read and removed by the restore whose archive was refused (restores run side by
    // side: one must not remove another's report as it starts)
    const report = process.env[TAR_REPORT];
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
    return (await (await actionsCache()).saveCache([entry.path], key)) > 0;
  }
};

/** The runner provides the cache service to JavaScript actions through these variables. */
export async function actionsCacheAvailable(env: NodeJS.ProcessEnv): Promise<boolean> {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN) && (await actionsCache()).isFeatureAvailable();
}
