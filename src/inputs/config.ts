// The one place inputs are read: every input is parsed and validated once into a readonly Config.
// Nothing else in the action calls getInput.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import {
  type KubernetesSpec,
  PLATFORM_NODESELECTOR,
  type PlatformNode,
  firstSetInput,
  kubernetesSpec,
  mergeOpts,
  optsFromInputs,
  platformNodes
} from './kubernetes.js';
import { DRIVERS, type Driver, type DriverOpt, parseDriverOpt } from './driver-opts.js';
import { commandOf } from '../dockerfile/start.js';
import { InputError, checkArgument } from './errors.js';
import { repositoryOf } from './image-ref.js';
import { parseList } from './lists.js';
import { type BuildSecret, gitAuthSecret, readSecrets } from './secrets.js';
import { type Attestations, hasExporterType, readAttestations, runFacts } from './attestations.js';

export const CACHE_BACKENDS = ['auto', 'actions', 'local', 'none'] as const;
export type CacheBackendKind = (typeof CACHE_BACKENDS)[number];

export interface KubernetesConfig extends KubernetesSpec {
  /** Kubeconfig content (a secret); undefined: what buildx finds (KUBECONFIG, ~/.kube/config, the pod's service account). */
  readonly kubeconfig: string | undefined;
  /** Remove the action's builders nobody keeps that nothing has used for this many minutes. */
  readonly staleMinutes: number | undefined;
  /** One node a platform, each pinned to nodes of its architecture; empty: one node builds every platform. */
  readonly nodes: readonly PlatformNode[];
}

export interface BuilderConfig {
  /** The builder's name; a named builder that exists is reused, otherwise one is created. */
  readonly name: string | undefined;
  readonly driver: Driver;
  /** `driver-opts` and, for the kubernetes driver, the options from their own inputs. */
  readonly driverOpts: readonly DriverOpt[];
  readonly buildkitdConfig: string | undefined;
  /** BuildKit configuration given inline (written to a file of the run's for buildx). */
  readonly buildkitdConfigInline: string | undefined;
  /** `--buildkitd-flags`, as setup-buildx-action passes them. */
  readonly buildkitdFlags: string | undefined;
  readonly keep: boolean;
  /** The buildx release to install for this job (`latest` or a version), and where from; undefined version: the runner's buildx. */
  readonly buildx: { readonly version: string | undefined; readonly downloadUrl: string };
  /** Set for the kubernetes driver only. */
  readonly kubernetes: KubernetesConfig | undefined;
}

export interface CacheConfig {
  readonly backend: CacheBackendKind;
  /** Where the local backend keeps entries. */
  readonly localDir: string;
  /** Deadline of each cache call. */
  readonly timeoutSeconds: number;
  readonly save: boolean;
  /** Restore the wheelhouse, pip's cache and the wheelhouse image's entry (false: build the wheelhouse afresh; saves go on). */
  readonly restore: boolean;
  readonly pipCache: boolean;
  /** Appended to the wheelhouse and pip-cache keys: a new suffix starts a new entry (ranges resolved again). */
  readonly suffix: string | undefined;
  /** Whose entries the local backend reads and writes (the Actions cache service scopes its own). */
  readonly scope: CacheScope;
}

/**
 * A run's cache scope, as the Actions cache service draws it: entries belong to a repository and a ref.
 * A run writes its own ref's scope only, and reads its own, then its pull request's base branch, then
 * the default branch.
 */
export interface CacheScope {
  /** owner/name; empty outside Actions. */
  readonly repository: string;
  /** The ref a run writes (GITHUB_REF); empty outside Actions. */
  readonly ref: string;
  /** The refs a run reads, in order: its own first. */
  readonly reads: readonly string[];
}

/** build-push-action's inputs that become `docker buildx build` flags as they are, validated. */
export interface BuildFlags {
  readonly addHosts: readonly string[];
  readonly allow: readonly string[];
  readonly annotations: readonly string[];
  readonly call: string | undefined;
  readonly cgroupParent: string | undefined;
  readonly network: string | undefined;
  readonly noCacheFilters: readonly string[];
  readonly outputs: readonly string[];
  readonly pull: boolean;
  readonly shmSize: string | undefined;
  readonly ssh: readonly string[];
  readonly ulimit: readonly string[];
}

