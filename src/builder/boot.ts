// Booting a registered builder apart from its creation: BuildKit starts while the action does the work
// that does not need it.
import { bootstrapArgs } from './args.js';
import type { BuilderRecord, BuilderRef } from './record.js';
import { type Exec, run } from '../exec/exec.js';

/**
 * A builder that is registered (post knows to remove it) and starting: BuildKit boots while the keys are
 * computed and the caches looked up, none of which needs it.
 */
export interface StartedBuilder {
  readonly record: BuilderRecord;
  /** `buildx inspect --bootstrap`'s output once BuildKit answers; a SetupError (nothing left behind) if it cannot start. */
  readonly booted: Promise<string>;
}

/**
 * Starts `buildx inspect --bootstrap` without waiting for it. On failure, `fail` cleans up and gives the
 * error the promise rejects with. The promise is marked handled: it may be awaited long after it settles.
 */
export function boot(builder: BuilderRef, fail: (error: unknown) => Promise<Error>, exec: Exec = run): Promise<string> {
  const booted = exec('docker', bootstrapArgs(builder.name), { silent: true, env: { ...builder.env } }).then(
    (result) => result.stdout,
    async (error: unknown) => {
      throw await fail(error);
    }
  );
  booted.catch(() => undefined);
  return booted;
}
