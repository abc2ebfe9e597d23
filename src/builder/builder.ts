// Creates (or reuses by name) the buildx builder both builds run on, and removes the ones it created.
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { BuilderConfig } from '../inputs/config.js';
import { CommandError, type Detach, type Exec, run, startDetached } from '../exec/exec.js';
import { MIN_BUILDX, atLeast, createArgs, generatedName, inspectArgs, parseBuildxVersion, removeArgs, stateVolume } from './args.js';
import { SetupError } from './errors.js';
import type { BuilderRecord, BuilderRef } from './record.js';
import { type StartedBuilder, boot } from './boot.js';
import { type KubernetesAdapters, startKubernetesBuilder } from './kubernetes/setup.js';

export { SetupError } from './errors.js';
export type { StartedBuilder } from './boot.js';
export type { BuilderRecord, BuilderRef } from './record.js';

export async function checkBuildx(env: Readonly<Record<string, string>> = {}, exec: Exec = run): Promise<string> {
  let output: string;
  try {
    output = (await exec('docker', ['buildx', 'version'], { silent: true, env: { ...env } })).stdout.trim();
  } catch (error) {
    const detail = error instanceof CommandError ? error.stderr.trim() : String(error);
    throw new SetupError(
      `docker buildx is not available (${detail.split('\n')[0]}): install Docker and the buildx plugin, or set buildx-version (latest, or a release)`
    );
  }
  const version = parseBuildxVersion(output);
  if (!version || !atLeast(version, MIN_BUILDX)) {
    throw new SetupError(
      `buildx ${output} is too old: named build contexts need buildx ${MIN_BUILDX.join('.')} or newer (buildx-version: latest installs the latest release)`
    );
  }
  return output;
}

/**
 * Registers the builder to build on and starts booting it. `remember` is called with what post must
 * remove before anything is created, so that a cancelled or failed creation is still cleaned up.
 */
export async function startBuilder(
  config: BuilderConfig,
  platforms: readonly string[],
  workDir: string,
  remember: (record: BuilderRecord) => void,
  /** The environment of every docker command (DOCKER_CONFIG when buildx-version installed a release). */
  env: Readonly<Record<string, string>> = {},
  exec: Exec = run,
  /** How the kubernetes driver reaches its cluster (its setup's own when not given). */
  connect?: KubernetesAdapters['connect']
): Promise<StartedBuilder> {
  const name = config.name ?? generatedName(process.env, randomBytes(4).toString('hex'));
  // an inline configuration becomes the run's own file, which buildx reads as buildkitd-config
  if (config.buildkitdConfigInline) {
    const file = path.join(workDir, 'buildkitd-inline.toml');
    await fs.writeFile(file, `${config.buildkitdConfigInline}\n`);
    config = { ...config, buildkitdConfig: file, buildkitdConfigInline: undefined };
  }
  if (config.driver === 'kubernetes') return startKubernetesBuilder(config, name, platforms, workDir, remember, env, { exec, connect });
  const cannotStart = (error: unknown): SetupError =>
    new SetupError(`the ${config.driver} builder ${name} could not start: ${error instanceof Error ? error.message : String(error)}`);
  if (config.name) {
    const existing = await exec('docker', inspectArgs(config.name), { silent: true, allowFailure: true, env: { ...env } });
    if (existing.exitCode === 0) {
      core.info(`builder: reusing ${config.name}`);
      const record = { name, env: { ...env }, keep: config.keep, remove: false };
      remember(record);
      return { record, booted: boot(record, async (error) => cannotStart(error), exec) };
    }
  }
  const record: BuilderRecord = { name, env: { ...env }, keep: config.keep, remove: !config.keep, stateVolume: stateVolume(name) };
  remember(record);
  core.info(`builder: creating ${name} (${config.driver})`);
  // a builder whose creation or boot failed may still be registered: leave nothing half-created behind
  const failed = async (error: unknown): Promise<SetupError> => {
    await exec('docker', removeArgs(name), { silent: true, allowFailure: true, env: { ...env } });
    return cannotStart(error);
  };
  try {
    await exec('docker', createArgs(name, config, platforms), { silent: true, env: { ...env } });
  } catch (error) {
    throw await failed(error);
  }
  return { record, booted: boot(record, failed, exec) };
}

/** Forgets the builder on this runner and leaves its BuildKit running (another job is using it). */
export async function forgetBuilder(builder: BuilderRef, exec: Exec = run): Promise<void> {
  await exec('docker', removeArgs(builder.name, { keepDaemon: true }), { silent: true, env: { ...builder.env } });
}

export async function removeBuilder(
  builder: BuilderRef & Pick<BuilderRecord, 'stateVolume'>,
  exec: Exec = run,
  detach: Detach = startDetached
): Promise<void> {
  await exec('docker', removeArgs(builder.name, { keepState: Boolean(builder.stateVolume) }), { silent: true, env: { ...builder.env } });
  if (builder.stateVolume) detach('docker', ['volume', 'rm', '--force', builder.stateVolume]);
}
