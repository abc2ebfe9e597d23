// The restore phase: the wheelhouse (exact key, else the newest of the same target), verified against its
// manifest, and pip's cache when wheels will be built. Cache faults were made warnings by the guard.
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { CachedDir } from '../cache/backend.js';
import type { GuardedCache, Restored as CacheRestored } from '../cache/guard.js';
import { folderBytes } from '../cache/size.js';
import { type Keys, indexHash, repairedKeys } from '../keys/key.js';
import type { DependencySet } from '../keys/model.js';
import type { CacheHit } from '../summary/summary.js';
import { indexProblem, verifyManifest } from '../wheels/manifest.js';

export interface Restored {
  readonly hit: CacheHit;
  /** The key the wheelhouse is saved under when it changed. */
  readonly saveKey: string;
  readonly pipKey: string | undefined;
  readonly bytes: number;
}

export async function restoreCaches(
  cache: GuardedCache | undefined,
  wheelhouse: CachedDir,
  pip: CachedDir | undefined,
  keys: { wheelhouse: Keys; pipCache: Keys; dependencies: Pick<DependencySet, 'options'> },
  env: NodeJS.ProcessEnv = process.env
): Promise<Restored> {
  await Promise.all([wheelhouse, pip].map((e) => e && fs.rm(e.dir, { recursive: true, force: true })));
  const primary = keys.wheelhouse.primary;
  const found = await restore(cache, wheelhouse, keys.wheelhouse);
  let wheelKey = await verified(wheelhouse.dir, found.key);
  let saveKey = primary;
  if ((found.key === primary && !wheelKey) || found.refused === primary) {
    // the entry of this very dependency set is spoiled and cannot be replaced: a repaired one is looked
    // for, and the wheelhouse built now is saved as one
    const run = [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT, randomBytes(3).toString('hex')].filter(Boolean).join('-');
    const repaired = repairedKeys(keys.wheelhouse, run);
    wheelKey = await verified(
      wheelhouse.dir,
      (await restore(cache, wheelhouse, { primary: repaired.restore[0]!, restore: repaired.restore })).key
    );
    saveKey = wheelKey ?? repaired.primary;
  }
  let exact = wheelKey === primary || Boolean(wheelKey?.startsWith(`${primary}-repaired-`));
  if (wheelKey && !exact) {
    // a restore key drops the hash that covers the index options: wheels taken from other indexes
    // (a public one, before a move to a private --index-url) are not reused
    const problem = await indexProblem(wheelhouse.dir, indexHash(keys.dependencies.options), keys.dependencies.options.length === 0);
    if (problem) {
      core.info(`wheelhouse: ${wheelKey} is not reused: ${problem}`);
      await fs.rm(wheelhouse.dir, { recursive: true, force: true });
      wheelKey = undefined;
      exact = false;
    }
  }
  const hit: CacheHit = exact ? 'exact' : wheelKey ? 'partial' : 'miss';
  core.info(`wheelhouse: ${hit}${wheelKey ? ` (${wheelKey})` : ''}`);
  // pip's cache serves only a wheel build: an exact hit needs none
  const pipKey = pip && hit !== 'exact' ? (await restore(cache, pip, keys.pipCache)).key : undefined;
  if (pip && hit !== 'exact') core.info(`pip cache: ${pipKey ?? 'miss'}`);
  return { hit, saveKey, pipKey, bytes: (await folderBytes(wheelhouse.dir)) + (pip ? await folderBytes(pip.dir) : 0) };
}

/** A restored wheelhouse that does not match its manifest is discarded: the build goes on as on a miss. */
async function verified(dir: string, key: string | undefined): Promise<string | undefined> {
  if (!key) return undefined;
  const problem = await verifyManifest(dir);
  if (!problem) return key;
  core.warning(`cache: the restored wheelhouse ${key} is discarded: ${problem}`);
  await fs.rm(dir, { recursive: true, force: true });
  return undefined;
}

async function restore(cache: GuardedCache | undefined, entry: CachedDir, keys: Keys): Promise<CacheRestored> {
  if (!cache) return { key: undefined };
  const { key: matched, refused } = await cache.restore(entry, keys.primary, keys.restore);
  if (refused) return { key: undefined, refused };
  const present = await fs.stat(entry.dir).then(
    (s) => s.isDirectory(),
    () => false
  );
  if (matched && !present) {
    // archives hold absolute locations: an entry saved under another home extracts elsewhere
    core.warning(`cache: the ${entry.label} entry ${matched} did not restore into ${entry.dir}; going on without it`);
  }
  if (!matched || !present) {
    await fs.rm(entry.dir, { recursive: true, force: true }); // nothing half-restored stays
    return { key: undefined };
  }
  return { key: matched };
}
