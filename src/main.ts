// The main step: inputs → builder → keys → restore → wheels → build → summary. Bad input or a failed
// build fails the step with one clear message; cache trouble is a warning and the build goes on.
import * as core from '@actions/core';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BuildRun } from './build/build.js';
import { type ImageOutcome, buildWithAdvice } from './build/image.js';
import { recallLastPush, rememberPush } from './build/last-push.js';
import { planDockerfile } from './build/optimize.js';
import { type GeneratedPlan, generatedText, planGenerated } from './build/generated.js';
import {
  type RecalledImage,
  type WheelhouseImages,
  imageContexts,
  indexWheelhouseImages,
  pushWheelhouseImages,
  recallWheelhouseImage,
  rememberWheelhouseImage
} from './build/wheelhouse-image.js';
import { type LayerPlan, planLayers } from './dockerfile/layers.js';
import { type ContextNames, installedRequirementFiles } from './dockerfile/install.js';
import { type WheelhouseContexts, baseContextName } from './build/args.js';
import { type BuilderRecord, type StartedBuilder, checkBuildx, startBuilder } from './builder/builder.js';
import { bootedPlatform, buildkitVersions, likelyPlatform, parseInspect, runnablePlatforms } from './builder/inspect.js';
import { installBuildx } from './builder/install.js';
import { warmUp } from './builder/warm.js';
import { connectCluster } from './builder/kubernetes/cluster.js';
import type { KubernetesAdapters } from './builder/kubernetes/setup.js';
import { type CacheBackend, cachedDir } from './cache/backend.js';
import { type GuardedCache, guarded } from './cache/guard.js';
import { selectBackend } from './cache/select.js';
import { type Exec, run } from './exec/exec.js';
import { type CacheConfig, type Config, type GetInput, readConfig, summaryByDefault } from './inputs/config.js';
import { buildkitTakesAttestations } from './inputs/attestations.js';
import { InputError } from './inputs/errors.js';
import { unserved } from './inputs/platform.js';
import { secretMasks } from './inputs/secrets.js';
import { chooseDependencyFiles, findDependencyFiles, readDependencies } from './keys/discover.js';
import { type KeyInputs, type Keys, type Target, pipCacheKeys, wheelhouseKeys } from './keys/key.js';
import type { DependencySet } from './keys/model.js';
import { credentialsIn } from './keys/requirements.js';
import { Phases } from './phases.js';
import { type Restored, restoreCaches } from './restore/restore.js';
import { type PendingSave, type State, newState, saveState } from './state.js';
import { writeFailureSummary, writeSummary } from './summary/summary.js';
import { maskSecret } from './exec/masks.js';
import { baseImage, defaultWheelImage } from './target/dockerfile.js';
import { targetOf } from './target/probe.js';
import { targetPython } from './target/python.js';
import { buildWheels } from './wheels/build.js';
import { type BasePlan, baseContext, nextBase } from './wheels/generation.js';
import { listWheels, sizedWheels } from './wheels/inventory.js';
import { readBase, readRuntime } from './wheels/manifest.js';
import { runtimePackages } from './wheels/runtime.js';
import { type ResolveAdapters, pinRanges } from './wheels/run-resolve.js';
import { obtainUv } from './wheels/uv.js';

interface Plan {
  /** The target probe's answer to save, when it was not restored. */
  probeSave: PendingSave | undefined;
  dependencies: DependencySet;
  targetImage: string;
  wheelImage: string;
  target: Target;
  /** The projects the target image has installed (pip, setuptools…), as the probe read them. */
  imageHas: readonly string[];
  wheelhouse: Keys;
  pipCache: Keys;
  /** The Dockerfile's text, as read for the target (for a generated one, without its runtime packages yet). */
  dockerfile: string;
  /** How the Dockerfile is generated, when the project has none. */
  generated: GeneratedPlan | undefined;
}

/** What the caches hold for one platform's keys. */
interface Found {
  plan: Plan;
  restored: Restored;
  lastPush: string | undefined;
  image: RecalledImage | undefined;
}