export interface Config {
  readonly workspace: string;
  readonly context: string;
  readonly file: string;
  /**
   * Generate the Dockerfile (`file: generate`, or no `file` and no Dockerfile in the context), with the
   * start command (`command`, else found in the project) and the Python of `python-version`.
   */
  readonly generate: { readonly command: readonly string[] | undefined; readonly pythonVersion: string | undefined } | undefined;
  readonly tags: readonly string[];
  readonly labels: readonly string[];
  readonly buildArgs: readonly string[];
  readonly buildContexts: readonly string[];
  readonly target: string | undefined;
  readonly platforms: readonly string[];
  readonly push: boolean;
  readonly load: boolean;
  readonly secrets: readonly BuildSecret[];
  readonly noCache: boolean;
  /** `provenance`, `sbom` and `attests`, with build-push-action's default provenance. */
  readonly attestations: Attestations;
  readonly flags: BuildFlags;
  readonly cacheFrom: readonly string[] | undefined;
  readonly cacheTo: readonly string[] | undefined;
  /** Dependency files named explicitly (absolute); empty: discover them in the context. */
  readonly requirements: readonly string[];
  readonly wheelhouseContext: string;
  /**
   * The repository the wheelhouse is pushed to as an image, so that an exact hit names it instead of
   * restoring and sending it: the `wheelhouse-image` input, else the first tag's repository when the
   * build pushes; undefined when off (`wheelhouse-image: none`, or nothing is pushed).
   */
  readonly wheelhouseImage: string | undefined;
  /** Build from a rewritten copy of the Dockerfile with the advisor's safe fixes applied. */
  readonly optimizeDockerfile: boolean;
  /** Write the job summary (the `summary` input; `DOCKER_BUILD_SUMMARY=false` turns it off, as for build-push-action). */
  readonly summary: boolean;
  readonly wheelImage: string | undefined;
  readonly wheelPackages: readonly string[];
  readonly builder: BuilderConfig;
  readonly cache: CacheConfig;
}

export type GetInput = (name: string) => string;
export type { BuildSecret };

const TRUE = ['true', 'True', 'TRUE'];
const FALSE = ['false', 'False', 'FALSE'];

