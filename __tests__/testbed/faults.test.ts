// Nothing lost under faults and bad input: every case of __tests__/support/faults.ts on the test bed,
// two at a time (each case has its own workspace, runner folders and cache service).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASES, type CaseResult, runCases } from '../support/faults.js';
import { requireTestbed } from '../support/testbed.js';

let root: string;
let results: CaseResult[] = [];

beforeAll(async () => {
  requireTestbed();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'faults-test-'));
  results = await runCases(CASES, root, 2);
}, 3_600_000);

afterAll(async () => {
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('faults and bad input', () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_, c, i) => {
    const result = results[i];
    expect({ outcome: result?.outcome, lost: result?.lost, detail: result?.passed ? 'ok' : result?.detail }).toEqual({
      outcome: c.expect,
      lost: false,
      detail: 'ok'
    });
  });
});