/** The wheels phase's outcome: what was built, reused and pruned, and the base generation next. */
interface WheelsOutcome {
  readonly built: readonly string[];
  readonly reused: readonly string[];
  readonly pruned: readonly string[];
  readonly base: BasePlan;
  /** Wheels were built in an image (pip's cache then changed). */
  readonly inImage: boolean;
}

/** The image build's outcome, with the wheelhouse image it named (when it named one). */
interface Built extends ImageOutcome {
  readonly wheelhouseImage: string | undefined;
}

/** One platform's wheelhouse, ready for the image build. */
interface Prepared {
  readonly platform: string;
  readonly plan: Plan;
  readonly restored: Restored;
  readonly image: RecalledImage | undefined;
  readonly wheels: WheelsOutcome;
  /** Its images, pushed or recalled (several platforms only: they make the index the build names). */
  readonly images: WheelhouseImages | undefined;
  /** The runtime packages its wheels load (several platforms with a generated Dockerfile only). */
  readonly runtime: readonly string[];
}

/**
 * What main does its work with: the step's inputs, programs (docker, buildx, uv), the cache backend for
 * the cache inputs, where uv is had, and the cluster's API for the kubernetes driver. The step's outputs,
 * state and summary are the runner's files (@actions/core writes them where GITHUB_OUTPUT, GITHUB_STATE
 * and GITHUB_STEP_SUMMARY say).
 */
export interface MainAdapters {
  readonly getInput: GetInput;
  readonly exec: Exec;
  readonly backend: (cache: CacheConfig) => Promise<CacheBackend | undefined>;
  readonly uv: ResolveAdapters['uv'];
  /** How the kubernetes driver reaches its cluster (the kubeconfig's, through the API client). */
  readonly connect: KubernetesAdapters['connect'];
}

export const MAIN_ADAPTERS: MainAdapters = {
  getInput: (name) => core.getInput(name),
  exec: run,
  backend: (cache) => selectBackend(cache),
  uv: (workDir, timeoutSeconds) => obtainUv(workDir, timeoutSeconds),
  connect: (kubeconfig, workDir) => connectCluster(kubeconfig, workDir)
};

export async function main(adapters: MainAdapters): Promise<void> {
  const phases = new Phases();
  let summary = summaryByDefault(process.env);
  try {
    const config = readConfig(adapters.getInput);
    summary = config.summary;
    for (const mask of secretMasks(config.secrets)) maskSecret(mask);
    await pipeline(config, phases, adapters);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    core.setFailed(message);
    // the run a user most needs explained: the phase that failed and what it said
    if (summary) {
      await writeFailureSummary({ phase: phases.failed, phases: phases.seconds, message }).catch((e: unknown) =>
        core.warning(`summary: ${e instanceof Error ? e.message : String(e)}`)
      );
    }
  }
}

