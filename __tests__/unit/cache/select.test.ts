// Which cache backend a run uses: `auto` takes the Actions cache service when the runner provides one
// (its token and service URL), else the local folder; `actions` without a service is a warning and no cache.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { selectBackend } from '../../../src/cache/select.js';
import { capturedLog } from '../../../__fixtures__/step.js';

const CONFIG = { localDir: '/cache/store', scope: { repository: 'o/r', ref: 'refs/heads/main', reads: ['refs/heads/main'] } };
const SERVICE = { ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'http://127.0.0.1:1/', ACTIONS_CACHE_SERVICE_V2: 'true' };

const log = capturedLog();
const saved = { ...process.env };
beforeEach(() => {
  for (const name of ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL', 'ACTIONS_CACHE_URL', 'ACTIONS_CACHE_SERVICE_V2'])
    delete process.env[name];
});
afterEach(() => {
  process.env = { ...saved };
});

describe('selectBackend', () => {
  it.each<[string, 'auto' | 'actions' | 'local' | 'none', Record<string, string>, string | undefined]>([
    ['none: no cache', 'none', SERVICE, undefined],
    ['local, even with the service there', 'local', SERVICE, 'local'],
    ['auto without a service: the local folder', 'auto', {}, 'local'],
    ['auto with a token but no service URL: the local folder', 'auto', { ACTIONS_RUNTIME_TOKEN: 't' }, 'local'],
    ['auto on a runner with the service', 'auto', SERVICE, 'actions'],
    ['actions on a runner with the service', 'actions', SERVICE, 'actions']
  ])('%s', async (_, backend, env, name) => {
    // @actions/cache reads the service URL from process.env itself
    Object.assign(process.env, env);
    const selected = await selectBackend({ ...CONFIG, backend }, process.env);
    expect(selected?.name).toBe(name);
  });

  it('actions without a service: a warning, and caching is off', async () => {
    expect(await selectBackend({ ...CONFIG, backend: 'actions' }, process.env)).toBeUndefined();
    expect(log()).toContain('::warning::cache: cache-backend is actions but this runner provides no Actions cache service');
  });
});
