// A typed cache backend for unit tests: each call takes the next scripted answer (a key, a miss, a
// fault, a hang), and every call is recorded.
import type { CacheBackend, CachedDir } from '../src/cache/backend.js';
import type { GuardLog } from '../src/cache/guard.js';

export type Answer =
  | { kind: 'hit'; key: string }
  | { kind: 'miss' }
  | { kind: 'saved'; stored: boolean }
  | { kind: 'fault'; message: string }
  | { kind: 'hang' };

export class FakeBackend implements CacheBackend {
  readonly name = 'actions' as const;
  readonly calls: { op: 'restore' | 'save'; label: CachedDir['label']; key: string }[] = [];

  constructor(private readonly answers: Answer[]) {}

  private next(): Promise<Answer> {
    const answer = this.answers.shift() ?? { kind: 'miss' };
    if (answer.kind === 'hang') return new Promise<never>(() => undefined);
    if (answer.kind === 'fault') return Promise.reject(new Error(answer.message));
    return Promise.resolve(answer);
  }

  async restore(entry: CachedDir, key: string): Promise<string | undefined> {
    this.calls.push({ op: 'restore', label: entry.label, key });
    const answer = await this.next();
    return answer.kind === 'hit' ? answer.key : undefined;
  }

  async save(entry: CachedDir, key: string): Promise<boolean> {
    this.calls.push({ op: 'save', label: entry.label, key });
    const answer = await this.next();
    return answer.kind === 'saved' ? answer.stored : true;
  }
}

/** A log that keeps what it was told. */
export class MemoryLog implements GuardLog {
  readonly warnings: string[] = [];
  readonly infos: string[] = [];
  warning(message: string): void {
    this.warnings.push(message);
  }
  info(message: string): void {
    this.infos.push(message);
  }
}

export const entry = (label: CachedDir['label']): CachedDir => ({
  label,
  path: `~/.cache/wheelhouse-buildx/${label}`,
  dir: `/tmp/${label}`
});
