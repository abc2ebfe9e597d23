import { describe, expect, it } from '@jest/globals';
import { type Answer, FakeBackend, MemoryLog, entry } from '../../../__fixtures__/cache.js';
import { guarded } from '../../../src/cache/guard.js';

const labels = ['probe', 'wheelhouse', 'pip-cache', 'last-push'] as const;

async function restoreAll(
  answers: Answer[],
  timeoutSeconds = 5
): Promise<{ backend: FakeBackend; log: MemoryLog; keys: (string | undefined)[] }> {
  const backend = new FakeBackend(answers);
  const log = new MemoryLog();
  const cache = guarded(backend, timeoutSeconds, log);
  const keys: (string | undefined)[] = [];
  for (const label of labels) keys.push((await cache.restore(entry(label), `${label}-key`, [`${label}-`])).key);
  return { backend, log, keys };
}

describe('guarded cache: a fault is a warning, and the backend is not called again in the step', () => {
  it('a healthy backend is called for every entry', async () => {
    const { backend, log, keys } = await restoreAll([
      { kind: 'hit', key: 'probe-key' },
      { kind: 'miss' },
      { kind: 'hit', key: 'pip-cache-1' },
      { kind: 'miss' }
    ]);
    expect(backend.calls.map((c) => c.label)).toEqual([...labels]);
    expect(keys).toEqual(['probe-key', undefined, 'pip-cache-1', undefined]);
    expect(log.warnings).toEqual([]);
  });

  it.each([
    [
      'an error',
      { kind: 'fault', message: 'Failed request: (503) Service Unavailable' } as Answer,
      /restoring the wheelhouse \(actions\) failed, going on without it: Failed request: \(503\)/
    ],
    [
      'a hang past the deadline',
      { kind: 'hang' } as Answer,
      /restoring the wheelhouse \(actions\) failed, going on without it: restoring the wheelhouse \(actions\) took longer than 0\.05s/
    ]
  ])('after %s, later entries are skipped as misses with a note', async (_, fault, warning) => {
    const { backend, log, keys } = await restoreAll([{ kind: 'hit', key: 'probe-key' }, fault], 0.05);
    expect(backend.calls.map((c) => c.label)).toEqual(['probe', 'wheelhouse']);
    expect(keys).toEqual(['probe-key', undefined, undefined, undefined]);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(warning);
    expect(log.infos).toEqual([
      'cache: restoring the pip-cache (actions) skipped: restoring the wheelhouse (actions) failed earlier in this step',
      'cache: restoring the last-push (actions) skipped: restoring the wheelhouse (actions) failed earlier in this step'
    ]);
  });

  it('saves after a failed save are skipped; a save the backend declines is no fault', async () => {
    const backend = new FakeBackend([
      { kind: 'saved', stored: false },
      { kind: 'fault', message: 'write denied' }
    ]);
    const log = new MemoryLog();
    const cache = guarded(backend, 5, log);
    const results = [];
    for (const label of labels) results.push(await cache.save(entry(label), `${label}-key`));
    expect(results).toEqual([false, undefined, undefined, undefined]);
    expect(backend.calls.map((c) => c.label)).toEqual(['probe', 'wheelhouse']);
    expect(log.warnings).toEqual(['cache: saving the wheelhouse (actions) failed, going on without it: write denied']);
  });
});