export function readConfig(getInput: GetInput, env: NodeJS.ProcessEnv = process.env): Config {
  const raw = (name: string): string => getInput(name).trim();
  const optional = (name: string): string | undefined => raw(name) || undefined;
  const bool = (name: string, fallback: boolean): boolean => {
    const value = raw(name);
    if (value === '') return fallback;
    if (TRUE.includes(value)) return true;
    if (FALSE.includes(value)) return false;
    throw new InputError(name, `expected true or false, got '${value}'`);
  };
  const list = (name: string, commas: boolean): string[] => parseList(getInput(name), { commas });
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = raw(name) || fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      throw new InputError(name, `expected one of ${allowed.join(', ')}, got '${value}'`);
    }
    return value as T;
  };

  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const inside = (name: string, value: string): string => {
    const resolved = path.resolve(workspace, value);
    const rel = path.relative(workspace, resolved);
    // `..` or `../…` leaves the workspace; a child named `..cache` does not
    if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
      throw new InputError(name, `'${value}' is outside the workspace ${workspace}`);
    }
    return resolved;
  };

  const context = inside('context', raw('context') || '.');
  const generating = raw('file') === 'generate';
  const file = inside('file', (!generating && raw('file')) || path.join(path.relative(workspace, context) || '.', 'Dockerfile'));
  let command: string[] | undefined;
  try {
    command = commandOf(raw('command'));
  } catch (error) {
    throw new InputError('command', `expected words or ${error instanceof Error ? error.message : String(error)}`);
  }
  const pythonVersion = optional('python-version');
  if (pythonVersion) checkArgument('python-version', pythonVersion, /^3\.\d{1,2}$/, 'a Python version such as 3.12');
  const generate = generating || (!raw('file') && !existsSync(file)) ? { command, pythonVersion } : undefined;

  const tags = list('tags', true);
  for (const tag of tags) checkArgument('tags', tag, /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/, 'an image reference');
  const buildArgs = list('build-args', false);
  for (const arg of buildArgs) checkArgument('build-args', arg, /^[A-Za-z_][A-Za-z0-9_]*=/, 'NAME=value');
  const labels = list('labels', false);
  for (const label of labels) checkArgument('labels', label, /^[^=\s-][^=\s]*=/, 'key=value');
  const buildContexts = list('build-contexts', false);
  for (const bc of buildContexts) checkArgument('build-contexts', bc, /^[A-Za-z0-9][A-Za-z0-9._-]*=\S/, 'name=source');
  const platforms = list('platforms', true);
  for (const p of platforms) checkArgument('platforms', p, /^[a-z0-9]+\/[a-z0-9_]+(\/[a-z0-9]+)?$/, 'os/arch[/variant]');
  const given = readSecrets(getInput, workspace);
  const gitAuth = gitAuthSecret(optional('github-token'), given, env.GITHUB_SERVER_URL);
  const secrets = gitAuth ? [...given, gitAuth] : given;

  const wheelhouseContext = raw('wheelhouse-context') || 'wheelhouse';
  checkArgument('wheelhouse-context', wheelhouseContext, /^[a-z0-9][a-z0-9._-]*$/, 'a build context name (lower case)');

  const wheelhouseImageInput = optional('wheelhouse-image');
  if (wheelhouseImageInput && wheelhouseImageInput !== 'none') {
    checkArgument('wheelhouse-image', wheelhouseImageInput, /^[a-z0-9][a-z0-9._\-/:]*$/, 'an image repository (no tag or digest)');
    if (repositoryOf(wheelhouseImageInput) !== wheelhouseImageInput) {
      throw new InputError('wheelhouse-image', `expected a repository without a tag, got '${wheelhouseImageInput}'`);
    }
  }

  const driver = oneOf('driver', DRIVERS, 'docker-container');
  const driverOpts = list('driver-opts', false).map((line) => {
    const opt = parseDriverOpt(driver, line);
    if (typeof opt === 'string') throw new InputError('driver-opts', opt);
    return opt;
  });
  const builderName = optional('builder');
  if (builderName) checkArgument('builder', builderName, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a builder name');
  const kubernetes = readKubernetes(getInput, bool, driver, builderName);
  const builderOpts = kubernetes ? mergeOpts(driverOpts, kubernetes.opts) : driverOpts;
  const buildkitdConfig = optional('buildkitd-config');
  // as setup-buildx-action takes it: any file of the runner's (a self-hosted runner's /etc/buildkit/…),
  // a relative path from the workspace
  const buildkitdConfigFile = buildkitdConfig ? path.resolve(workspace, buildkitdConfig.replace(/^~(?=$|\/)/, os.homedir())) : undefined;
  if (buildkitdConfigFile && !existsSync(buildkitdConfigFile)) {
    throw new InputError('buildkitd-config', `${buildkitdConfig} does not exist`);
  }
  const buildkitdConfigInline = getInput('buildkitd-config-inline').trim() || undefined;
  if (buildkitdConfigInline && buildkitdConfigFile) {
    throw new InputError('buildkitd-config-inline', 'set either buildkitd-config or buildkitd-config-inline, not both');
  }
  const buildkitdFlags = optional('buildkitd-flags');
  if (buildkitdFlags && /[\r\n\0]/.test(buildkitdFlags)) throw new InputError('buildkitd-flags', 'the flags are one line');

  const timeout = raw('cache-timeout') || '300';
  if (!/^[1-9][0-9]*$/.test(timeout)) throw new InputError('cache-timeout', `expected a whole number of seconds, got '${timeout}'`);

  const push = bool('push', false);
  const load = bool('load', false);
  const flags = readFlags(list, optional, bool);
  const attests = list('attests', false);
  for (const attest of attests) checkArgument('attests', attest, /^[a-z][a-z-]*=\S/, 'type=…[,key=value]');
  const sbom = optional('sbom');
  if (sbom) checkArgument('sbom', sbom, /^\S+$/, 'true, false or generator=…');
  const firstTag = tags[0];
  const wheelhouseImage =
    wheelhouseImageInput === 'none' ? undefined : (wheelhouseImageInput ?? (push && firstTag ? repositoryOf(firstTag) : undefined));
  const wheelImage = optional('wheel-image');
  if (wheelImage) checkArgument('wheel-image', wheelImage, /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/, 'an image reference');
  const suffix = optional('cache-suffix');
  if (suffix) checkArgument('cache-suffix', suffix, /^[A-Za-z0-9._-]{1,64}$/, 'up to 64 letters, digits, dots, dashes or underscores');
  // apt's own way, `libpq-dev gcc python3-dev`, as well as one a line or comma-separated
  const wheelPackages = list('wheel-packages', true)
    .flatMap((item) => item.split(/\s+/))
    .filter(Boolean);
  for (const p of wheelPackages) checkArgument('wheel-packages', p, /^[a-z0-9][a-z0-9+.:=~-]*$/, 'a Debian package name');

  if (platforms.length > 1) {
    // each platform's wheels reach its own install step through an index of images: one per platform
    if (!wheelhouseImage) {
      throw new InputError(
        'platforms',
        'several platforms in one step need the wheelhouse pushed as an image (an index with a wheelhouse a platform): set push: true with a tag, or wheelhouse-image'
      );
    }
    if (bool('optimize-dockerfile', false))
      throw new InputError('optimize-dockerfile', 'the rewrite is made for one platform: build one platform a step');
  }

  return {
    workspace,
    context,
    file,
    generate,
    tags,
    labels,
    buildArgs,
    buildContexts,
    target: optional('target'),
    platforms,
    push,
    load,
    secrets,
    noCache: bool('no-cache', false),
    attestations: readAttestations(
      {
        provenance: optional('provenance'),
        sbom,
        attests,
        dockerExport: load || hasExporterType('docker', flags.outputs)
      },
      runFacts(env, eventPayload(env))
    ),
    flags,
    cacheFrom: raw('cache-from') ? list('cache-from', false) : undefined,
    cacheTo: raw('cache-to') ? list('cache-to', false) : undefined,
    requirements: list('requirements', true).map((f) => inside('requirements', path.resolve(context, f))),
    wheelhouseContext,
    wheelhouseImage,
    optimizeDockerfile: bool('optimize-dockerfile', false),
    summary: bool('summary', summaryByDefault(env)),
    wheelImage,
    wheelPackages,
    builder: {
      name: builderName,
      driver,
      driverOpts: builderOpts,
      buildkitdConfig: buildkitdConfigFile,
      buildkitdConfigInline,
      buildkitdFlags,
      keep: bool('keep-builder', false),
      buildx: readBuildxInstall(optional),
      kubernetes: kubernetes && {
        ...kubernetes.config,
        ...kubernetesSpec(builderOpts),
        nodes: kubernetes.perPlatform
          ? platformNodes(platforms, kubernetes.perPlatform, builderOpts.find((o) => o.key === 'nodeselector')?.value)
          : []
      }
    },
    cache: {
      backend: oneOf('cache-backend', CACHE_BACKENDS, 'auto'),
      localDir: path.resolve((raw('local-cache-dir') || '~/.cache/wheelhouse-buildx/store').replace(/^~(?=$|\/)/, os.homedir())),
      timeoutSeconds: Number(timeout),
      save: bool('save-cache', savesByDefault(env)),
      restore: bool('restore-cache', true),
      pipCache: bool('pip-cache', true),
      suffix,
      scope: cacheScope(env)
    }
  };
}

