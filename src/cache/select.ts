// Which cache backend a run uses: `auto` takes the Actions cache service when the runner provides one,
// else the local directory.
import * as core from '@actions/core';
import type { CacheConfig } from '../inputs/config.js';
import { actionsBackend, actionsCacheAvailable } from './actions.js';
import type { CacheBackend } from './backend.js';
import { localBackend } from './local.js';

export async function selectBackend(
  config: Pick<CacheConfig, 'backend' | 'localDir' | 'scope'>,
  env: NodeJS.ProcessEnv = process.env
): Promise<CacheBackend | undefined> {
  switch (config.backend) {
    case 'none':
      return undefined;
    case 'local':
      return localBackend(config.localDir, config.scope);
    case 'actions':
      if (await actionsCacheAvailable(env)) return actionsBackend;
      core.warning('cache: cache-backend is actions but this runner provides no Actions cache service; caching is off');
      return undefined;
    case 'auto':
      return (await actionsCacheAvailable(env)) ? actionsBackend : localBackend(config.localDir, config.scope);
  }
}
