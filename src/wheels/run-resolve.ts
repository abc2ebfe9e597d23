// Runs uv on the runner to resolve the set for the target (see resolve.ts). uv being unavailable or
// failing is a warning and pip resolves the set as before; a set that no version satisfies fails the step.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { type Exec, run } from '../exec/exec.js';
import type { Target } from '../keys/key.js';
import type { DependencySet } from '../keys/model.js';
import { hasCredentials } from '../keys/requirements.js';
import { WheelBuildError } from './build.js';
import { wheelInputs } from './dockerfile.js';
import { type LockedPackage, parsePylock } from './lock.js';
import { withoutHashes } from './offline.js';
import {
  beyondPins,
  notForUv,
  pinnedSet,
  pinsOf,
  unsatisfiable,
  uvCompileArgs,
  uvPythonPlatform,
  uvPythonVersion,
  withinHashes
} from './resolve.js';
import { UV_VERSION, UvUnavailable, obtainUv } from './uv.js';

function describe(target: Target): string {
  return `${target.platform}, ${target.pythonTag}, ${target.libc}`;
}

export interface Resolution {
  /** The set as the wheel build takes it: pinned by uv, or as it was when uv could not help. */
  readonly dependencies: DependencySet;
  /** uv's resolution, with the wheel for the target of each package the index has one for. */
  readonly locked: readonly LockedPackage[] | undefined;
}

/** What resolving does its work with: programs, and where uv is had (the tool cache, or downloaded). */
export interface ResolveAdapters {
  readonly exec: Exec;
  readonly uv: (workDir: string, timeoutSeconds: number) => Promise<string>;
}

const REAL: ResolveAdapters = { exec: run, uv: (workDir, timeoutSeconds) => obtainUv(workDir, timeoutSeconds) };

/** The set resolved to pins for the target, with each package's wheel, or the set as it is when uv cannot help. */
export async function pinRanges(
  deps: DependencySet,
  target: Target,
  workDir: string,
  timeoutSeconds: number,
  { exec, uv: uvOf }: ResolveAdapters = REAL
): Promise<Resolution> {
  const asIs = { dependencies: deps, locked: undefined };
  const why = notForUv(deps, hasCredentials);
  if (why) {
    if (deps.requirements.length > 0) core.info(`resolve: ${why}; pip resolves the set in the wheel build`);
    return asIs;
  }
  const platform = uvPythonPlatform(target);
  const version = uvPythonVersion(target.pythonTag);
  if (!platform || !version) {
    core.info(`resolve: uv does not resolve for ${describe(target)}; pip resolves the set in the wheel build`);
    return asIs;
  }
  const started = performance.now();
  const dir = path.join(workDir, 'resolve');
  await fs.mkdir(dir, { recursive: true });
  // uv resolves; the hashes are checked where the files are fetched (withinHashes, the wheel build)
  const inputs = wheelInputs(deps.requirements.map(withoutHashes), deps.constraints, deps.options, hasCredentials);
  const files = {
    requirements: path.join(dir, 'requirements.in'),
    constraints: inputs.constraints ? path.join(dir, 'constraints.txt') : undefined,
    output: path.join(dir, 'pylock.toml')
  };
  await fs.writeFile(files.requirements, inputs.requirements);
  if (files.constraints) await fs.writeFile(files.constraints, inputs.constraints);
  let uv: string;
  try {
    uv = await uvOf(workDir, timeoutSeconds);
  } catch (error) {
    if (!(error instanceof UvUnavailable)) throw error;
    core.warning(`resolve: ${error.message}; pip resolves the set in the wheel build`);
    return asIs;
  }
  const result = await exec(uv, uvCompileArgs(files, platform, version), {
    silent: true,
    allowFailure: true,
    env: { UV_CACHE_DIR: path.join(dir, 'cache'), UV_PYTHON_DOWNLOADS: 'never', UV_HTTP_TIMEOUT: String(timeoutSeconds) }
  });
  if (result.exitCode !== 0) {
    const why = unsatisfiable(result.stderr);
    if (why) throw new WheelBuildError(`no versions satisfy the requirements for ${describe(target)}: ${why}`);
    core.warning(
      `resolve: uv could not resolve the set (exit ${result.exitCode}): ${result.stderr.trim().split('\n').slice(0, 4).join(' ')}; pip resolves the set in the wheel build`
    );
    return asIs;
  }
  let locked: LockedPackage[];
  try {
    locked = withinHashes(deps, parsePylock(await fs.readFile(files.output, 'utf8'), target.pythonTag));
  } catch (error) {
    core.warning(
      `resolve: uv's lock could not be read (${error instanceof Error ? error.message : String(error)}); pip resolves the set in the wheel build`
    );
    return asIs;
  }
  const open = beyondPins(deps, locked);
  if (open.length > 0) {
    core.info(`resolve: the pins leave ${open.join(', ')} open; they keep the wheelhouse's versions, resolved offline in the wheel build`);
    return asIs;
  }
  const pinned = pinnedSet(deps, pinsOf(locked));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  core.info(
    `resolve: ${deps.requirements.length} requirements resolved to ${pinned.requirements.length} pins for ${platform}, Python ${version} (uv ${UV_VERSION}, ${seconds}s)`
  );
  return { dependencies: pinned, locked };
}
