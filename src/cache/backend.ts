// One cache interface, two backends: the Actions cache service and a local directory.
import os from 'node:os';

export type BackendName = 'actions' | 'local';

/** A folder the action caches. `path` is what the Actions backend is given (its entry version hashes
 * it, so it stays the same on every runner); `dir` is where the folder is on this machine. */
export interface CachedDir {
  readonly label: 'wheelhouse' | 'pip-cache' | 'probe' | 'last-push' | 'wheelhouse-image';
  readonly path: string;
  readonly dir: string;
}

export interface CacheBackend {
  readonly name: BackendName;
  /** Restores into `entry.dir`; returns the key that matched, or undefined on a miss. */
  restore(entry: CachedDir, key: string, restoreKeys: readonly string[]): Promise<string | undefined>;
  /** Saves `entry.dir` under `key`; returns false when the backend did not store it (e.g. the key exists). */
  save(entry: CachedDir, key: string): Promise<boolean>;
}

/** A matched entry whose archive was refused before extraction (members outside its folder, links). */
export class RefusedArchiveError extends Error {
  constructor(
    readonly key: string,
    reason: string
  ) {
    super(`the archive of ${key} was refused: ${reason}`);
    this.name = 'RefusedArchiveError';
  }
}

export function cachedDir(label: CachedDir['label']): CachedDir {
  const path = `~/.cache/wheelhouse-buildx/${label}`;
  return { label, path, dir: path.replace(/^~/, os.homedir()) };
}
