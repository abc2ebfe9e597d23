// The restore phase, driven through the real local backend (a folder store) and the cache guard: an
// exact hit, a partial one, a miss, a spoiled exact entry replaced by a repaired one, wheels of another
// index not reused, and pip's cache looked up only when wheels will be built.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryLog } from '../../../__fixtures__/cache.js';
import type { CachedDir } from '../../../src/cache/backend.js';
import { type GuardedCache, guarded } from '../../../src/cache/guard.js';
import { localBackend } from '../../../src/cache/local.js';
import type { CacheScope } from '../../../src/inputs/config.js';
import { type Keys, indexHash } from '../../../src/keys/key.js';
import { restoreCaches } from '../../../src/restore/restore.js';
import { writeManifest } from '../../../src/wheels/manifest.js';

const SCOPE: CacheScope = { repository: 'acme/app', ref: 'refs/heads/main', reads: ['refs/heads/main'] };
const PREFIX = 'wheelhouse-v1-linux-amd64-cp311-glibc2.36-';
const KEYS: Keys = { primary: `${PREFIX}pip-aaaa`, restore: [`${PREFIX}pip-`, PREFIX] };
const PIP_KEYS: Keys = { primary: 'pip-cache-v1-linux-amd64-cp311-aaaa', restore: ['pip-cache-v1-linux-amd64-cp311-'] };

let root: string;
let cache: GuardedCache;
let log: MemoryLog;
let wheelhouse: CachedDir;
let pip: CachedDir;

/** A zip archive's smallest form: its end-of-central-directory record. */
const EMPTY_ZIP = Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]);

/** Saves a wheelhouse of `wheels` under `key`, its manifest written as the wheels phase writes it; `spoil` changes it after. */
async function saved(
  key: string,
  wheels: string[],
  opts: { index?: string; spoil?: (dir: string) => Promise<void>; entry?: CachedDir } = {}
): Promise<void> {
  const dir = path.join(root, 'saving', key);
  await fs.mkdir(dir, { recursive: true });
  for (const w of wheels) await fs.writeFile(path.join(dir, w), EMPTY_ZIP);
  await writeManifest(dir, wheels, {}, opts.index);
  await opts.spoil?.(dir);
  expect(await cache.save({ ...(opts.entry ?? wheelhouse), dir }, key)).toBe(true);
}

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-'));
  log = new MemoryLog();
  cache = guarded(localBackend(path.join(root, 'store'), SCOPE), 30, log);
  wheelhouse = { label: 'wheelhouse', path: '~/wheelhouse', dir: path.join(root, 'run', 'wheelhouse') };
  pip = { label: 'pip-cache', path: '~/pip', dir: path.join(root, 'run', 'pip') };
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

const restore = (env: NodeJS.ProcessEnv = {}) =>
  restoreCaches(cache, wheelhouse, pip, { wheelhouse: KEYS, pipCache: PIP_KEYS, dependencies: { options: [] } }, env);

describe('restoreCaches', () => {
  it('an exact hit: the wheelhouse restored, pip’s cache not looked up', async () => {
    await saved(KEYS.primary, ['six-1.17.0-py2.py3-none-any.whl']);
    const restored = await restore();
    expect(restored).toMatchObject({ hit: 'exact', saveKey: KEYS.primary, pipKey: undefined });
    expect(restored.bytes).toBeGreaterThan(0);
    expect(await fs.readdir(wheelhouse.dir)).toContain('six-1.17.0-py2.py3-none-any.whl');
  });

  it('a partial hit: the newest wheelhouse of the target, saved under the run’s own key; pip’s cache looked up', async () => {
    await saved(`${PREFIX}pip-bbbb`, ['six-1.16.0-py2.py3-none-any.whl']);
    await saved(PIP_KEYS.primary, [], { entry: pip });
    const restored = await restore();
    expect(restored).toMatchObject({ hit: 'partial', saveKey: KEYS.primary, pipKey: PIP_KEYS.primary });
  });

  it('a miss: nothing restored, the folder left empty', async () => {
    expect(await restore()).toMatchObject({ hit: 'miss', saveKey: KEYS.primary, pipKey: undefined, bytes: 0 });
    await expect(fs.readdir(wheelhouse.dir)).rejects.toThrow();
  });

  it('a spoiled exact entry: discarded, and the next wheelhouse is saved as a repaired one', async () => {
    await saved(KEYS.primary, ['six-1.17.0-py2.py3-none-any.whl'], {
      spoil: (dir) => fs.writeFile(path.join(dir, 'six-1.17.0-py2.py3-none-any.whl'), 'not the wheel')
    });
    const restored = await restore({ GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '1' });
    expect(restored.hit).toBe('miss');
    expect(restored.saveKey).toMatch(new RegExp(`^${KEYS.primary}-repaired-42-1-[0-9a-f]{6}$`));
    await expect(fs.readdir(wheelhouse.dir)).rejects.toThrow();
  });

  it('a repaired entry of the same set counts as exact', async () => {
    await saved(KEYS.primary, ['six-1.17.0-py2.py3-none-any.whl'], { spoil: (dir) => fs.writeFile(path.join(dir, 'stray.txt'), 'x') });
    await saved(`${KEYS.primary}-repaired-7-1-abcdef`, ['six-1.17.0-py2.py3-none-any.whl']);
    expect(await restore()).toMatchObject({ hit: 'exact', saveKey: `${KEYS.primary}-repaired-7-1-abcdef` });
  });

  it('wheels taken from another index are not reused by a partial hit', async () => {
    await saved(`${PREFIX}pip-bbbb`, ['six-1.16.0-py2.py3-none-any.whl'], {
      index: indexHash([{ text: '--index-url https://pypi.example.com/simple', normalized: '--index-url https://pypi.example.com/simple' }])
    });
    const restored = await restore();
    expect(restored.hit).toBe('miss');
    await expect(fs.readdir(wheelhouse.dir)).rejects.toThrow();
  });
});
