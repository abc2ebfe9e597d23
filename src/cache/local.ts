// A local directory as cache: for runs outside Actions and self-hosted runners with a persistent
// volume. Entries are folders named by key, kept per repository and ref as the Actions cache keeps
// them: a run writes its own ref's scope, and reads its own, then its base branch's, then the default
// branch's (each: the exact key, then the newest entry a restore key prefixes). An entry holding
// anything but plain files and folders (a link, a device) is refused, whatever its label.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CacheScope } from '../inputs/config.js';
import { type CacheBackend, type CachedDir, RefusedArchiveError } from './backend.js';

/** A path component that stays one component and never names `.` or `..` ('-' for an empty value). */
function component(value: string): string {
  return value ? encodeURIComponent(value).replace(/\./g, '%2E').replace(/\*/g, '%2A') : '-';
}

/** The folder of a scope's entries of one label. */
export function scopeDir(root: string, repository: string, ref: string, label: CachedDir['label']): string {
  return path.join(root, 'scopes', component(repository), component(ref), label);
}

/** Where an entry saved by a run of `scope` is kept. */
export function localEntryDir(root: string, scope: CacheScope, label: CachedDir['label'], key: string): string {
  return path.join(scopeDir(root, scope.repository, scope.ref, label), key);
}

const exists = (p: string): Promise<boolean> =>
  fs.lstat(p).then(
    () => true,
    () => false
  );

async function newestWithPrefix(dir: string, prefix: string): Promise<string | undefined> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let best: { name: string; mtime: number } | undefined;
  for (const name of names.filter((n) => n.startsWith(prefix) && !n.startsWith('.'))) {
    const stat = await fs.lstat(path.join(dir, name));
    if (!best || stat.mtimeMs > best.mtime) best = { name, mtime: stat.mtimeMs };
  }
  return best?.name;
}

/** The first thing under `dir` that is neither a plain file nor a folder, as a path relative to it. */
export async function firstOddMember(dir: string): Promise<string | undefined> {
  const top = await fs.lstat(dir);
  if (!top.isDirectory()) return '.';
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() && !entry.isDirectory()) return path.relative(dir, path.join(entry.parentPath, entry.name));
  }
  return undefined;
}

export function localBackend(root: string, scope: CacheScope): CacheBackend {
  return {
    name: 'local',
    async restore(entry: CachedDir, key: string, restoreKeys: readonly string[]) {
      let found: { dir: string; key: string } | undefined;
      for (const ref of scope.reads) {
        const dir = scopeDir(root, scope.repository, ref, entry.label);
        if (await exists(path.join(dir, key))) found = { dir, key };
        for (const prefix of restoreKeys) {
          if (found) break;
          const name = await newestWithPrefix(dir, prefix);
          if (name) found = { dir, key: name };
        }
        if (found) break;
      }
      if (!found) return undefined;
      const source = path.join(found.dir, found.key);
      const odd = await firstOddMember(source);
      if (odd !== undefined) throw new RefusedArchiveError(found.key, `'${odd}' is not a plain file or folder`);
      await fs.rm(entry.dir, { recursive: true, force: true });
      await fs.cp(source, entry.dir, { recursive: true });
      return found.key;
    },
    async save(entry: CachedDir, key: string) {
      const target = localEntryDir(root, scope, entry.label, key);
      if (await exists(target)) return false;
      const odd = await firstOddMember(entry.dir);
      if (odd !== undefined) throw new Error(`${path.join(entry.dir, odd)} is not a plain file or folder; the ${entry.label} is not saved`);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const scratch = path.join(path.dirname(target), `.saving-${process.pid}-${key}`);
      await fs.rm(scratch, { recursive: true, force: true });
      await fs.cp(entry.dir, scratch, { recursive: true });
      await fs.rename(scratch, target);
      return true;
    }
  };
}