async function pipeline(config: Config, phases: Phases, adapters: MainAdapters): Promise<void> {
  const { exec } = adapters;
  const workDir = path.join(process.env.RUNNER_TEMP || os.tmpdir(), `wheelhouse-buildx-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(workDir, { recursive: true });
  const state = newState({
    backend: config.cache.backend,
    localDir: config.cache.localDir,
    scope: config.cache.scope,
    timeoutSeconds: config.cache.timeoutSeconds,
    save: config.cache.save
  });
  state.scratch.push(workDir);
  saveState(state);
  // the builder is registered first; the cache library then loads while BuildKit boots
  const started = await phases.run('builder', () => setUpBuilder(config, state, workDir, adapters));
  const backend = await adapters.backend(config.cache);
  // post saves through the backend chosen here: it does not decide `auto` again
  state.cache = { ...state.cache, backend: backend?.name ?? 'none' };
  saveState(state);
  const cache = backend ? guarded(backend, config.cache.timeoutSeconds) : undefined;
  const builder = started.record;
  // a platform asked for that the booted builder cannot run is the error, before anything is built on it
  const checked = started.booted.then((output) => {
    const runs = runnablePlatforms(output);
    const missing = runs.length > 0 ? unserved(runs, config.platforms) : [];
    if (missing.length > 0) {
      throw new InputError(
        'platforms',
        `the builder ${builder.name} cannot run ${missing.join(', ')} (it runs ${runs.join(', ')}): register QEMU's emulators on the host ` +
          "(Debian's qemu-user-static, or docker run --privileged tonistiigi/binfmt --install all), or build on a node of that platform"
      );
    }
    return output;
  });
  checked.catch(() => undefined); // awaited below
  // BuildKit boots while the keys are computed and the caches looked up. They need the platform: the
  // given one, else the one a builder on this machine reports first, checked once it has booted.
  let booting: Promise<string> | undefined;
  const platformOf = (): Promise<string> =>
    (booting ??= checked.then((output) => {
      const platform = config.platforms[0] ?? bootedPlatform(builder.name, output);
      core.info(`builder: ${builder.name} is up, building for ${config.platforms.length > 1 ? config.platforms.join(', ') : platform}`);
      setBuilderOutputs(output);
      return platform;
    }));
  const ready = async (): Promise<void> => void (await checked);
  const several = config.platforms.length > 1;
  // the last push is remembered for the platforms built together
  const pushedFor = (platform: string): string => (several ? config.platforms.join(',') : platform);
  let platform = config.platforms[0] ?? likelyPlatform(process.arch) ?? (await phases.run('boot', platformOf));
  let found = await lookUp(config, phases, builder, platform, pushedFor(platform), workDir, cache, ready, exec);
  const booted = await phases.run('boot', platformOf);
  if (booted !== platform) {
    core.info(`builder: ${builder.name} builds for ${booted}, not ${platform}: the keys are computed again`);
    platform = booted;
    found = await lookUp(config, phases, builder, platform, pushedFor(platform), workDir, cache, ready, exec);
  }
  const { lastPush } = found;
  const wheelhouse = cachedDir('wheelhouse');
  const firstTag = config.tags[0];

  // each platform's wheelhouse: its keys, its restore, its wheels; with several, each one's folders are
  // moved aside (post moves them back to save them) before the next platform uses the same folders
  const prepared: Prepared[] = [];
  const warmUps: Promise<void>[] = [];
  for (const [i, target] of (several ? config.platforms : [platform]).entries()) {
    if (i > 0) found = await lookUp(config, phases, builder, target, undefined, workDir, cache, ready, exec);
    if (several) core.info(`platform ${target}: ${found.plan.wheelhouse.primary}`);
    // the install steps run on the target image: a wheelhouse that changed has it unpacked on the
    // builder while its wheels are made (an exact hit runs no install step)
    if (found.restored.hit !== 'exact') {
      const { targetImage } = found.plan;
      warmUps.push(
        checked.then(
          () => warmUp(builder, targetImage, target, workDir, exec),
          () => undefined
        )
      );
    }
    const wheels = await phases.run('wheels', () =>
      wheelsPhase(config, builder, target, found, workDir, adapters).catch((error: unknown) => {
        // the platforms before it keep their saves: post saves their good wheelhouses
        if (several && error instanceof Error) error.message = `platform ${target}: ${error.message}`;
        throw error;
      })
    );
    const saves = savesOf(config, found, wheels);
    const images = several ? await platformImages(config, cache, builder, state, found, wheels, workDir, exec) : undefined;
    // read before the folders are moved aside for the next platform
    const runtime = several && found.plan.generated ? await runtimeOf(found.image?.dir ?? wheelhouse.dir) : [];
    state.saves.push(...saves);
    saveState(state);
    if (several) {
      await stageSaves(state, target);
      saveState(state);
    }
    prepared.push({ platform: target, plan: found.plan, restored: found.restored, image: found.image, wheels, images, runtime });
  }
  const built = await phases.run('build', async () =>
    imagePhase(
      config,
      builder,
      cache,
      state,
      prepared,
      { lastPush, attestations: buildkitTakesAttestations(buildkitVersions(await checked)) },
      workDir,
      exec
    )
  );
  await Promise.all(warmUps);
  if (cache && config.push && firstTag && built.metadata.digest) {
    state.saves.push(await rememberPush(pushedFor(platform), firstTag, built.metadata.digest));
    saveState(state);
  }
  await report(config, phases, prepared, built, cache);
}