/** `buildx-version` and `buildx-download-url`: a release and where GitHub's release layout is served. */
function readBuildxInstall(optional: (name: string) => string | undefined): BuilderConfig['buildx'] {
  const version = optional('buildx-version');
  if (version && version !== 'latest') {
    checkArgument('buildx-version', version, /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/, 'latest or a buildx release such as v0.38.2');
  }
  const downloadUrl = optional('buildx-download-url') ?? 'https://github.com/docker/buildx/releases';
  checkArgument('buildx-download-url', downloadUrl, /^https?:\/\/[^\s]+$/, 'an http(s) URL');
  return { version, downloadUrl };
}

/** The kubernetes driver's own inputs; any of them with another driver is a mistake worth saying. */
function readKubernetes(
  getInput: GetInput,
  bool: (name: string, fallback: boolean) => boolean,
  driver: Driver,
  builderName: string | undefined
): { opts: DriverOpt[]; config: Omit<KubernetesConfig, keyof KubernetesSpec | 'nodes'>; perPlatform: string | undefined } | undefined {
  const raw = (name: string): string => getInput(name).trim();
  const lines = (name: string): string[] => parseList(getInput(name), { commas: false });
  const inputs = {
    namespace: raw('kubernetes-namespace'),
    replicas: raw('kubernetes-replicas'),
    requests: parseList(getInput('kubernetes-requests'), { commas: true }),
    limits: parseList(getInput('kubernetes-limits'), { commas: true }),
    nodeSelector: parseList(getInput('kubernetes-nodeselector'), { commas: true }),
    tolerations: lines('kubernetes-tolerations'),
    serviceAccount: raw('kubernetes-serviceaccount'),
    rootless: raw('kubernetes-rootless'),
    loadbalance: raw('kubernetes-loadbalance'),
    bootstrapTimeout: raw('bootstrap-timeout')
  };
  const kubeconfig = getInput('kubeconfig').trim();
  const stale = raw('stale-builder-minutes');
  const perPlatform = bool('kubernetes-node-per-platform', false);
  const template = raw('kubernetes-platform-nodeselector');
  if (template && !perPlatform && driver === 'kubernetes') {
    throw new InputError('kubernetes-platform-nodeselector', 'only applies with kubernetes-node-per-platform: true');
  }
  if (driver !== 'kubernetes') {
    const set =
      firstSetInput(inputs) ??
      (
        [
          ['kubeconfig', kubeconfig !== ''],
          ['stale-builder-minutes', stale !== ''],
          ['kubernetes-node-per-platform', perPlatform],
          ['kubernetes-platform-nodeselector', template !== '']
        ] as const
      ).find(([, set]) => set)?.[0];
    if (set) throw new InputError(set, `only applies to driver: kubernetes (the driver is ${driver})`);
    return undefined;
  }
  if (builderName) {
    // the builder's Deployment is named after it, and its pods are labelled app=<name>
    checkArgument(
      'builder',
      builderName,
      /^[a-z0-9]([-a-z0-9_.]{0,61}[a-z0-9])?$/,
      'a builder name for the kubernetes driver (lower case, at most 63 characters)'
    );
  }
  if (stale && !/^[1-9][0-9]*$/.test(stale)) {
    throw new InputError('stale-builder-minutes', `expected a whole number of minutes, got '${stale}'`);
  }
  if (perPlatform && builderName && builderName.length > 63 - '-arm64-v8'.length) {
    throw new InputError(
      'builder',
      `'${builderName}' leaves no room for each platform's node name (at most 54 characters with kubernetes-node-per-platform)`
    );
  }
  return {
    opts: optsFromInputs(inputs),
    config: { kubeconfig: kubeconfig || undefined, staleMinutes: stale ? Number(stale) : undefined },
    perPlatform: perPlatform ? template || PLATFORM_NODESELECTOR : undefined
  };
}

