// Runs the action outside Actions: flags become inputs, main runs, its state is handed to post as the
// runner would, and the outputs are printed as JSON on the last line.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type MainAdapters, main } from '../main.js';
import { type PostAdapters, post } from '../post.js';
import { parseFileCommands } from './file-commands.js';
import { flagsToInputs, inputEnv } from './flags.js';

/** What the command line runs main and post with (the real programs, cache and cluster in its entry). */
export interface CliAdapters {
  readonly main: Omit<MainAdapters, 'getInput'>;
  readonly post: PostAdapters;
}

export async function cli(argv: readonly string[], adapters: CliAdapters): Promise<number> {
  const inputs = flagsToInputs(argv);
  const files = await fs.mkdtemp(path.join(os.tmpdir(), 'wheelhouse-buildx-cli-'));
  const output = path.join(files, 'output');
  const state = path.join(files, 'state');
  const summary = path.join(files, 'summary');
  await Promise.all([output, state, summary].map((f) => fs.writeFile(f, '')));
  Object.assign(process.env, inputEnv(inputs), {
    GITHUB_WORKSPACE: process.env.GITHUB_WORKSPACE || process.cwd(),
    RUNNER_TEMP: process.env.RUNNER_TEMP || files,
    GITHUB_OUTPUT: output,
    GITHUB_STATE: state,
    // a summary file the caller gives is written to (the command line's own is removed with its files)
    GITHUB_STEP_SUMMARY: process.env.GITHUB_STEP_SUMMARY || summary
  });
  await main({ ...adapters.main, getInput: (name) => core.getInput(name) });
  const failed = process.exitCode !== undefined && process.exitCode !== 0;
  for (const [name, value] of Object.entries(parseFileCommands(await fs.readFile(state, 'utf8')))) {
    process.env[`STATE_${name}`] = value;
  }
  await post(adapters.post);
  const outputs = parseFileCommands(await fs.readFile(output, 'utf8'));
  await fs.rm(files, { recursive: true, force: true });
  console.log(JSON.stringify(outputs));
  return failed ? 1 : 0;
}