/**
 * The image build: on the platforms' index of wheelhouse images (several platforms), on an exact hit's
 * images, or on the folders (pushed as images when they can be remembered), from the Dockerfile as
 * planned (given, rewritten or generated).
 */
async function imagePhase(
  config: Config,
  builder: BuilderRecord,
  cache: GuardedCache | undefined,
  state: State,
  prepared: readonly Prepared[],
  buildRun: BuildRun,
  workDir: string,
  exec: Exec
): Promise<Built> {
  const several = prepared.length > 1;
  const wheelhouse = cachedDir('wheelhouse');
  const first = prepared[0]!;
  const { plan, image } = first;
  // the wheelhouse's manifest (its base generation, its runtime libraries): in the restored folder, or
  // in the image's entry
  const manifestDir = image?.dir ?? wheelhouse.dir;
  // the Dockerfile's text and the contexts it is built with: one platform's images or folders, or, with
  // several, one index a kind of the platforms' images (each platform's install step mounts its own wheels)
  let source: {
    readonly text: string;
    readonly layers: LayerPlan | undefined;
    readonly optimize: boolean;
    readonly contexts: WheelhouseContexts;
    readonly wheelhouseImage: string | undefined;
  };
  if (several) {
    const images = await indexWheelhouseImages(
      builder,
      config.wheelhouseImage!,
      prepared.map((p) => p.images!),
      config.cache.timeoutSeconds,
      exec
    );
    // a generated Dockerfile installs the wheels in one step (a layer a package would name each
    // platform's own files), with the runtime packages any platform's wheels load
    const runtime = [...new Set(prepared.flatMap((p) => p.runtime))].sort();
    source = {
      text: plan.generated ? generatedText(plan.generated, contextNames(config), runtime, plan.target.pythonTag) : plan.dockerfile,
      layers: undefined,
      optimize: false,
      contexts: imageContexts(images),
      wheelhouseImage: images.wheelhouse
    };
  } else {
    const { base } = first.wheels.base;
    // an exact hit's images, else the folders, pushed as images when they can be remembered
    const folders = image ? undefined : await wheelhouseFolders(wheelhouse.dir, base, workDir);
    const images = image?.images ?? (folders && (await wheelhouseImages(config, cache, builder, state, plan, folders, workDir, exec)));
    const layers =
      plan.generated || config.optimizeDockerfile
        ? planLayers(image ? image.wheels : await sizedWheels(wheelhouse.dir), plan.imageHas)
        : undefined;
    source = {
      text: plan.generated
        ? generatedText(plan.generated, contextNames(config), await runtimeOf(manifestDir), plan.target.pythonTag, layers)
        : plan.dockerfile,
      layers,
      optimize: config.optimizeDockerfile,
      contexts: images ? imageContexts(images) : folders!,
      wheelhouseImage: images?.wheelhouse
    };
  }
  const dockerfile = await planDockerfile({
    text: source.text,
    layers: source.layers,
    generated: plan.generated !== undefined,
    target: config.target,
    names: contextNames(config),
    optimize: source.optimize,
    displayName: path.relative(config.workspace, config.file),
    dockerfile: config.file,
    context: config.context,
    dependencies: plan.dependencies,
    workDir
  });
  return {
    ...(await buildWithAdvice(config, builder, source.contexts, workDir, buildRun, dockerfile, exec)),
    wheelhouseImage: source.wheelhouseImage
  };
}

