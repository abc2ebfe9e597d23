// The local backend: entries kept per repository and ref, read as the Actions cache reads them (own ref,
// base branch, default branch), written to the run's own ref only; links and devices are refused.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type CachedDir, RefusedArchiveError } from '../../../src/cache/backend.js';
import { localBackend, localEntryDir } from '../../../src/cache/local.js';
import type { CacheScope } from '../../../src/inputs/config.js';

let root: string;
let work: string;

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'local-cache-'));
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'local-work-'));
});

afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
  await fs.rm(work, { recursive: true, force: true });
});

const main: CacheScope = { repository: 'acme/app', ref: 'refs/heads/main', reads: ['refs/heads/main'] };
const feature: CacheScope = { repository: 'acme/app', ref: 'refs/heads/feature', reads: ['refs/heads/feature', 'refs/heads/main'] };
const pull: CacheScope = { repository: 'acme/app', ref: 'refs/pull/9/merge', reads: ['refs/pull/9/merge', 'refs/heads/main'] };
const otherRepository: CacheScope = { repository: 'acme/other', ref: 'refs/heads/main', reads: ['refs/heads/main'] };

/** A wheelhouse folder of this run holding one file with `content`. */
async function folder(name: string, content: string): Promise<CachedDir> {
  const dir = path.join(work, name);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'wheel.whl'), content);
  return { label: 'wheelhouse', path: `~/${name}`, dir };
}

async function save(scope: CacheScope, key: string, content: string): Promise<void> {
  expect(await localBackend(root, scope).save(await folder(`saving-${key}`, content), key)).toBe(true);
}

/** What a run of `scope` restores for `key` (then `restoreKeys`): the matched key and the file's content. */
async function restore(scope: CacheScope, key: string, restoreKeys: string[] = []): Promise<[string | undefined, string | undefined]> {
  const into: CachedDir = { label: 'wheelhouse', path: '~/into', dir: path.join(work, 'into') };
  await fs.rm(into.dir, { recursive: true, force: true });
  const matched = await localBackend(root, scope).restore(into, key, restoreKeys);
  const content = await fs.readFile(path.join(into.dir, 'wheel.whl'), 'utf8').catch(() => undefined);
  return [matched, content];
}

describe('local backend scopes', () => {
  it('a run restores what its own ref saved', async () => {
    await save(feature, 'wheelhouse-v1-a', 'feature');
    expect(await restore(feature, 'wheelhouse-v1-a')).toEqual(['wheelhouse-v1-a', 'feature']);
  });

  it("another repository's entries are never read", async () => {
    await save(otherRepository, 'wheelhouse-v1-a', 'other repository');
    expect(await restore(main, 'wheelhouse-v1-a', ['wheelhouse-v1-'])).toEqual([undefined, undefined]);
  });

  it("a branch reads the default branch's entry when it has none of its own", async () => {
    await save(main, 'wheelhouse-v1-a', 'main');
    expect(await restore(feature, 'wheelhouse-v1-a')).toEqual(['wheelhouse-v1-a', 'main']);
  });

  it("the default branch never reads a branch's or a pull request's entry", async () => {
    await save(feature, 'wheelhouse-v1-a', 'feature');
    await save(pull, 'wheelhouse-v1-b', 'pull request');
    expect(await restore(main, 'wheelhouse-v1-a', ['wheelhouse-v1-'])).toEqual([undefined, undefined]);
  });

  it('a pull request writes its own scope only: main and other pull requests do not see it', async () => {
    await save(pull, 'wheelhouse-v1-a', 'pull request');
    expect(await fs.readFile(path.join(localEntryDir(root, pull, 'wheelhouse', 'wheelhouse-v1-a'), 'wheel.whl'), 'utf8')).toBe(
      'pull request'
    );
    const otherPull: CacheScope = { repository: 'acme/app', ref: 'refs/pull/10/merge', reads: ['refs/pull/10/merge', 'refs/heads/main'] };
    expect(await restore(otherPull, 'wheelhouse-v1-a')).toEqual([undefined, undefined]);
  });

  it("the run's own scope is searched whole (exact key, then restore keys) before the next", async () => {
    await save(feature, 'wheelhouse-v1-old', 'feature, by prefix');
    await save(main, 'wheelhouse-v1-exact', 'main, exact');
    expect(await restore(feature, 'wheelhouse-v1-exact', ['wheelhouse-v1-'])).toEqual(['wheelhouse-v1-old', 'feature, by prefix']);
  });

  it('a restore key takes the newest entry it prefixes', async () => {
    await save(main, 'wheelhouse-v1-older', 'older');
    await save(main, 'wheelhouse-v1-newer', 'newer');
    const older = localEntryDir(root, main, 'wheelhouse', 'wheelhouse-v1-older');
    await fs.utimes(older, new Date(0), new Date(0));
    expect(await restore(main, 'wheelhouse-v1-missing', ['wheelhouse-v1-'])).toEqual(['wheelhouse-v1-newer', 'newer']);
  });

  it('a key that exists is not saved again', async () => {
    await save(main, 'wheelhouse-v1-a', 'first');
    expect(await localBackend(root, main).save(await folder('again', 'second'), 'wheelhouse-v1-a')).toBe(false);
    expect(await restore(main, 'wheelhouse-v1-a')).toEqual(['wheelhouse-v1-a', 'first']);
  });

  it.each<[string, CacheScope]>([
    ['a repository of dots', { repository: '..', ref: '..', reads: ['..'] }],
    ['a ref with slashes and dots', { repository: 'acme/app', ref: 'refs/heads/../../../escape', reads: ['refs/heads/../../../escape'] }]
  ])('%s stays one folder under the store', async (_, scope) => {
    await save(scope, 'wheelhouse-v1-a', 'kept');
    const dir = localEntryDir(root, scope, 'wheelhouse', 'wheelhouse-v1-a');
    expect(path.relative(path.join(root, 'scopes'), dir).split(path.sep)).toHaveLength(4);
    expect(await restore(scope, 'wheelhouse-v1-a')).toEqual(['wheelhouse-v1-a', 'kept']);
  });
});

