// A tiny JavaScript action used to prove the test bed's runners: its main step restores a folder
// through @actions/cache, writes a file into it, sets outputs and state, and its post step saves the
// folder under the key it was given.
import * as cache from '@actions/cache';
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';

async function main(): Promise<void> {
  // The cache entry's version hashes the path as given: pass it unresolved, as actions/cache does.
  const dir = core.getInput('path', { required: true });
  const key = core.getInput('key', { required: true });
  const restoreKeys = core.getMultilineInput('restore-keys');
  const hit = await cache.restoreCache([dir], key, restoreKeys);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${key}.txt`), core.getInput('content'));
  core.setOutput('cache-hit', hit === key ? 'exact' : hit ? 'partial' : 'miss');
  core.setOutput('matched-key', hit ?? '');
  core.saveState('probe', JSON.stringify({ dir, key }));
  await core.summary.addRaw(`probe restored ${hit ?? 'nothing'}`, true).write();
}

async function post(): Promise<void> {
  const { dir, key } = JSON.parse(core.getState('probe')) as { dir: string; key: string };
  const id = await cache.saveCache([dir], key);
  core.info(`probe saved ${key} as entry ${id}`);
}

if (core.getState('probe')) await post();
else await main();
