// The example app as a workspace on the test bed, and the action run on it as an ephemeral runner
// would: a fresh HOME (no builder, no local caches), a fresh RUNNER_TEMP, the shared cache service.
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CacheService } from './cache-service/server.js';
import { type ActionRun, type RunOptions, runAction } from './runner.js';
import { repoRoot, testbed } from './testbed.js';

/** Copies the example app (and the test bed's buildkitd config) into `dir`. */
export async function exampleWorkspace(dir: string): Promise<string> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.cp(path.join(repoRoot, 'examples/app'), dir, { recursive: true });
  await fs.copyFile(testbed.buildkitdConfig, path.join(dir, 'buildkitd.toml'));
  return dir;
}

/** The inputs that point the action at the test bed's images, BuildKit and registry. */
export function testbedInputs(tag: string): Record<string, string> {
  return {
    tags: tag,
    push: 'true',
    'build-args': `PYTHON_IMAGE=${testbed.pythonSlimImage}`,
    'driver-opts': `image=${testbed.buildkitImage}\nnetwork=host`,
    'buildkitd-config': 'buildkitd.toml'
  };
}

/** A tag no other run uses, under `repository` (by default the test bed registry's e2e/). */
export function uniqueTag(name: string, repository = `${testbed.registry}/e2e`): string {
  return `${repository}/${name}-${randomBytes(3).toString('hex')}:latest`;
}

/**
 * One job on a fresh runner: the same HOME and RUNNER_TEMP paths as every runner of its kind has
 * (cache archives hold absolute locations under HOME), emptied first.
 */
export async function runOnFreshRunner(
  root: string,
  workspace: string,
  inputs: Record<string, string>,
  service?: CacheService,
  env: Record<string, string> = {},
  hooks: Pick<RunOptions, 'betweenSteps' | 'whileMain' | 'spawnStep'> = {}
): Promise<ActionRun> {
  const runner = path.join(root, 'runner');
  await fs.rm(runner, { recursive: true, force: true });
  await fs.mkdir(path.join(runner, 'home'), { recursive: true });
  return runAction({
    actionDir: repoRoot,
    workspace,
    runnerTemp: path.join(runner, 'temp'),
    inputs,
    env: { HOME: path.join(runner, 'home'), ...(service ? service.env() : {}), ...env },
    echo: process.env.ECHO_ACTION === '1',
    ...hooks
  });
}

/** Runs a command in the image (pulled from the registry) and returns its output. */
export function runImage(ref: string, ...command: string[]): string {
  execFileSync('docker', ['pull', '-q', ref], { stdio: 'ignore' });
  try {
    return execFileSync('docker', ['run', '--rm', '--network', 'none', ref, ...command], { encoding: 'utf8' });
  } finally {
    execFileSync('docker', ['rmi', '-f', ref], { stdio: 'ignore' });
  }
}

/**
 * buildx's plain progress: was the step whose line matches `step` reused from the cache rather than run?
 * A reused step shows `CACHED`, or only the pulls of its cached layers; a step that ran shows its
 * process output as `#N <seconds> <text>` lines.
 */
export function stepReused(log: string, step: RegExp): boolean {
  const lines = log.split('\n');
  const ids = lines.flatMap((l) => {
    const m = /^#(\d+) \[.*\]\s(.*)$/.exec(l);
    return m && step.test(m[2] ?? '') ? [m[1]] : [];
  });
  return (
    ids.length > 0 &&
    ids.every(
      (id) =>
        lines.some((l) => l.trim() === `#${id} CACHED` || l.startsWith(`#${id} DONE`)) &&
        !lines.some((l) => new RegExp(`^#${id} \\d+\\.\\d+ `).test(l))
    )
  );
}
