// The cache failure policy, written once: every cache call has a deadline, and any fault (an error,
// a hang past the deadline) is a warning; the build goes on as on a miss.
import * as core from '@actions/core';
import type { CacheBackend, CachedDir } from './backend.js';

export class DeadlineError extends Error {}

export async function withDeadline<T>(work: Promise<T>, seconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what} took longer than ${seconds}s`)), seconds * 1000);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

export interface GuardedCache {
  readonly name: CacheBackend['name'];
  restore(entry: CachedDir, key: string, restoreKeys: readonly string[]): Promise<string | undefined>;
  save(entry: CachedDir, key: string): Promise<boolean>;
}

export function guarded(backend: CacheBackend, timeoutSeconds: number): GuardedCache {
  const attempt = async <T>(what: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await withDeadline(work(), timeoutSeconds, what);
    } catch (error) {
      core.warning(`cache: ${what} failed, going on without it: ${error instanceof Error ? error.message : String(error)}`);
      return fallback;
    }
  };
  return {
    name: backend.name,
    restore: (entry, key, restoreKeys) =>
      attempt(`restoring the ${entry.label} (${backend.name})`, () => backend.restore(entry, key, restoreKeys), undefined),
    save: (entry, key) => attempt(`saving the ${entry.label} (${backend.name})`, () => backend.save(entry, key), false)
  };
}
