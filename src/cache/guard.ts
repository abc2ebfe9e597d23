// The cache failure policy, written once: every cache call has a deadline, and any fault (an error,
// a hang past the deadline) is a warning; the build goes on as on a miss. After one fault the backend is
// not called again in this step: a service that failed once would make every later call wait out its
// deadline too.
import * as core from '@actions/core';
import { type CacheBackend, type CachedDir, RefusedArchiveError } from './backend.js';

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

export interface Restored {
  /** The key that matched and was restored. */
  readonly key: string | undefined;
  /** The key of an entry that matched but whose archive was refused (it is spoiled). */
  readonly refused?: string;
}

export interface GuardedCache {
  readonly name: CacheBackend['name'];
  restore(entry: CachedDir, key: string, restoreKeys: readonly string[]): Promise<Restored>;
  /** true: saved; false: the backend did not store it (the key exists); undefined: it failed (warned already). */
  save(entry: CachedDir, key: string): Promise<boolean | undefined>;
}

export interface GuardLog {
  warning(message: string): void;
  info(message: string): void;
}

export function guarded(backend: CacheBackend, timeoutSeconds: number, log: GuardLog = core): GuardedCache {
  let failed: string | undefined;
  const attempt = async <T>(what: string, work: () => Promise<T>, fallback: T): Promise<T> => {
    if (failed) {
      log.info(`cache: ${what} skipped: ${failed} failed earlier in this step`);
      return fallback;
    }
    try {
      return await withDeadline(work(), timeoutSeconds, what);
    } catch (error) {
      failed = what;
      log.warning(`cache: ${what} failed, going on without it: ${error instanceof Error ? error.message : String(error)}`);
      return fallback;
    }
  };
  return {
    name: backend.name,
    restore: async (entry, key, restoreKeys) => {
      let refused: string | undefined;
      const what = `restoring the ${entry.label} (${backend.name})`;
      const matched = await attempt(
        what,
        () =>
          backend.restore(entry, key, restoreKeys).catch((error: unknown) => {
            if (!(error instanceof RefusedArchiveError)) throw error;
            refused = error.key;
            log.warning(`cache: ${what}: ${error.message}; going on without it`);
            return undefined;
          }),
        undefined
      );
      return refused ? { key: matched, refused } : { key: matched };
    },
    save: (entry, key) =>
      attempt<boolean | undefined>(`saving the ${entry.label} (${backend.name})`, () => backend.save(entry, key), undefined)
  };
}