/** The step's outputs, and its job summary unless it is off. */
async function report(
  config: Config,
  phases: Phases,
  prepared: readonly Prepared[],
  built: Built,
  cache: GuardedCache | undefined
): Promise<void> {
  const { metadata } = built;
  core.setOutput('digest', metadata.digest ?? '');
  core.setOutput('imageid', metadata.imageId ?? '');
  core.setOutput('metadata', metadata.raw);
  // several platforms: exact when every one is, a miss when every one is; a key a line
  const hits = prepared.map((p) => p.restored.hit);
  const hit = hits.every((h) => h === 'exact') ? 'exact' : hits.every((h) => h === 'miss') ? 'miss' : 'partial';
  const keys = prepared.map((p) => p.plan.wheelhouse.primary).join('\n');
  const count = (pick: (w: WheelsOutcome) => readonly string[]): number => prepared.reduce((n, p) => n + pick(p.wheels).length, 0);
  core.setOutput('wheelhouse-cache-hit', hit);
  core.setOutput('cache-hit', String(hit === 'exact'));
  core.setOutput('wheelhouse-key', keys);
  core.setOutput('wheelhouse-image', built.wheelhouseImage ?? '');
  core.setOutput('wheels-built', String(count((w) => w.built)));
  core.setOutput('wheels-reused', String(count((w) => w.reused)));
  core.setOutput('timings', JSON.stringify(phases.seconds));
  if (config.summary) {
    await writeSummary({
      phases: phases.seconds,
      cacheHit: hit,
      backend: cache?.name ?? 'none',
      key: keys,
      wheelsBuilt: count((w) => w.built),
      wheelsReused: count((w) => w.reused),
      wheelsPruned: count((w) => w.pruned),
      bytesRestored: prepared.reduce((n, p) => n + p.restored.bytes, 0),
      digest: metadata.digest,
      wheelhouseImage: built.wheelhouseImage,
      advice: built.advice,
      generated: built.generated,
      rewrite: built.optimized && { diff: built.optimized.diff, used: built.builtFromRewrite, refusals: built.optimized.refusals }
    }).catch((error: unknown) => core.warning(`summary: ${error instanceof Error ? error.message : String(error)}`));
  }
}

/** The keys for `platform`, and what the caches hold under them: nothing here needs BuildKit up. */
async function lookUp(
  config: Config,
  phases: Phases,
  builder: BuilderRecord,
  platform: string,
  lastPushOf: string | undefined,
  workDir: string,
  cache: GuardedCache | undefined,
  ready: () => Promise<void>,
  exec: Exec
): Promise<Found> {
  const firstTag = config.tags[0];
  // the default cache source, the image the last push of this repository made (whatever its tag), needs
  // no key: it is looked up while the keys are computed (for `lastPushOf`, the platforms built together)
  const lastPushing =
    cache && firstTag && lastPushOf && config.cacheFrom === undefined && !config.noCache
      ? recallLastPush(cache, lastPushOf, firstTag)
      : Promise.resolve(undefined);
  lastPushing.catch(() => undefined); // awaited below; a failure of the keys must not leave it unhandled
  const plan = await phases.run('keys', () => planKeys(config, builder, platform, workDir, cache, ready, exec));
  const wheelhouse = cachedDir('wheelhouse');
  const pip = config.cache.pipCache ? cachedDir('pip-cache') : undefined;
  // restore-cache: false builds the wheelhouse afresh (the probe and the last push are still looked up)
  const restoring = config.cache.restore ? cache : undefined;
  if (cache && !restoring) core.info('cache: restore-cache is false: the wheelhouse is built afresh');
  return phases.run('restore', async () => {
    const [image, lastPush] = await Promise.all([
      // an exact hit pushed as an image is neither restored nor sent: the build names the image
      restoring && config.wheelhouseImage
        ? recallWheelhouseImage(restoring, builder, config.wheelhouseImage, plan.wheelhouse.primary, config.cache.timeoutSeconds, exec)
        : undefined,
      lastPushing
    ]);
    if (image) core.info(`wheelhouse: exact (${image.key}), as the image ${image.images.wheelhouse}: nothing restored`);
    const restored: Restored = image
      ? { hit: 'exact', saveKey: plan.wheelhouse.primary, pipKey: undefined, bytes: 0 }
      : await restoreCaches(restoring, wheelhouse, pip, plan);
    if (lastPush) core.info(`cache-from: ${lastPush} (the last push of this repository in this cache scope)`);
    return { plan, restored, lastPush, image };
  });
}

