// The image build's `docker buildx build` arguments, in the shape docker/build-push-action users know,
// with the wheelhouse as a named build context and inline cache by default.
import type { Attestations } from '../inputs/attestations.js';
import type { BuildFlags, BuildSecret, Config } from '../inputs/config.js';

/** The folders behind the two named contexts: the whole wheelhouse, and its base generation. */
export interface WheelhouseContexts {
  readonly wheelhouse: string;
  readonly base: string;
}

/** The base generation's context name: the wheelhouse context's with `-base`. */
export const baseContextName = (wheelhouseContext: string): string => `${wheelhouseContext}-base`;

export interface ImageBuild {
  readonly builder: string;
  readonly contexts: WheelhouseContexts;
  readonly metadataFile: string;
  /** The secrets given as values, written to files for the build (id → file). */
  readonly secretFiles: Readonly<Record<string, string>>;
  /** The image the last push of the first tag's repository made, by digest (see last-push.ts). */
  readonly lastPush?: string;
  /** The Dockerfile to build instead of the `file` input's (the optimized copy). */
  readonly file?: string;
  /** The builder's BuildKit takes attestations (0.11 and later): the default provenance is added. */
  readonly attestations?: boolean;
}

/** The `--attest` flags: those asked for, and the default provenance where the builder takes it. */
export function attestArgs(attestations: Attestations, buildkitTakesThem: boolean): string[] {
  const all = [...(buildkitTakesThem && attestations.defaultProvenance ? [attestations.defaultProvenance] : []), ...attestations.given];
  return all.flatMap((attest) => ['--attest', attest]);
}

/**
 * Inline cache unless told otherwise: export it into the image, import it from the image the last push
 * of the repository made (`lastPush`, by digest: it survives a new tag per run) and from the first tag.
 */
export function cacheArgs(config: Pick<Config, 'cacheFrom' | 'cacheTo' | 'tags' | 'noCache'>, lastPush?: string): string[] {
  const sources = [lastPush, config.tags[0]].filter((ref): ref is string => Boolean(ref));
  const from = config.cacheFrom ?? (config.tags[0] && !config.noCache ? sources.map((ref) => `type=registry,ref=${ref}`) : []);
  const to = config.cacheTo ?? ['type=inline'];
  return [...from.flatMap((c) => ['--cache-from', c]), ...to.flatMap((c) => ['--cache-to', c])];
}

/** build-push-action's pass-through inputs as buildx flags, in its order. */
export function flagArgs(flags: BuildFlags): string[] {
  const each = (flag: string, values: readonly string[]): string[] => values.flatMap((v) => [flag, v]);
  const one = (flag: string, value: string | undefined): string[] => (value ? [flag, value] : []);
  return [
    ...each('--add-host', flags.addHosts),
    ...each('--allow', flags.allow),
    ...each('--annotation', flags.annotations),
    ...one('--call', flags.call),
    ...one('--cgroup-parent', flags.cgroupParent),
    ...one('--network', flags.network),
    ...each('--no-cache-filter', flags.noCacheFilters),
    ...each('--output', flags.outputs),
    ...(flags.pull ? ['--pull'] : []),
    ...one('--shm-size', flags.shmSize),
    ...each('--ssh', flags.ssh),
    ...each('--ulimit', flags.ulimit)
  ];
}

/** One `--secret` value: a value's file as written for the build, a file, or a variable of the runner. */
export function secretArg(secret: BuildSecret, valueFiles: Readonly<Record<string, string>>): string {
  if ('env' in secret) return `id=${secret.id},env=${secret.env}`;
  const file = 'file' in secret ? secret.file : valueFiles[secret.id];
  if (!file) throw new Error(`secret ${secret.id} was not written to a file`);
  return `id=${secret.id},src=${file}`;
}

export function imageBuildArgs(config: Config, build: ImageBuild): string[] {
  const args = ['buildx', 'build', '--builder', build.builder, '--progress', 'plain', '--file', build.file ?? config.file];
  args.push('--build-context', `${config.wheelhouseContext}=${build.contexts.wheelhouse}`);
  args.push('--build-context', `${baseContextName(config.wheelhouseContext)}=${build.contexts.base}`);
  for (const bc of config.buildContexts) args.push('--build-context', bc);
  if (config.target) args.push('--target', config.target);
  if (config.platforms.length > 0) args.push('--platform', config.platforms.join(','));
  for (const tag of config.tags) args.push('--tag', tag);
  for (const label of config.labels) args.push('--label', label);
  for (const arg of config.buildArgs) args.push('--build-arg', arg);
  for (const secret of config.secrets) args.push('--secret', secretArg(secret, build.secretFiles));
  args.push(...flagArgs(config.flags));
  if (config.noCache) args.push('--no-cache');
  args.push(...attestArgs(config.attestations, build.attestations ?? false));
  args.push(...cacheArgs(config, build.lastPush));
  args.push('--metadata-file', build.metadataFile);
  if (config.push) args.push('--push');
  if (config.load) args.push('--load');
  args.push(config.context);
  return args;
}

export interface BuildMetadata {
  digest: string | undefined;
  imageId: string | undefined;
  raw: string;
}

export function parseMetadata(raw: string): BuildMetadata {
  const data = (raw.trim() ? JSON.parse(raw) : {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  return { digest: str(data['containerimage.digest']), imageId: str(data['containerimage.config.digest']), raw };
}

export interface CacheImportProblem {
  ref: string;
  reason: string;
  /** The cache image does not exist yet (a first build): not a fault. */
  missing: boolean;
}

/** The `--cache-from` imports that BuildKit could not make, from buildx's plain progress. */
export function cacheImportProblems(log: string): CacheImportProblem[] {
  const lines = log.split('\n');
  const problems: CacheImportProblem[] = [];
  lines.forEach((line, i) => {
    const start = /^#(\d+) importing cache manifest from (\S+)$/.exec(line.trim());
    if (!start) return;
    const prefix = `#${start[1]} ERROR: failed to configure registry cache importer: `;
    const error = lines.slice(i + 1).find((l) => l.startsWith(prefix));
    if (!error) return;
    const reason = error.slice(prefix.length).trim();
    problems.push({ ref: start[2]!, reason, missing: /: not found$/.test(reason) });
  });
  return problems;
}