describe('local backend: only plain files and folders', () => {
  it.each<[string, (entry: string) => Promise<void>]>([
    ['a link to a file outside the store', (entry) => fs.symlink('/etc/passwd', path.join(entry, 'passwd.whl'))],
    ['a link to a folder', (entry) => fs.symlink('/tmp', path.join(entry, 'sub'))],
    [
      'a link deep inside',
      async (entry) => {
        await fs.mkdir(path.join(entry, 'a', 'b'), { recursive: true });
        await fs.symlink('/etc', path.join(entry, 'a', 'b', 'etc'));
      }
    ]
  ])('an entry holding %s is refused, and nothing is restored', async (_, spoil) => {
    await save(main, 'wheelhouse-v1-a', 'saved');
    await spoil(localEntryDir(root, main, 'wheelhouse', 'wheelhouse-v1-a'));
    const into: CachedDir = { label: 'wheelhouse', path: '~/into', dir: path.join(work, 'into') };
    const refused = localBackend(root, main).restore(into, 'wheelhouse-v1-a', []);
    await expect(refused).rejects.toBeInstanceOf(RefusedArchiveError);
    await expect(refused).rejects.toThrow(/the archive of wheelhouse-v1-a was refused: '.+' is not a plain file or folder/);
    await expect(fs.stat(into.dir)).rejects.toThrow(/ENOENT/);
  });

  it('an entry that is itself a link is refused', async () => {
    const elsewhere = await folder('elsewhere', 'not an entry');
    const dir = localEntryDir(root, main, 'wheelhouse', 'wheelhouse-v1-a');
    await fs.mkdir(path.dirname(dir), { recursive: true });
    await fs.symlink(elsewhere.dir, dir);
    await expect(restore(main, 'wheelhouse-v1-a')).rejects.toThrow(/'\.' is not a plain file or folder/);
  });

  it('a folder holding a link is not saved', async () => {
    const entry = await folder('with-link', 'wheel');
    await fs.symlink('/etc/passwd', path.join(entry.dir, 'passwd'));
    await expect(localBackend(root, main).save(entry, 'wheelhouse-v1-a')).rejects.toThrow(
      /passwd is not a plain file or folder; the wheelhouse is not saved/
    );
    expect(await restore(main, 'wheelhouse-v1-a')).toEqual([undefined, undefined]);
  });
});
