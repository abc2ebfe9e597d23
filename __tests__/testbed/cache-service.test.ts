// The real @actions/cache client against the cache service stand-in: what the action's Actions
// backend relies on, byte for byte.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import * as cache from '@actions/cache';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CacheService } from '../support/cache-service/server.js';
import type { Scope } from '../support/cache-service/token.js';

const MAIN: Scope[] = [{ Scope: 'refs/heads/main', Permission: 3 }];
const PULL: Scope[] = [
  { Scope: 'refs/pull/7/merge', Permission: 3 },
  { Scope: 'refs/heads/main', Permission: 1 }
];

let service: CacheService;
let work: string;
let cached: string;

function useScopes(scopes: Scope[]): void {
  Object.assign(process.env, service.env(scopes));
}

async function writeTree(files: Record<string, Buffer | string>): Promise<void> {
  await fs.rm(cached, { recursive: true, force: true });
  for (const [name, data] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(cached, name)), { recursive: true });
    await fs.writeFile(path.join(cached, name), data);
  }
}

async function readTree(): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  for (const name of (await fs.readdir(cached, { recursive: true })).sort()) {
    const file = path.join(cached, name);
    if ((await fs.stat(file)).isFile()) out[name] = await fs.readFile(file);
  }
  return out;
}

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'cache-service-test-'));
  cached = path.join(work, 'wheelhouse');
  process.env.RUNNER_TEMP = path.join(work, 'runner-temp');
  await fs.mkdir(process.env.RUNNER_TEMP);
  delete process.env.GITHUB_SERVER_URL;
  service = await CacheService.start(path.join(work, 'store'));
});

afterAll(async () => {
  await service.stop();
  await fs.rm(work, { recursive: true, force: true });
});

beforeEach(() => {
  service.clearFaults();
  useScopes(MAIN);
});

describe('the cache service stand-in with the real @actions/cache client', () => {
  const wheel = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 251));
  const files = { 'a-1.0-py3-none-any.whl': wheel, 'sub/manifest.json': '{"a":1}\n' };

  it('saves an entry and restores it on an exact key, byte for byte', async () => {
    await writeTree(files);
    const id = await cache.saveCache([cached], 'wheelhouse-v1-linux-amd64-cp311-pip-aaaa');
    expect(id).toBeGreaterThan(0);
    await fs.rm(cached, { recursive: true });

    const hit = await cache.restoreCache([cached], 'wheelhouse-v1-linux-amd64-cp311-pip-aaaa', ['wheelhouse-v1-linux-amd64-cp311-pip-']);
    expect(hit).toBe('wheelhouse-v1-linux-amd64-cp311-pip-aaaa');
    expect(await readTree()).toEqual({ 'a-1.0-py3-none-any.whl': wheel, 'sub/manifest.json': Buffer.from('{"a":1}\n') });
  });

  it('falls back to the newest entry matching a restore-key prefix', async () => {
    await writeTree({ 'b-2.0-py3-none-any.whl': 'second' });
    await cache.saveCache([cached], 'wheelhouse-v1-linux-amd64-cp311-pip-bbbb');
    await fs.rm(cached, { recursive: true });

    const hit = await cache.restoreCache([cached], 'wheelhouse-v1-linux-amd64-cp311-pip-cccc', ['wheelhouse-v1-linux-amd64-cp311-pip-']);
    expect(hit).toBe('wheelhouse-v1-linux-amd64-cp311-pip-bbbb');
    expect(await readTree()).toEqual({ 'b-2.0-py3-none-any.whl': Buffer.from('second') });
  });

  it('misses when neither the key nor a prefix matches', async () => {
    const hit = await cache.restoreCache([cached], 'wheelhouse-v1-linux-arm64-cp312-pip-dddd', ['wheelhouse-v1-linux-arm64-']);
    expect(hit).toBeUndefined();
  });

  it('misses when the paths (and so the version) differ', async () => {
    const hit = await cache.restoreCache([path.join(work, 'elsewhere')], 'wheelhouse-v1-linux-amd64-cp311-pip-aaaa');
    expect(hit).toBeUndefined();
  });

  it('answers a second save of the same key with 409 and keeps the first entry', async () => {
    await writeTree({ 'x.whl': 'first' });
    expect(await cache.saveCache([cached], 'dup-key')).toBeGreaterThan(0);
    await writeTree({ 'x.whl': 'second' });
    expect(await cache.saveCache([cached], 'dup-key')).toBe(-1);
    expect(service.calls.filter((c) => c.endpoint === 'CreateCacheEntry' && c.status === 409)).toHaveLength(1);
    await fs.rm(cached, { recursive: true });
    await cache.restoreCache([cached], 'dup-key');
    expect(await readTree()).toEqual({ 'x.whl': Buffer.from('first') });
  });

  it('lets a pull request read its base branch but write only its own scope', async () => {
    useScopes(PULL);
    await fs.rm(cached, { recursive: true, force: true });
    expect(await cache.restoreCache([cached], 'wheelhouse-v1-linux-amd64-cp311-pip-aaaa')).toBe('wheelhouse-v1-linux-amd64-cp311-pip-aaaa');
    await writeTree({ 'pr.whl': 'from the pull request' });
    expect(await cache.saveCache([cached], 'wheelhouse-v1-linux-amd64-cp311-pip-pr')).toBeGreaterThan(0);
    const saved = service.entries().find((e) => e.key === 'wheelhouse-v1-linux-amd64-cp311-pip-pr');
    expect(saved?.scope).toBe('refs/pull/7/merge');

    useScopes(MAIN);
    expect(await cache.restoreCache([cached], 'wheelhouse-v1-linux-amd64-cp311-pip-pr')).toBeUndefined();
  });

  it('denies writes to a read-only token', async () => {
    useScopes([{ Scope: 'refs/heads/main', Permission: 1 }]);
    await writeTree({ 'ro.whl': 'x' });
    expect(await cache.saveCache([cached], 'read-only-key')).toBe(-1);
    expect(service.entries().some((e) => e.key === 'read-only-key')).toBe(false);
  });

  it('injects faults the client meets: a retried 5xx, a non-JSON answer, a truncated download', async () => {
    const key = 'wheelhouse-v1-linux-amd64-cp311-pip-aaaa';
    service.inject({ endpoint: 'GetCacheEntryDownloadURL', kind: 'status', status: 503, times: 1 });
    expect(await cache.restoreCache([cached], key)).toBe(key);
    expect(service.calls.filter((c) => c.fault === 'status')).toHaveLength(1);

    service.inject({ endpoint: 'GetCacheEntryDownloadURL', kind: 'status', status: 400 });
    expect(await cache.restoreCache([cached], key)).toBeUndefined();
    service.clearFaults();

    service.inject({ endpoint: 'GetCacheEntryDownloadURL', kind: 'non-json', times: 1 });
    expect(await cache.restoreCache([cached], key)).toBe(key);
    expect(service.calls.some((c) => c.fault === 'non-json')).toBe(true);

    service.inject({ endpoint: 'download', kind: 'truncate', times: 2 });
    expect(await cache.restoreCache([cached], key)).toBeUndefined();
    expect(service.calls.filter((c) => c.endpoint === 'download' && c.fault === 'truncate')).toHaveLength(2);
  }, 60_000);
});
