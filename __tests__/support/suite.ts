// The setup every test bed suite shares: the test bed (or the cluster) answers, the suite has a folder of
// its own, and an Actions cache service stand-in stores its entries there; both go when the suite ends.
import { afterAll, beforeAll } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CacheService } from './cache-service/server.js';
import { requireTestbed } from './testbed.js';

export interface Suite {
  /** The suite's folder (a fresh one under the system's temporary folder). */
  readonly root: string;
  /** The cache service of the suite's runs, storing in `<root>/cache-store`. */
  readonly service: CacheService;
}

/**
 * Registers the suite's setup and teardown; call it first at the top of a suite, so that the suite's own
 * `beforeAll` (its workspace, its tags) runs after it. The fields are set once the setup has run.
 */
export function testbedSuite(name: string, require: () => void = requireTestbed): Suite {
  const suite: { root: string; service: CacheService | undefined } = { root: '', service: undefined };
  beforeAll(async () => {
    require();
    suite.root = await fs.mkdtemp(path.join(os.tmpdir(), `${name}-`));
    suite.service = await CacheService.start(path.join(suite.root, 'cache-store'));
  });
  afterAll(async () => {
    await suite.service?.stop();
    if (suite.root) await fs.rm(suite.root, { recursive: true, force: true });
  });
  return {
    get root(): string {
      return suite.root;
    },
    get service(): CacheService {
      if (!suite.service) throw new Error(`the ${name} suite's setup has not run`);
      return suite.service;
    }
  };
}
