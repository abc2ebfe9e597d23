// Builds the wheelhouse in the wheel image and brings it back (with pip's cache) as a local output;
// the new wheelhouse holds exactly the wheels the dependency set needs.
import * as core from '@actions/core';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CommandError, type Exec, run, tail } from '../exec/exec.js';
import type { BuilderRef } from '../builder/record.js';
import type { DependencySet } from '../keys/model.js';
import { indexHash } from '../keys/key.js';
import { hasCredentials } from '../keys/requirements.js';
import { localBuildArgs } from './args.js';
import { CHECKED_FILE, CONTEXTS, MISSING_FILE, PRIVATE_SECRET, wheelDockerfile, wheelInputs } from './dockerfile.js';
import { type BasePlan, keepBase, nextBase } from './generation.js';
import { type WheelDiff, diffWheels, listWheels } from './inventory.js';
import { readBase, readRuntime, writeManifest } from './manifest.js';
import { RUNTIME_FILE, RUNTIME_SCRIPT, type RuntimeLibraries, mergeRuntime, parseRuntime, runtimeScript } from './runtime.js';
import { type LockedPackage, wheelSources } from './lock.js';
import { fetchPlan, withoutHashes } from './offline.js';
import { fetchWheels } from './fetch.js';

export class WheelBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WheelBuildError';
  }
}

export interface WheelBuild {
  readonly builder: BuilderRef;
  readonly platform: string;
  readonly wheelImage: string;
  /** The runtime image: binary-only wheel builds run there first. */
  readonly targetImage: string;
  readonly pythonTag: string;
  /** The target's C library tag (see WheelBuildPlan). */
  readonly libc?: string;
  readonly wheelPackages: readonly string[];
  readonly dependencies: DependencySet;
  readonly wheelhouseDir: string;
  /** pip's cache folder, or undefined when pip's cache is off. */
  readonly pipCacheDir: string | undefined;
  readonly workDir: string;
  /** uv's resolution for the target, when the set was resolved on the runner (see resolve.ts). */
  readonly locked?: readonly LockedPackage[] | undefined;
  /** Deadline of each download on the runner. */
  readonly timeoutSeconds: number;
  /** Runs the wheel build's programs (default: `run`). */
  readonly exec?: Exec;
}

/** What pip's output says went wrong, naming the package. */
export function pipFailure(output: string): string | undefined {
  const mismatch = /wheelhouse-buildx: (the wheel image runs \S+ but the target runs \S+)/.exec(output)?.[1];
  if (mismatch) return `input 'wheel-image': ${mismatch}; name an image with the target's Python`;
  const libc = /wheelhouse-buildx: (the wheel image has \S+ but the target has \S+): /.exec(output)?.[1];
  if (libc)
    return `input 'wheel-image': ${libc}, so its wheels may need a C library the target lacks; name an image of the target's distribution (the same or an older C library)`;
  const tampered = /THESE PACKAGES DO NOT MATCH THE HASHES[\s\S]*?\s([A-Za-z0-9._-]+(?:\[[^\]]*\])?==\S+) from /.exec(output)?.[1];
  if (tampered)
    return `pip refused ${tampered}: what the index serves does not match the hashes the requirements give for it (the lock file is out of date, or the file was altered)`;
  const missing = /No matching distribution found for (\S+)/.exec(output)?.[1];
  if (missing) return `pip found no distribution of ${missing} for this Python and platform`;
  const failed =
    /Failed to build ([A-Za-z0-9._-]+)/.exec(output)?.[1] ??
    /ERROR: Failed building wheel for ([A-Za-z0-9._-]+)/.exec(output)?.[1] ??
    /Building wheel for ([A-Za-z0-9._-]+) \(pyproject\.toml\) \.\.\. error/.exec(output)?.[1];
  if (failed) return `the wheel for ${failed} failed to build`;
  // a step before the build itself (its build dependencies, its metadata) failed: the package is the one
  // pip was collecting when it did
  const stage =
    /×\s+(Getting requirements to build wheel|Preparing metadata \([^)]*\)|pip subprocess to install build dependencies|python setup\.py egg_info) did not run successfully/.exec(
      output
    );
  if (!stage) return undefined;
  const collected = [...output.slice(0, stage.index).matchAll(/(?:Collecting|Processing) (\S+)/g)].at(-1)?.[1];
  if (!collected) return undefined;
  const name = collected.includes('/')
    ? path.basename(collected).replace(/\.(tar\.gz|tar\.bz2|zip|whl)$/, '')
    : collected.split(/[@=<>!~;[]/)[0];
  return `the wheel for ${name} failed to build (${stage[1]!.charAt(0).toLowerCase()}${stage[1]!.slice(1)} did not run successfully)`;
}

