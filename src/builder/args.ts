// Argument arrays for `docker buildx` builder commands (pure; tested with tables).
import type { BuilderConfig } from '../inputs/config.js';
import { type DriverOpt, renderDriverOpt } from '../inputs/driver-opts.js';

export function createArgs(
  name: string,
  builder: BuilderConfig,
  platforms: readonly string[],
  driverOpts: readonly DriverOpt[] = builder.driverOpts,
  /** A kubernetes builder's node: its name (default: the builder's), and whether it joins nodes created before it. */
  node: { readonly name: string; readonly append: boolean } = { name, append: false }
): string[] {
  const args = ['buildx', 'create', ...(node.append ? ['--append'] : []), '--name', name, '--driver', builder.driver];
  // the kubernetes driver names its Deployment after the node: a stable node name finds a warm builder
  // again from another runner (buildx would otherwise pick a random one)
  if (builder.driver === 'kubernetes') args.push('--node', node.name);
  for (const opt of driverOpts) args.push('--driver-opt', renderDriverOpt(opt));
  // `--config`, not `--buildkitd-config`: the latter only exists from buildx 0.13 on (MIN_BUILDX is older),
  // and later releases keep `--config` as a hidden alias of it.
  if (builder.buildkitdConfig) args.push('--config', builder.buildkitdConfig);
  if (builder.buildkitdFlags) args.push('--buildkitd-flags', builder.buildkitdFlags);
  // kubernetes: the node builds the platforms it declares (buildx sends each platform's build to the node
  // declaring it; a node selector, not this, places the pods). Elsewhere a declared platform only
  // reorders buildx's listing and hides whether BuildKit can run it (an emulator): the build names its
  // platforms itself
  if (platforms.length > 0 && builder.driver === 'kubernetes') args.push('--platform', platforms.join(','));
  // no --bootstrap: the builder boots apart (bootstrapArgs), while the keys are computed
  return args;
}

export function inspectArgs(name: string): string[] {
  return ['buildx', 'inspect', name];
}

/** Boots the builder and prints what `inspect` prints (its platforms among it). */
export function bootstrapArgs(name: string): string[] {
  return ['buildx', 'inspect', '--bootstrap', name];
}

/**
 * `keepDaemon`: forget the builder on this machine, leave its BuildKit (a kubernetes Deployment) running.
 * `keepState`: leave the docker-container builder's state volume (to be deleted without waiting).
 */
export function removeArgs(name: string, { keepDaemon = false, keepState = false } = {}): string[] {
  return ['buildx', 'rm', '--force', ...(keepDaemon ? ['--keep-daemon'] : []), ...(keepState ? ['--keep-state'] : []), name];
}

/** The volume buildx's docker-container driver keeps the BuildKit state of builder `name` in (its node `<name>0`). */
export function stateVolume(name: string): string {
  return `buildx_buildkit_${name}0_state`;
}

/** `<run id>-<attempt>` of the workflow run, '' outside Actions. */
export function runOf(env: NodeJS.ProcessEnv): string {
  return [env.GITHUB_RUN_ID, env.GITHUB_RUN_ATTEMPT].filter(Boolean).join('-');
}

/** A name for a builder the action creates: unique per run and attempt, recognisable as the action's. */
export function generatedName(env: NodeJS.ProcessEnv, random: string): string {
  const run = runOf(env);
  return `wheelhouse-${run ? `${run}-` : ''}${random}`;
}

/** `github.com/docker/buildx v0.38.2 <rev>` → [0, 38, 2] */
export function parseBuildxVersion(output: string): [number, number, number] | undefined {
  const m = /\bv?(\d+)\.(\d+)\.(\d+)/.exec(output);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export const MIN_BUILDX: [number, number, number] = [0, 10, 0];

export function atLeast(version: [number, number, number], min: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    if (version[i]! !== min[i]!) return version[i]! > min[i]!;
  }
  return true;
}