/**
 * The wheels phase for one platform: an exact hit reuses the wheelhouse as it is; otherwise ranges are
 * pinned for the target and only the wheels the wheelhouse lacks are fetched or built.
 */
async function wheelsPhase(
  config: Config,
  builder: BuilderRecord,
  platform: string,
  found: Found,
  workDir: string,
  { exec, uv }: MainAdapters
): Promise<WheelsOutcome> {
  const { plan, restored, image } = found;
  const wheelhouse = cachedDir('wheelhouse');
  const manifestDir = image?.dir ?? wheelhouse.dir;
  let outcome: WheelsOutcome;
  if (restored.hit === 'exact') {
    const reused = image ? image.wheels.map((w) => w.file) : await listWheels(wheelhouse.dir);
    core.info(`wheels: exact hit, ${reused.length} reused, none built`);
    outcome = { built: [], reused, pruned: [], base: nextBase(await readBase(manifestDir), reused), inImage: false };
  } else {
    const resolution = await pinRanges(plan.dependencies, plan.target, workDir, config.cache.timeoutSeconds, { exec, uv });
    outcome = await buildWheels({
      builder,
      platform,
      wheelImage: plan.wheelImage,
      targetImage: plan.targetImage,
      pythonTag: plan.target.pythonTag,
      libc: plan.target.libc,
      wheelPackages: config.wheelPackages,
      dependencies: resolution.dependencies,
      locked: resolution.locked,
      timeoutSeconds: config.cache.timeoutSeconds,
      wheelhouseDir: wheelhouse.dir,
      pipCacheDir: config.cache.pipCache ? cachedDir('pip-cache').dir : undefined,
      workDir,
      exec
    });
    core.info(`wheels: ${outcome.built.length} built, ${outcome.reused.length} reused, ${outcome.pruned.length} pruned`);
    for (const w of outcome.built) core.info(`  built ${w}`);
    for (const w of outcome.pruned) core.info(`  pruned ${w}`);
  }
  const { base, rebased } = outcome.base;
  const onTop = [...outcome.reused, ...outcome.built].filter((w) => !base.includes(w)).length;
  core.info(`wheelhouse base: ${base.length} wheels, ${rebased ? `made again (${rebased})` : `kept, ${onTop} on top`}`);
  return outcome;
}

/** What post saves for one platform: the wheelhouse is good from here on, so it is saved even if the image build fails. */
function savesOf(config: Config, found: Found, wheels: WheelsOutcome): PendingSave[] {
  const { plan, restored } = found;
  const saves: PendingSave[] = [{ entry: cachedDir('wheelhouse'), key: restored.saveKey, changed: restored.hit !== 'exact' }];
  if (config.cache.pipCache) {
    saves.push({
      entry: cachedDir('pip-cache'),
      key: plan.pipCache.primary,
      changed: wheels.inImage && restored.pipKey !== plan.pipCache.primary
    });
  }
  if (plan.probeSave) saves.push(plan.probeSave);
  return saves;
}

/**
 * One platform's wheelhouse images when several platforms are built: the recalled ones of an exact hit,
 * else its folders pushed for its platform. Several platforms need them: one build names them all.
 */