/**
 * build-push-action's pass-through inputs, with its list syntax (commas split `add-hosts`, `allow`,
 * `no-cache-filters` and `ssh`; the others take one item a line) and each value checked for its shape.
 */
function readFlags(
  list: (name: string, commas: boolean) => string[],
  optional: (name: string) => string | undefined,
  bool: (name: string, fallback: boolean) => boolean
): BuildFlags {
  const checked = (name: string, commas: boolean, shape: RegExp, expected: string): string[] => {
    const items = list(name, commas);
    for (const item of items) checkArgument(name, item, shape, expected);
    return items;
  };
  const one = (name: string, shape: RegExp, expected: string): string | undefined => {
    const value = optional(name);
    if (value !== undefined) checkArgument(name, value, shape, expected);
    return value;
  };
  return {
    addHosts: checked('add-hosts', true, /^[A-Za-z0-9][A-Za-z0-9.-]*[:=]\S+$/, 'host:ip'),
    allow: checked('allow', true, /^[a-z][a-z.]*(=\S+)?$/, 'an entitlement (network.host, security.insecure)'),
    annotations: checked('annotations', false, /^[^=\s]+=/, 'key=value (with an optional type: prefix)'),
    call: one('call', /^[a-z][a-z0-9,=._-]*$/, 'a build method (check, outline, targets…)'),
    cgroupParent: one('cgroup-parent', /^\S+$/, 'a cgroup path'),
    network: one('network', /^[a-z0-9][a-z0-9_.:-]*$/, 'a network mode (default, host, none)'),
    noCacheFilters: checked('no-cache-filters', true, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a stage name'),
    outputs: checked('outputs', false, /^\S+$/, 'an output (type=…,key=value or a path)'),
    pull: bool('pull', false),
    shmSize: one('shm-size', /^[0-9]+[bkmgBKMG]?$/, 'a size (128m)'),
    ssh: checked('ssh', true, /^[A-Za-z0-9_.-]+(=\S+)?$/, 'default or id=socket-or-key'),
    ulimit: checked('ulimit', false, /^[a-z]+=-?[0-9]+(:-?[0-9]+)?$/, 'type=soft[:hard]')
  };
}

/** The event's payload (GITHUB_EVENT_PATH); undefined outside Actions or when it cannot be read. */
export function eventPayload(
  env: NodeJS.ProcessEnv,
  readEvent: (file: string) => string = (file) => readFileSync(file, 'utf8')
): { repository?: { default_branch?: unknown; private?: unknown } } | undefined {
  if (!env.GITHUB_EVENT_PATH) return undefined;
  try {
    const event: unknown = JSON.parse(readEvent(env.GITHUB_EVENT_PATH));
    return typeof event === 'object' && event !== null ? event : undefined;
  } catch {
    return undefined;
  }
}

/** The run's cache scope, from the runner's variables and the event's payload (its repository's default branch). */
export function cacheScope(env: NodeJS.ProcessEnv, readEvent?: (file: string) => string): CacheScope {
  const ref = env.GITHUB_REF?.trim() ?? '';
  const branch = (name: string | undefined): string[] => (name ? [`refs/heads/${name}`] : []);
  // no payload (a run outside Actions): the default branch is not known, and is not read
  const name = eventPayload(env, readEvent)?.repository?.default_branch;
  const defaultBranch = typeof name === 'string' && name.trim() ? name.trim() : undefined;
  const reads = [ref, ...branch(env.GITHUB_BASE_REF?.trim()), ...branch(defaultBranch)];
  return { repository: env.GITHUB_REPOSITORY?.trim() ?? '', ref, reads: reads.filter((r, i) => reads.indexOf(r) === i) };
}

/**
 * Whether post saves when `save-cache` is not set: not for events whose runs may carry untrusted code
 * into a trusted scope (pull_request_target, workflow_run: both run in the default branch's scope) or that build releases and tags (their wheelhouse would
 * only crowd the cache); set `save-cache: true` to save there too.
 */
export function savesByDefault(env: NodeJS.ProcessEnv): boolean {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (event === 'pull_request_target' || event === 'release' || event === 'workflow_run') return false;
  return !(env.GITHUB_REF ?? '').startsWith('refs/tags/');
}

/** The summary is written unless the environment turns build summaries off as build-push-action reads it. */
export const summaryByDefault = (env: NodeJS.ProcessEnv): boolean => env.DOCKER_BUILD_SUMMARY?.trim().toLowerCase() !== 'false';