export interface WheelsBuilt extends WheelDiff {
  readonly base: BasePlan;
  /** The wheels were built in an image (pip's cache was used and may have changed). */
  readonly inImage: boolean;
}

export async function buildWheels(build: WheelBuild): Promise<WheelsBuilt> {
  const before = await listWheels(build.wheelhouseDir);
  // uv's resolution names packages with no wheel for the target: no binary-only attempt then
  let needsCompiler = false;
  if (build.locked) {
    // uv named each package's wheel for the target: the runner takes what the wheelhouse has and
    // downloads the binary wheels it lacks; only sdists need an image
    const sources = wheelSources(build.locked, before);
    const fetched = await fetchWheels(sources.download, path.join(build.workDir, 'fetched'), build.timeoutSeconds);
    const compile = [...sources.compile, ...fetched.failed];
    if (compile.length === 0) {
      core.info(`wheels: ${sources.reuse.length} from the wheelhouse, ${fetched.files.length} downloaded on the runner; no image needed`);
      const built = path.join(build.workDir, 'wheels-runner');
      await fs.rm(built, { recursive: true, force: true });
      await fs.mkdir(built, { recursive: true });
      await Promise.all([
        ...sources.reuse.map((w) => fs.copyFile(path.join(build.wheelhouseDir, w), path.join(built, w))),
        ...fetched.files.map((f) => fs.rename(f, path.join(built, path.basename(f))))
      ]);
      return { ...(await finishWheelhouse(built, build, before)), inImage: false };
    }
    core.info(
      `wheels: ${compile.map((p) => `${p.name}==${p.version}`).join(', ')} must be built in an image; ${fetched.files.length} downloaded on the runner`
    );
    needsCompiler = sources.compile.length > 0;
    // the downloaded wheels join the restored ones: the image build finds them offline
    await fs.mkdir(build.wheelhouseDir, { recursive: true });
    await Promise.all(fetched.files.map((f) => fs.rename(f, path.join(build.wheelhouseDir, path.basename(f)))));
  }
  const dir = path.join(build.workDir, 'wheels');
  const inputs = path.join(dir, 'inputs');
  const context = path.join(dir, 'context');
  const output = path.join(dir, 'out');
  await fs.rm(dir, { recursive: true, force: true });
  await Promise.all(
    [inputs, context, build.wheelhouseDir, build.pipCacheDir].filter((d): d is string => !!d).map((d) => fs.mkdir(d, { recursive: true }))
  );

  const deps = build.dependencies;
  const at = await listWheels(build.wheelhouseDir);
  const plan = fetchPlan(deps.requirements, deps.options, at, hasCredentials);
  // a set with hashes is checked where it is fetched (see offline.ts), then resolved as a whole without them
  const whole = plan?.hashed ? deps.requirements.map(withoutHashes) : deps.requirements;
  const files = wheelInputs(whole, deps.constraints, deps.options, hasCredentials);
  await fs.writeFile(path.join(inputs, 'requirements.txt'), files.requirements);
  await fs.writeFile(path.join(inputs, RUNTIME_SCRIPT), runtimeScript);
  if (files.constraints) await fs.writeFile(path.join(inputs, 'constraints.txt'), files.constraints);
  const secrets: Record<string, string> = {};
  if (files.private) {
    secrets[PRIVATE_SECRET] = path.join(dir, 'private-requirements.txt');
    await fs.writeFile(secrets[PRIVATE_SECRET], files.private, { mode: 0o600 });
  }
  const contexts: Record<string, string> = { [CONTEXTS.inputs]: inputs, [CONTEXTS.previous]: build.wheelhouseDir };
  if (build.pipCacheDir) contexts[CONTEXTS.pipCache] = build.pipCacheDir;
  if (plan) {
    const fetched = plan.checked.length + plan.missing.length;
    core.info(
      `wheels: ${fetched} of ${deps.requirements.length} pins not in the wheelhouse` +
        (plan.checked.length > 0 ? ` (${plan.checked.length} fetched with their hashes checked)` : '') +
        (plan.offline ? '; the rest resolve offline' : '; the set resolves against the index')
    );
    const withOptions = (lines: readonly { text: string }[]): string => [...deps.options, ...lines].map((l) => `${l.text}\n`).join('');
    if (plan.checked.length > 0) await fs.writeFile(path.join(inputs, CHECKED_FILE), withOptions(plan.checked));
    if (plan.missing.length > 0) await fs.writeFile(path.join(inputs, MISSING_FILE), withOptions(plan.missing));
  }

  const attempt = async (image: string, onlyBinary: boolean): Promise<void> => {
    const dockerfile = path.join(dir, 'Dockerfile');
    await fs.writeFile(
      dockerfile,
      wheelDockerfile({
        wheelImage: image,
        pythonTag: build.pythonTag,
        libc: build.libc,
        wheelPackages: onlyBinary ? [] : build.wheelPackages,
        onlyBinary,
        hasConstraints: Boolean(files.constraints),
        hasPrivate: Boolean(files.private),
        pipCache: Boolean(build.pipCacheDir),
        fetch: plan && { checked: plan.checked.length > 0, missing: plan.missing.length > 0, offline: plan.offline }
      })
    );
    await fs.rm(output, { recursive: true, force: true });
    await (build.exec ?? run)(
      'docker',
      localBuildArgs({ builder: build.builder.name, dockerfile, context, contexts, secrets, platform: build.platform, output }),
      {
        env: build.builder.env,
        silent: !core.isDebug()
      }
    );
  };

  try {
    // Binary wheels and the restored ones need no compiler: try the target image (already pulled for the
    // probe) before pulling the wheel image, unless there is nothing to reuse and compiling is expected,
    // or the wheel image is the target image (a base with compilers): there, one attempt does it all.
    let done = false;
    if (!needsCompiler && build.targetImage !== build.wheelImage && (at.length > 0 || build.wheelPackages.length === 0)) {
      done = await attempt(build.targetImage, true).then(
        () => {
          core.info(`wheels: every wheel was a binary wheel or already built; made in ${build.targetImage}`);
          return true;
        },
        (error: unknown) => {
          if (!(error instanceof CommandError)) throw error;
          core.info(`wheels: some wheels must be compiled; building in ${build.wheelImage}`);
          return false;
        }
      );
    }
    if (!done) await attempt(build.wheelImage, false);
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    const culprit = pipFailure(error.stderr);
    core.info('wheel build log (last lines):');
    core.info(tail(error.stderr, 60));
    throw new WheelBuildError(
      culprit
        ? `${culprit} in ${build.wheelImage} (the build log's last lines are above)`
        : `the wheel build in ${build.wheelImage} failed:\n${tail(error.stderr, 15)}`
    );
  } finally {
    if (secrets[PRIVATE_SECRET]) await fs.rm(secrets[PRIVATE_SECRET], { force: true });
  }
  const fresh = parseRuntime(await fs.readFile(path.join(output, RUNTIME_FILE), 'utf8').catch(() => '{}'));
  const result = await finishWheelhouse(path.join(output, 'wheelhouse'), build, before, fresh);
  if (build.pipCacheDir) await replaceDir(path.join(output, 'pip-cache'), build.pipCacheDir);
  await fs.rm(dir, { recursive: true, force: true });
  return { ...result, inImage: true };
}

/**
 * The new wheelhouse in `built` becomes the cached one, with its base generation and manifest (which
 * records the index options its wheels came from).
 */
async function finishWheelhouse(
  built: string,
  build: Pick<WheelBuild, 'wheelhouseDir' | 'dependencies'>,
  before: readonly string[],
  fresh: Readonly<Record<string, RuntimeLibraries>> = {}
): Promise<WheelDiff & { base: BasePlan }> {
  const wheelhouseDir = build.wheelhouseDir;
  const after = await listWheels(built);
  const base = nextBase(await readBase(wheelhouseDir), after);
  await keepBase(wheelhouseDir, built, base.base);
  await writeManifest(
    built,
    base.base,
    mergeRuntime(after, await readRuntime(wheelhouseDir), fresh),
    indexHash(build.dependencies.options)
  );
  await replaceDir(built, wheelhouseDir);
  return { ...diffWheels(before, after), base };
}

async function replaceDir(from: string, to: string): Promise<void> {
  await fs.rm(to, { recursive: true, force: true });
  await fs.mkdir(path.dirname(to), { recursive: true });
  await fs.mkdir(from, { recursive: true });
  await fs.rename(from, to).catch(async () => {
    await fs.cp(from, to, { recursive: true });
  });
}
