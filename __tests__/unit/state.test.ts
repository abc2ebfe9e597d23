// The hand-off from main to post: saved as the runner's state file command, read back by post only when
// it is of this version (a post of another version of the action removes nothing it does not know).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFileCommands } from '../../src/cli/file-commands.js';
import { STATE_NAME, STATE_VERSION, loadState, newState, saveState } from '../../src/state.js';

const CACHE = {
  backend: 'local' as const,
  localDir: '/cache',
  scope: { repository: 'o/r', ref: 'refs/heads/main', reads: ['refs/heads/main'] },
  timeoutSeconds: 300,
  save: true
};

let dir: string;
const saved = { GITHUB_STATE: process.env.GITHUB_STATE, STATE: process.env[`STATE_${STATE_NAME}`] };

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'state-'));
  process.env.GITHUB_STATE = path.join(dir, 'state');
  writeFileSync(process.env.GITHUB_STATE, '');
  delete process.env[`STATE_${STATE_NAME}`];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const [name, value] of [
    ['GITHUB_STATE', saved.GITHUB_STATE],
    [`STATE_${STATE_NAME}`, saved.STATE]
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** What post sees: the runner hands the last value saved under each name as STATE_<name>. */
function handToPost(): void {
  const states = parseFileCommands(readFileSync(process.env.GITHUB_STATE!, 'utf8'));
  process.env[`STATE_${STATE_NAME}`] = states[STATE_NAME];
}

describe('state', () => {
  it('post reads what main saved last', () => {
    const state = newState(CACHE);
    saveState(state);
    state.scratch.push('/run/scratch/kubeconfig');
    saveState(state);
    handToPost();
    expect(loadState()).toEqual({ version: STATE_VERSION, cache: CACHE, saves: [], scratch: ['/run/scratch/kubeconfig'] });
  });

  it.each<[string, string | undefined]>([
    ['main did not get far enough', undefined],
    ['another version of the state', JSON.stringify({ ...newState(CACHE), version: STATE_VERSION - 1 })],
    ['not JSON', '{"version":'],
    ['empty', '']
  ])('nothing for post when %s', (_, raw) => {
    if (raw !== undefined) process.env[`STATE_${STATE_NAME}`] = raw;
    expect(loadState()).toBeUndefined();
  });
});
