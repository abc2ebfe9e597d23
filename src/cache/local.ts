// A local directory as cache: for runs outside Actions and self-hosted runners with a persistent
// volume. Entries are folders named by key; a restore key matches the newest entry it prefixes.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CacheBackend, CachedDir } from './backend.js';

function entryDir(root: string, label: string, key: string): string {
  return path.join(root, label, key);
}

async function newestWithPrefix(root: string, label: string, prefix: string): Promise<string | undefined> {
  const names = await fs.readdir(path.join(root, label)).catch(() => [] as string[]);
  let best: { name: string; mtime: number } | undefined;
  for (const name of names.filter((n) => n.startsWith(prefix) && !n.startsWith('.'))) {
    const mtime = (await fs.stat(entryDir(root, label, name))).mtimeMs;
    if (!best || mtime > best.mtime) best = { name, mtime };
  }
  return best?.name;
}

export function localBackend(root: string): CacheBackend {
  return {
    name: 'local',
    async restore(entry: CachedDir, key: string, restoreKeys: readonly string[]) {
      let matched: string | undefined;
      if (await fs.stat(entryDir(root, entry.label, key)).then(() => true, () => false)) matched = key;
      for (const prefix of restoreKeys) {
        if (matched) break;
        matched = await newestWithPrefix(root, entry.label, prefix);
      }
      if (!matched) return undefined;
      await fs.rm(entry.dir, { recursive: true, force: true });
      await fs.cp(entryDir(root, entry.label, matched), entry.dir, { recursive: true });
      return matched;
    },
    async save(entry: CachedDir, key: string) {
      const target = entryDir(root, entry.label, key);
      if (await fs.stat(target).then(() => true, () => false)) return false;
      const scratch = path.join(root, entry.label, `.saving-${process.pid}-${key}`);
      await fs.rm(scratch, { recursive: true, force: true });
      await fs.cp(entry.dir, scratch, { recursive: true });
      await fs.rename(scratch, target);
      return true;
    }
  };
}