async function platformImages(
  config: Config,
  cache: GuardedCache | undefined,
  builder: BuilderRecord,
  state: State,
  found: Found,
  wheels: WheelsOutcome,
  workDir: string,
  exec: Exec
): Promise<WheelhouseImages> {
  if (found.image) return found.image.images;
  const folders = await wheelhouseFolders(
    cachedDir('wheelhouse').dir,
    wheels.base.base,
    path.join(workDir, found.plan.target.platform.replace(/\//g, '-'))
  );
  const images = await wheelhouseImages(config, cache, builder, state, found.plan, folders, workDir, exec);
  if (!images) {
    throw new InputError(
      'platforms',
      `the ${found.plan.target.platform} wheelhouse could not be pushed as an image, and a build of several platforms names each platform's wheels by image: ` +
        'push to a registry that takes it (push: true or wheelhouse-image) with a cache that saves, or build one platform a step'
    );
  }
  return images;
}

/**
 * Moves the folders of the saves still in their entries' places aside (beside them, on the same file
 * system), so that the next platform can use the same folders; post moves each back to save it.
 */
async function stageSaves(state: State, platform: string): Promise<void> {
  const slug = platform.replace(/[^A-Za-z0-9]+/g, '-');
  state.saves = await Promise.all(
    state.saves.map(async (save) => {
      if (save.staged || !save.changed) return save;
      const staged = `${save.entry.dir}.${slug}`;
      await fs.rm(staged, { recursive: true, force: true });
      const moved = await fs.rename(save.entry.dir, staged).then(
        () => true,
        () => false
      );
      return moved ? { ...save, staged } : { ...save, changed: false };
    })
  );
}

/** The wheelhouse's two folders, as restored or built. */
async function wheelhouseFolders(wheelhouse: string, base: readonly string[], workDir: string): Promise<WheelhouseContexts> {
  return { wheelhouse, base: await baseContext(wheelhouse, base, path.join(workDir, 'wheelhouse-base')) };
}

/**
 * The wheelhouse (restored or built) pushed as images, when a repository is set and the entry that
 * remembers them can be saved (the next exact hit then names them); undefined: the folders are sent.
 */
async function wheelhouseImages(
  config: Config,
  cache: GuardedCache | undefined,
  builder: BuilderRecord,
  state: State,
  plan: Plan,
  folders: WheelhouseContexts,
  workDir: string,
  exec: Exec
): Promise<WheelhouseImages | undefined> {
  const repository = config.wheelhouseImage;
  if (!repository) {
    core.info('wheelhouse image: none (nothing is pushed): the wheelhouse is sent to BuildKit');
    return undefined;
  }
  if (!cache || !config.cache.save) {
    core.info('wheelhouse image: not pushed, this run saves no cache entry to remember it by: the wheelhouse is sent to BuildKit');
    return undefined;
  }
  const pushed = await pushWheelhouseImages(builder, repository, folders, plan.target.platform, workDir, config.cache.timeoutSeconds, exec);
  if (!pushed) return undefined;
  state.saves.push(
    await rememberWheelhouseImage(repository, plan.wheelhouse.primary, pushed, await sizedWheels(folders.wheelhouse), folders.wheelhouse)
  );
  saveState(state);
  return pushed;
}

/** setup-buildx-action's outputs, from `docker buildx inspect --bootstrap`: the builder's name, driver, platforms and nodes. */
function setBuilderOutputs(inspectOutput: string): void {
  const inspected = parseInspect(inspectOutput);
  if (!inspected) return;
  core.setOutput('name', inspected.name);
  core.setOutput('driver', inspected.driver);
  core.setOutput('platforms', inspected.nodes[0]?.platforms ?? '');
  core.setOutput('nodes', JSON.stringify(inspected.nodes));
}

/** The system packages the wheelhouse's wheels load at run time, as its manifest records them. */
async function runtimeOf(wheelhouseDir: string): Promise<string[]> {
  const runtime = await readRuntime(wheelhouseDir);
  for (const [wheel, libraries] of Object.entries(runtime)) {
    if (libraries.packages.length > 0) core.info(`runtime: ${wheel} loads ${libraries.packages.join(', ')}`);
    if (libraries.unresolved.length > 0)
      core.info(`runtime: ${wheel} loads ${libraries.unresolved.join(', ')}, found in no package of the wheel image`);
  }
  return runtimePackages(runtime);
}

const contextNames = (config: Config): ContextNames => ({
  wheelhouse: config.wheelhouseContext,
  base: baseContextName(config.wheelhouseContext)
});

async function setUpBuilder(config: Config, state: State, workDir: string, { exec, connect }: MainAdapters): Promise<StartedBuilder> {
  // a release asked for is installed first (every docker command then runs with it); else the runner's
  // buildx is checked while the builder is registered: a missing or old buildx is the error to report,
  // before any the registration gave
  const { version: wanted, downloadUrl } = config.builder.buildx;
  const env = wanted
    ? (await installBuildx({ version: wanted, downloadUrl, timeoutSeconds: config.cache.timeoutSeconds, workDir })).env
    : {};
  const [version, started] = await Promise.allSettled([
    checkBuildx(env, exec),
    startBuilder(
      config.builder,
      config.platforms,
      workDir,
      (record) => {
        state.builder = record;
        saveState(state);
      },
      env,
      exec,
      connect
    )
  ]);
  if (version.status === 'rejected') throw version.reason;
  core.info(`buildx: ${version.value}`);
  if (started.status === 'rejected') throw started.reason;
  return started.value;
}

async function planKeys(
  config: Config,
  builder: BuilderRecord,
  platform: string,
  workDir: string,
  cache: GuardedCache | undefined,
  ready: () => Promise<void>,
  exec: Exec
): Promise<Plan> {
  const given = config.generate
    ? undefined
    : await fs.readFile(config.file, 'utf8').catch(() => {
        throw new InputError('file', `cannot read ${config.file}`);
      });
  const chosen =
    config.requirements.length > 0
      ? { files: [...config.requirements], leftOut: [] }
      : chooseDependencyFiles(
          config.context,
          await findDependencyFiles(config.context),
          given === undefined ? undefined : installedRequirementFiles(given, contextNames(config))
        );
  const dependencies = await readDependencies(config.context, chosen.files);
  for (const line of [...dependencies.requirements, ...dependencies.constraints, ...dependencies.options]) {
    for (const secret of credentialsIn(line.text)) maskSecret(secret);
  }
  core.info(`dependencies: ${dependencies.requirements.length} requirements from ${dependencies.files.join(', ')}`);
  for (const skipped of dependencies.skipped) core.info(`  left out of the wheelhouse: ${skipped}`);
  // a file left out that another one includes (`-r`) was read all the same
  for (const { file, why } of chosen.leftOut) {
    const display = path.relative(config.context, file);
    if (!dependencies.files.includes(display))
      core.info(`  left out of the wheelhouse: ${display} (${why}; name it in 'requirements' to have it)`);
  }

  const generated = config.generate ? await planGenerated(config, dependencies) : undefined;
  if (generated)
    core.info(`dockerfile: none in the context; one is generated, starting ${generated.start.found}: ${generated.start.command.join(' ')}`);
  const dockerfile = generated ? generatedText(generated, contextNames(config), []) : given!;
  const targetImage = baseImage(dockerfile, config.target, config.buildArgs);
  if (!targetImage) {
    throw new InputError(
      'wheel-image',
      `cannot tell the base image of ${path.relative(config.workspace, config.file)}: name the image to build wheels in`
    );
  }
  const wheelImage = config.wheelImage ?? defaultWheelImage(targetImage);
  core.info(`target: ${targetImage} on ${platform}; wheels built in ${wheelImage}`);
  const probe = await targetPython(builder, targetImage, platform, workDir, cache, ready, exec);
  const target = targetOf(platform, probe.info);
  const inputs: KeyInputs = {
    target,
    installer: 'pip',
    dependencies,
    wheelImage,
    wheelPackages: config.wheelPackages,
    suffix: config.cache.suffix
  };
  const plan = {
    probeSave: probe.save,
    dependencies,
    targetImage,
    wheelImage,
    target,
    imageHas: probe.info.distributions,
    wheelhouse: wheelhouseKeys(inputs),
    pipCache: pipCacheKeys(inputs),
    dockerfile,
    generated
  };
  core.info(`key: ${plan.wheelhouse.primary}`);
  return plan;
}
