// Nothing lost under faults and bad input: every case of __tests__/support/faults.ts on the test bed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CacheService } from '../support/cache-service/server.js';
import { CASES, type Context, faultWorkspace, runCase } from '../support/faults.js';
import { requireTestbed } from '../support/testbed.js';

let ctx: Context;

beforeAll(async () => {
  requireTestbed();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'faults-test-'));
  ctx = { root, service: await CacheService.start(path.join(root, 'cache-store')), workspace: await faultWorkspace(path.join(root, 'app')) };
});

afterAll(async () => {
  await ctx?.service.stop();
  if (ctx) await fs.rm(ctx.root, { recursive: true, force: true });
});

describe('faults and bad input', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const result = await runCase(c, ctx);
    expect({ outcome: result.outcome, lost: result.lost, detail: result.passed ? 'ok' : result.detail }).toEqual({
      outcome: c.expect,
      lost: false,
      detail: 'ok'
    });
  }, 300_000);
});
