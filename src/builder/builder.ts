// Creates (or reuses by name) the buildx builder both builds run on, and removes the ones it created.
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import type { BuilderConfig } from '../inputs/config.js';
import { CommandError, run } from '../exec/exec.js';
import { MIN_BUILDX, atLeast, createArgs, generatedName, inspectArgs, parseBuildxVersion, removeArgs } from './args.js';

export interface Builder {
  readonly name: string;
  /** Created by this run (and so removed by post unless kept). */
  readonly created: boolean;
}

export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SetupError';
  }
}

export async function checkBuildx(): Promise<string> {
  let output: string;
  try {
    output = (await run('docker', ['buildx', 'version'], { silent: true })).stdout.trim();
  } catch (error) {
    const detail = error instanceof CommandError ? error.stderr.trim() : String(error);
    throw new SetupError(
      `docker buildx is not available (${detail.split('\n')[0]}): install Docker and the buildx plugin (docker/setup-buildx-action does)`
    );
  }
  const version = parseBuildxVersion(output);
  if (!version || !atLeast(version, MIN_BUILDX)) {
    throw new SetupError(`buildx ${output} is too old: named build contexts need buildx ${MIN_BUILDX.join('.')} or newer`);
  }
  return output;
}

export async function ensureBuilder(config: BuilderConfig, platforms: readonly string[]): Promise<Builder> {
  if (config.name) {
    const existing = await run('docker', inspectArgs(config.name), { silent: true, allowFailure: true });
    if (existing.exitCode === 0) {
      core.info(`builder: reusing ${config.name}`);
      await run('docker', [...inspectArgs(config.name), '--bootstrap'], { silent: true });
      return { name: config.name, created: false };
    }
  }
  const name = config.name ?? generatedName(process.env, randomBytes(4).toString('hex'));
  core.info(`builder: creating ${name} (${config.driver})`);
  try {
    await run('docker', createArgs(name, config, platforms));
  } catch (error) {
    // a builder whose bootstrap failed may still be registered: leave nothing half-created behind
    await run('docker', removeArgs(name), { silent: true, allowFailure: true });
    throw new SetupError(`the ${config.driver} builder ${name} could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { name, created: true };
}

export async function removeBuilder(name: string): Promise<void> {
  await run('docker', removeArgs(name), { silent: true });
}
