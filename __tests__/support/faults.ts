// The fault and bad-input cases: each runs the bundled action on a small app against the real test bed,
// with one fault injected (in the cache service stand-in, the registry, the builder or the inputs), and
// tells what came of it. A case passes when the outcome is the promised one and nothing was lost: an
// image that was built runs and imports its packages.
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, promises as fs, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server as HttpServer, createServer as createHttpServer } from 'node:http';
import { type Server, type Socket, createServer } from 'node:net';
import path from 'node:path';
import { localEntryDir } from '../../src/cache/local.js';
import { type CacheScope, cacheScope } from '../../src/inputs/config.js';
import { wheelhouseImageKeys } from '../../src/keys/key.js';
import { CacheService, type Entry as CacheEntry, type Fault } from './cache-service/server.js';
import type { ActionRun } from './runner.js';
import { runOnFreshRunner, testbedInputs, uniqueTag } from './scenario.js';
import { repoRoot, testbed } from './testbed.js';

export type Outcome = 'image built' | 'clear error';

export interface FaultCase {
  name: string;
  fault: string;
  expect: Outcome;
  /** A warning (image built) or the error (clear error) must match. */
  says?: RegExp;
  /** Inputs over the test bed's; a function gets the run's tag and its context. */
  inputs?: Record<string, string> | ((tag: string, ctx: Context) => Record<string, string>);
  /** Faults injected into the cache service before the run. */
  inject?: Fault[];
  /** Variables for the run (e.g. a broken service URL). */
  env?: (service: CacheService, ctx: Context) => Record<string, string>;
  /** A further check of the run; returns what is wrong, if anything. */
  check?: (run: ActionRun, ctx: Context) => string | undefined;
  /** Run against an empty cache service (so that the run has something to save); by default the
   * service starts with the entries of one good run of the small app. */
  freshCache?: boolean;
  /** Runs before the action (e.g. spoiling the saved entry). */
  before?: (ctx: Context) => Promise<void>;
  /** Runs after the action, whatever came of it (e.g. stopping a server the case started). */
  after?: (ctx: Context) => Promise<void>;
}

export interface CaseResult {
  name: string;
  fault: string;
  outcome: Outcome | 'failed otherwise';
  warned: boolean;
  lost: boolean;
  passed: boolean;
  detail: string;
}

/** What one case runs in: its own folder, workspace and cache service, so that cases run side by side. */
export interface Context {
  root: string;
  service: CacheService;
  workspace: string;
}

const IMPORT_CHECK = ['python3', '-c', "import six, idna; print('ok')"];
const SECRET = 's3cr3t-wheelhouse-value-4711';

/** A step's log without the runner's own mask commands (the runner consumes them; they are how a value is hidden). */
const withoutMasks = (stdout: string): string =>
  stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

/** Where a secret could leak: the logs (but the runner's own mask commands), the summaries, the outputs. */
export function leaks(run: ActionRun, secret: string): string | undefined {
  const places: [string, string][] = [
    ['main log', withoutMasks(run.main.stdout) + run.main.stderr],
    ['post log', withoutMasks(run.post.stdout) + run.post.stderr],
    ['summary', run.main.summary + run.post.summary],
    ['outputs', JSON.stringify(run.main.outputs)],
    ['state', JSON.stringify(run.main.state)]
  ];
  const found = places.filter(([, text]) => text.includes(secret)).map(([where]) => where);
  return found.length > 0 ? `the secret appears in: ${found.join(', ')}` : undefined;
}

export async function faultWorkspace(dir: string): Promise<string> {
  await fs.rm(dir, { recursive: true, force: true });
  await fs.cp(path.join(repoRoot, '__fixtures__/fault-app'), dir, { recursive: true });
  await fs.copyFile(testbed.buildkitdConfig, path.join(dir, 'buildkitd.toml'));
  return dir;
}

// Asynchronous: cases run side by side, and each one's cache service answers on this process's event loop.
const execFileAsync = promisify(execFile);

async function builders(): Promise<string[]> {
  return (await execFileAsync('docker', ['buildx', 'ls', '--format', '{{.Name}}'], { encoding: 'utf8' })).stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('wheelhouse-'));
}

async function imageWorks(ref: string): Promise<boolean> {
  try {
    await execFileAsync('docker', ['pull', '-q', ref]);
    const out = await execFileAsync('docker', ['run', '--rm', '--network', 'none', ref, ...IMPORT_CHECK], { encoding: 'utf8' });
    return out.stdout.trim() === 'ok';
  } catch {
    return false;
  } finally {
    await execFileAsync('docker', ['rmi', '-f', ref]).catch(() => undefined);
  }
}

/** The builder a run created, as its log names it. */
const builderOf = (run: ActionRun): string | undefined => /builder: creating (wheelhouse-[0-9a-f]+)/.exec(run.main.stdout)?.[1];

/** A store holding the entries of one good run of the small app: what a case finds saved before it. */
export async function seededStore(root: string): Promise<string> {
  const store = path.join(root, 'seeded-store');
  const service = await CacheService.start(store);
  try {
    // laid out as every case is (cache archives name their members relative to the workspace)
    const workspace = await faultWorkspace(path.join(root, 'seed', 'app'));
    const run = await runOnFreshRunner(path.join(root, 'seed'), workspace, testbedInputs(uniqueTag('fault-seed')), service);
    if (run.main.exitCode !== 0 || !service.entries().some((e) => e.key.startsWith('wheelhouse-v1-') && e.finalized)) {
      throw new Error(`the seed run saved no wheelhouse: ${run.main.stderr.slice(-500)}`);
    }
  } finally {
    await service.stop();
  }
  return store;
}

/** Runs every case, `concurrency` at a time, each in its own folder and cache service; results in case order. */
export async function runCases(
  cases: readonly FaultCase[],
  root: string,
  concurrency: number,
  onResult: (result: CaseResult) => void = () => undefined
): Promise<CaseResult[]> {
  const seeded = await seededStore(root);
  const results: CaseResult[] = new Array(cases.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < cases.length; i = next++) {
      const c = cases[i]!;
      results[i] = await runCase(c, path.join(root, `case-${i}`), c.freshCache ? undefined : seeded);
      onResult(results[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, cases.length) }, worker));
  return results;
}

/** One case in `root`, against a cache service that starts from a copy of `store` (or empty). */
export async function runCase(c: FaultCase, root: string, store: string | undefined): Promise<CaseResult> {
  await fs.mkdir(root, { recursive: true });
  const own = path.join(root, 'cache-store');
  if (store) await fs.cp(store, own, { recursive: true });
  const service = await CacheService.start(own);
  try {
    return await runIn(c, { root, service, workspace: await faultWorkspace(path.join(root, 'app')) });
  } catch (error) {
    return { name: c.name, fault: c.fault, outcome: 'failed otherwise', warned: false, lost: false, passed: false, detail: String(error) };
  } finally {
    await service.stop();
  }
}

async function runIn(c: FaultCase, ctx: Context): Promise<CaseResult> {
  try {
    return await runCheckedIn(c, ctx);
  } finally {
    await c.after?.(ctx);
  }
}

async function runCheckedIn(c: FaultCase, ctx: Context): Promise<CaseResult> {
  if (c.before) await c.before(ctx);
  for (const f of c.inject ?? []) ctx.service.inject(f);
  const tag = uniqueTag('fault');
  const inputs = typeof c.inputs === 'function' ? c.inputs(tag, ctx) : c.inputs;
  const run = await runOnFreshRunner(
    ctx.root,
    ctx.workspace,
    { ...testbedInputs(tag), ...inputs },
    ctx.service,
    c.env?.(ctx.service, ctx) ?? {}
  );
  ctx.service.clearFaults();
  const created = builderOf(run);
  const leftBehind = created && (await builders()).includes(created) ? [created] : [];
  const digest = run.main.outputs.digest;
  const built = run.main.exitCode === 0 && Boolean(digest);
  const clearError = run.main.exitCode !== 0 && run.main.errors.length === 1;
  const outcome: CaseResult['outcome'] = built ? 'image built' : clearError ? 'clear error' : 'failed otherwise';
  const warned = run.main.warnings.length + run.post.warnings.length > 0;
  const said = [...run.main.warnings, ...run.post.warnings, ...run.main.errors].join('\n');
  const lost = built ? !(await imageWorks(`${tag.replace(/:latest$/, '')}@${digest}`)) : false;
  const problems: string[] = [];
  if (outcome !== c.expect) problems.push(`expected ${c.expect}, got ${outcome}: ${said || run.main.stderr.slice(-300)}`);
  if (c.says && !c.says.test(said)) problems.push(`nothing said matches ${c.says}: ${said}`);
  if (run.post.exitCode !== 0) problems.push(`post failed with ${run.post.exitCode}`);
  // a failed run leaves a summary naming where it failed
  if (outcome === 'clear error' && !/<h3>wheelhouse-buildx: failed in [^<]+<\/h3>/.test(run.main.summary)) {
    problems.push(`no summary of the failure: ${run.main.summary.slice(0, 200) || 'none written'}`);
  }
  if (leftBehind.length > 0) problems.push(`builders left behind: ${leftBehind.join(', ')}`);
  if (lost) problems.push('the image that was built does not run');
  const extra = c.check?.(run, ctx);
  if (extra) problems.push(extra);
  return {
    name: c.name,
    fault: c.fault,
    outcome,
    warned,
    lost,
    passed: problems.length === 0,
    detail: problems.join('; ') || said.split('\n')[0] || ''
  };
}

// A short deadline bounds the client's own retries (and proves the deadline).
const TIMEOUT = { 'cache-timeout': '8' };

export const CASES: FaultCase[] = [
  {
    name: 'restore: 5xx',
    fault: 'GetCacheEntryDownloadURL answers 503',
    expect: 'image built',
    says: /restor/i,
    inputs: TIMEOUT,
    inject: [{ endpoint: 'GetCacheEntryDownloadURL', kind: 'status', status: 503 }]
  },
  {
    name: 'restore: 429',
    fault: 'GetCacheEntryDownloadURL answers 429',
    expect: 'image built',
    says: /restor|429|Too Many/i,
    inputs: TIMEOUT,
    inject: [{ endpoint: 'GetCacheEntryDownloadURL', kind: 'status', status: 429 }]
  },
  {
    name: 'restore: not JSON',
    fault: 'GetCacheEntryDownloadURL answers HTML',
    expect: 'image built',
    says: /restor|JSON/i,
    inputs: TIMEOUT,
    inject: [{ endpoint: 'GetCacheEntryDownloadURL', kind: 'non-json' }]
  },
  {
    name: 'restore: hang',
    fault: 'GetCacheEntryDownloadURL never answers',
    expect: 'image built',
    says: /took longer than 8s/,
    inputs: TIMEOUT,
    inject: [{ endpoint: 'GetCacheEntryDownloadURL', kind: 'hang' }]
  },
  {
    name: 'restore: connection refused',
    fault: 'the service URL points at a closed port',
    expect: 'image built',
    says: /restor|ECONNREFUSED|connect/i,
    inputs: TIMEOUT,
    env: () => ({ ACTIONS_RESULTS_URL: 'http://127.0.0.1:9/' })
  },
  {
    name: 'restore: truncated download',
    fault: 'the archive download stops half-way',
    expect: 'image built',
    says: /restor|download/i,
    inject: [{ endpoint: 'download', kind: 'truncate' }]
  },
  {
    name: 'restore: corrupted archive',
    fault: 'the archive is altered in transit (same length)',
    expect: 'image built',
    says: /restor|discarded|tar|zstd|decompress/i,
    inject: [{ endpoint: 'download', kind: 'corrupt' }]
  },
  {
    name: 'save: 5xx',
    fault: 'CreateCacheEntry answers 500',
    expect: 'image built',
    says: /sav/i,
    freshCache: true,
    inputs: TIMEOUT,
    inject: [{ endpoint: 'CreateCacheEntry', kind: 'status', status: 500 }]
  },
  {
    name: 'save: upload refused',
    fault: 'the blob upload answers 503',
    expect: 'image built',
    says: /sav/i,
    freshCache: true,
    inputs: TIMEOUT,
    inject: [{ endpoint: 'upload', kind: 'status', status: 503 }]
  },
  {
    name: 'save: read-only token',
    fault: 'the token has no writable scope',
    expect: 'image built',
    says: /write denied/i,
    freshCache: true,
    env: (service) => ({ ACTIONS_RUNTIME_TOKEN: service.token([{ Scope: 'refs/heads/main', Permission: 1 }]) })
  },
  {
    name: 'input: unknown driver',
    fault: "driver: 'dockr-container'",
    expect: 'clear error',
    says: /input 'driver': expected one of docker-container, kubernetes/,
    inputs: { driver: 'dockr-container' }
  },
  {
    name: 'input: malformed driver option',
    fault: "driver-opts: 'networkhost'",
    expect: 'clear error',
    says: /input 'driver-opts': 'networkhost' is not key=value/,
    inputs: { 'driver-opts': 'networkhost' }
  },
  {
    name: 'input: tag starting with -',
    fault: "tags: '--push=false'",
    expect: 'clear error',
    says: /input 'tags': '--push=false' starts with '-'/,
    inputs: { tags: '--push=false' }
  },
  {
    name: 'input: context outside the workspace',
    fault: "context: '../elsewhere'",
    expect: 'clear error',
    says: /input 'context': '\.\.\/elsewhere' is outside the workspace/,
    inputs: { context: '../elsewhere' }
  },
  {
    name: 'wheel fails to build',
    fault: 'a requirement that does not exist',
    expect: 'clear error',
    // uv resolves the set on the runner and names the requirement (pip would say the same in the wheel build)
    says: /no versions satisfy the requirements for linux\/amd64, cp311, glibc2\.\d+: .*no-such-package-wheelhouse==0\.0\.1/,
    before: async (ctx) => {
      await fs.appendFile(path.join(ctx.workspace, 'requirements.txt'), 'no-such-package-wheelhouse==0.0.1\n');
    }
  },
  {
    name: 'resolve: a range no version satisfies',
    fault: 'requirements.txt asks for idna>=99',
    expect: 'clear error',
    says: /^no versions satisfy the requirements for linux\/amd64, cp311, glibc2\.\d+: .*idna>=99/,
    before: async (ctx) => {
      await fs.writeFile(path.join(ctx.workspace, 'requirements.txt'), 'six>=1.16\nidna>=99\n');
    }
  },
  {
    name: 'resolve: uv cannot be downloaded',
    fault: "a set with ranges, and the runner's HTTPS proxy is a closed port",
    expect: 'image built',
    says: /resolve: uv [\d.]+: downloading uv-.* failed: .*; pip resolves the set in the wheel build/,
    inputs: { 'cache-timeout': '15' },
    env: () => ({ https_proxy: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' }),
    before: async (ctx) => {
      await fs.writeFile(path.join(ctx.workspace, 'requirements.txt'), 'six>=1.16\nidna>=3.7\n');
    }
  },
  {
    name: 'builder fails to bootstrap',
    fault: 'the BuildKit image does not exist',
    expect: 'clear error',
    says: /builder .* could not start/,
    inputs: { 'driver-opts': `image=${testbed.registry}/testbed/no-such-buildkit:none\nnetwork=host` }
  },
  {
    name: 'registry unreachable for push',
    fault: 'the tag names a registry on a closed port',
    expect: 'clear error',
    says: /the image build failed/,
    inputs: { tags: '127.0.0.1:9/fault/app:latest' },
    // the summary of the failed run names the build phase and holds buildx's own last lines
    check: (run) =>
      run.main.summary.includes('failed in the build phase') && run.main.summary.includes('127.0.0.1:9')
        ? undefined
        : `the summary does not explain the failed push: ${run.main.summary.slice(0, 400)}`
  },
  {
    name: 'a build secret stays secret',
    fault: 'secrets: a quoted two-line API_TOKEN, secret-files: NETRC, secret-envs: GH_TOKEN, each used by a RUN step',
    expect: 'image built',
    inputs: { secrets: `"API_TOKEN=${SECRET}\nline-two-${SECRET}"`, 'secret-files': 'NETRC=netrc', 'secret-envs': 'GH=GH_TOKEN' },
    env: () => ({ GH_TOKEN: `env-${SECRET}` }),
    before: async (ctx) => {
      await fs.writeFile(path.join(ctx.workspace, 'netrc'), 'machine example login x\n');
      const dockerfile = path.join(ctx.workspace, 'Dockerfile');
      const text = await fs.readFile(dockerfile, 'utf8');
      const use =
        'RUN --mount=type=secret,id=API_TOKEN --mount=type=secret,id=NETRC --mount=type=secret,id=GH ' +
        'test "$(wc -l < /run/secrets/API_TOKEN)" = 1 && grep -q machine /run/secrets/NETRC && grep -q ^env- /run/secrets/GH';
      await fs.writeFile(dockerfile, text.replace('COPY . .', `${use}\nCOPY . .`));
    },
    check: (run) =>
      run.main.stdout.includes(`::add-mask::line-two-${SECRET}`)
        ? leaks(run, SECRET)
        : 'the second line of the secret was not masked on its own'
  },
  {
    name: 'input: a bad secrets line',
    fault: 'secrets: a line with no id, holding a secret value',
    expect: 'clear error',
    says: /input 'secrets': item 1 is not id=value \(its value is not shown\)/,
    inputs: { secrets: `:${SECRET}` },
    check: (run) => leaks(run, SECRET)
  },
  {
    name: 'registry unreachable for cache-from',
    fault: 'cache-from names a registry on a closed port',
    expect: 'image built',
    says: /cache-from 127\.0\.0\.1:9\/fault\/cache:latest could not be read; built without it/,
    inputs: { 'cache-from': 'type=registry,ref=127.0.0.1:9/fault/cache:latest' }
  }
];

/**
 * Unpacks the saved wheelhouse entry (its members are named relative to the workspace, `../…`), lets
 * `spoil` change the folder (and name further members, relative to `base`, to pack too), and packs it
 * back under the same key.
 */
/** Extracts the seeded wheelhouse entry's archive under `base` (as laid out in the archive); returns the entry and its folder. */
async function extractSeededWheelhouse(
  ctx: Context,
  work: string,
  base: string
): Promise<{ entry: CacheEntry; top: string; archive: string }> {
  const entry = ctx.service.entries().find((e) => e.key.startsWith('wheelhouse-v1-') && e.finalized);
  if (!entry) throw new Error('no seeded wheelhouse entry');
  await fs.mkdir(base, { recursive: true });
  const archive = path.join(work, 'entry.tar.zst');
  await fs.writeFile(archive, await ctx.service.blob(entry.id));
  const names = execFileSync('tar', ['--zstd', '-tf', archive], { encoding: 'utf8' }).split('\n').filter(Boolean);
  const top = names.find((n) => /wheelhouse\/?$/.test(n));
  if (!top) throw new Error(`no wheelhouse folder in ${names.slice(0, 3).join(', ')}`);
  execFileSync('tar', ['--zstd', '-P', '-xf', archive, '-C', base]);
  return { entry, top, archive };
}

/** Spoils the saved wheelhouse in place; `spoil` may name extra paths (relative to `base`) to archive with it. */
async function spoilWheelhouse(ctx: Context, spoil: (dir: string, base: string) => Promise<unknown>): Promise<void> {
  const work = await fs.mkdtemp(path.join(ctx.root, 'spoil-'));
  const base = path.join(work, ...'abcdefghijkl'.split(''));
  const { entry, top, archive } = await extractSeededWheelhouse(ctx, work, base);
  const named = await spoil(path.resolve(base, top), base);
  const extra = Array.isArray(named) ? named.map(String) : [];
  await fs.rm(archive);
  execFileSync('tar', ['--zstd', '-P', '-cf', archive, '-C', base, top, ...extra]);
  await ctx.service.replaceBlob(entry.id, await fs.readFile(archive));
  await fs.rm(work, { recursive: true, force: true });
}

/** The fault app as a Poetry project: its requirements.txt replaced by a pyproject.toml and a poetry.lock. */
async function asPoetryProject(ctx: Context, pyproject: string, lock: string): Promise<void> {
  await fs.rm(path.join(ctx.workspace, 'requirements.txt'));
  await fs.writeFile(path.join(ctx.workspace, 'pyproject.toml'), pyproject);
  await fs.writeFile(path.join(ctx.workspace, 'poetry.lock'), lock);
}

/** A poetry.lock package entry (`groups` for Poetry 2 locks, none for 1.5–1.8), with extra TOML (a source) and its files' hashes. */
const poetryEntry = (name: string, version: string, more = '', hashes: readonly string[] = []): string =>
  `[[package]]\nname = "${name}"\nversion = "${version}"\ndescription = ""\noptional = false\npython-versions = ">=3.9"\n` +
  `files = [${hashes.map((h, i) => `{file = "${name}-${version}-${i}", hash = "sha256:${h}"}`).join(', ')}]\n${more}\n`;

/** The SHA-256 of what PyPI serves for the small app's pins (wheel, then sdist), and of one more pin. */
const PYPI_HASHES = {
  six: [
    '4721f391ed90541fddacab5acf947aa0d3dc7d27b2e1e8eda2be8970586c3274',
    'ff70335d468e7eb6ec65b95b99d3a2836546063f63acc5171de367e834932a81'
  ],
  idna: [
    '946d195a0d259cbba61165e88e65941f16e9b36ea6ddb97f00452bae8b1287d3',
    '12f65c9b470abda6dc35cf8e63cc574b1c52b11df2c86030af0ac09b01b13ea9'
  ],
  iniconfig: [
    'b6a85871a79d2e3b22d2d1b94ac2824226a63c6b741c88f7ae975f18b6778374',
    '2d91e135bf72d31a410b17c16da610a82cb55f6b0477d1a902134b24a455b8b3'
  ]
};
const hashed = (pin: string, hashes: readonly string[]): string => `${pin} ${hashes.map((h) => `--hash=sha256:${h}`).join(' ')}\n`;

/** The `[metadata]` table of a Poetry 2 lock file (its content hash is not checked by the action). */
const POETRY_2_METADATA = '[metadata]\nlock-version = "2.1"\npython-versions = ">=3.9"\ncontent-hash = "0"\n';

/** The small app's Dockerfile with `steps` between its base and the copy of the code. */
async function writeAppDockerfile(ctx: Context, steps: readonly string[]): Promise<void> {
  const lines = ['ARG PYTHON_IMAGE=python:3.11-slim', 'FROM ${PYTHON_IMAGE}', 'WORKDIR /app', ...steps, 'COPY . .', ''];
  await fs.writeFile(path.join(ctx.workspace, 'Dockerfile'), lines.join('\n'));
}

/** The run's scope in the local-backend cases: the default branch of acme/app. */
const LOCAL_RUN: CacheScope = { repository: 'acme/app', ref: 'refs/heads/main', reads: ['refs/heads/main'] };
const localStore = (ctx: Context): string => path.join(ctx.root, 'local-store');

/** The seeded wheelhouse, as a local entry of `scope` under its own key, changed by `spoil`. */
async function localWheelhouse(ctx: Context, scope: CacheScope, spoil: (dir: string) => Promise<void>): Promise<string> {
  const work = await fs.mkdtemp(path.join(ctx.root, 'local-'));
  const { entry, top } = await extractSeededWheelhouse(ctx, work, path.join(work, 'x'));
  const dir = path.resolve(work, 'x', top);
  await spoil(dir);
  const target = localEntryDir(localStore(ctx), scope, 'wheelhouse', entry.key);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.cp(dir, target, { recursive: true, verbatimSymlinks: true });
  await fs.rm(work, { recursive: true, force: true });
  return entry.key;
}

/** A run of the local-backend cases: acme/app's main, with an event payload naming main the default branch. */
function localRunEnv(ctx: Context): Record<string, string> {
  const event = path.join(ctx.root, 'event.json');
  writeFileSync(event, JSON.stringify({ repository: { default_branch: 'main' } }));
  return { GITHUB_REPOSITORY: LOCAL_RUN.repository, GITHUB_REF: LOCAL_RUN.ref, GITHUB_EVENT_PATH: event, GITHUB_EVENT_NAME: 'push' };
}

async function firstWheel(dir: string): Promise<string> {
  const wheel = (await fs.readdir(dir)).filter((f) => f.endsWith('.whl')).sort()[0];
  if (!wheel) throw new Error(`no wheel in ${dir}`);
  return path.join(dir, wheel);
}

/** Servers that accept connections and never answer, by the case folder that started them. */
const silentServers = new Map<string, { server: Server; sockets: Set<Socket> }>();

async function startSilentServer(ctx: Context): Promise<void> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => sockets.add(socket.on('close', () => sockets.delete(socket))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  silentServers.set(ctx.root, { server, sockets });
}

function silentPort(ctx: Context): number {
  const address = silentServers.get(ctx.root)?.server.address();
  if (!address || typeof address === 'string') throw new Error('the silent server is not listening');
  return address.port;
}

async function stopSilentServer(ctx: Context): Promise<void> {
  const silent = silentServers.get(ctx.root);
  if (!silent) return;
  silentServers.delete(ctx.root);
  for (const socket of silent.sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.server.close(() => resolve()));
}

/** A git server on 127.0.0.1 for a case (`git daemon`), serving the repositories under `<root>/git`. */
const gitServers = new Map<string, { daemon: ChildProcess; port: number }>();

/** The locked and the later commit of a small package no index has, and the git URL it is served at. */
interface GitPackage {
  url: string;
  locked: string;
  later: string;
}

/**
 * Makes a repository of `whb-gitdep-4711` (0.1.0, setuptools) with two commits of the same version
 * (`gitdep.VALUE` 1, then 2) and serves it with `git daemon` on a free port.
 */
async function serveGitPackage(ctx: Context): Promise<GitPackage> {
  const base = path.join(ctx.root, 'git');
  const work = path.join(ctx.root, 'gitdep-work');
  await fs.mkdir(work, { recursive: true });
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: work, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  await fs.writeFile(
    path.join(work, 'pyproject.toml'),
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "whb-gitdep-4711"\nversion = "0.1.0"\n\n[tool.setuptools]\npy-modules = ["gitdep"]\n'
  );
  await fs.writeFile(path.join(work, 'gitdep.py'), 'VALUE = 1\n');
  git('add', '.');
  git('commit', '-q', '-m', 'one');
  const locked = git('rev-parse', 'HEAD');
  await fs.writeFile(path.join(work, 'gitdep.py'), 'VALUE = 2\n');
  git('commit', '-q', '-am', 'two');
  const later = git('rev-parse', 'HEAD');
  await fs.mkdir(base, { recursive: true });
  git('clone', '-q', '--bare', work, path.join(base, 'gitdep.git'));
  const port = await freePort();
  const daemon = spawn(
    'git',
    ['daemon', '--export-all', `--base-path=${base}`, '--listen=127.0.0.1', `--port=${port}`, '--reuseaddr', base],
    {
      stdio: 'ignore'
    }
  );
  gitServers.set(ctx.root, { daemon, port });
  // ready when it lists the repository
  for (let i = 0; i < 50; i++) {
    try {
      execFileSync('git', ['ls-remote', `git://127.0.0.1:${port}/gitdep.git`], { stdio: 'ignore' });
      return { url: `git://127.0.0.1:${port}/gitdep.git`, locked, later };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('git daemon did not start');
}

async function stopGitServer(ctx: Context): Promise<void> {
  gitServers.get(ctx.root)?.daemon.kill();
  gitServers.delete(ctx.root);
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** An HTTP server on 127.0.0.1 for a case, serving one sdist. */
const sdistServers = new Map<string, HttpServer>();

/**
 * Serves `whb-armfail` 0.1.0 (a name no index has): an sdist whose setup.py builds on every machine but
 * aarch64. Returns its URL.
 */
async function serveArchFailingSdist(ctx: Context): Promise<string> {
  const src = path.join(ctx.root, 'sdist', 'whb-armfail-0.1.0');
  await fs.mkdir(src, { recursive: true });
  await fs.writeFile(
    path.join(src, 'pyproject.toml'),
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n'
  );
  await fs.writeFile(
    path.join(src, 'setup.py'),
    [
      'import platform, sys',
      'from setuptools import setup',
      "if platform.machine() == 'aarch64':",
      "    sys.exit('whb-armfail does not build on aarch64')",
      "setup(name='whb-armfail', version='0.1.0', py_modules=['armfail'])",
      ''
    ].join('\n')
  );
  await fs.writeFile(path.join(src, 'armfail.py'), 'VALUE = 1\n');
  const archive = path.join(ctx.root, 'sdist', 'whb-armfail-0.1.0.tar.gz');
  execFileSync('tar', ['-czf', archive, '-C', path.dirname(src), path.basename(src)]);
  const body = await fs.readFile(archive);
  const server = createHttpServer((req, res) => {
    if (req.url === '/whb-armfail-0.1.0.tar.gz') res.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  sdistServers.set(ctx.root, server);
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/whb-armfail-0.1.0.tar.gz`;
}

async function stopSdistServer(ctx: Context): Promise<void> {
  const server = sdistServers.get(ctx.root);
  sdistServers.delete(ctx.root);
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * A tag of the test bed's slim Python image whose index also claims linux/arm64 (the same amd64 image
 * under both platforms, put to the registry as a manifest list): the image offers the platform, so what
 * is checked is whether the builder can run it.
 */
async function slimClaiming(arch: string): Promise<string> {
  const [host, rest] = [testbed.pythonSlimImage.split('/')[0]!, testbed.pythonSlimImage.split('/').slice(1).join('/')];
  const [name] = rest.split(':');
  const accept = 'application/vnd.docker.distribution.manifest.v2+json';
  const head = await fetch(`http://${host}/v2/${name}/manifests/${rest.split(':')[1]}`, { method: 'HEAD', headers: { Accept: accept } });
  const digest = head.headers.get('docker-content-digest');
  const size = Number(head.headers.get('content-length'));
  if (!digest) throw new Error(`no digest for ${testbed.pythonSlimImage}`);
  const list = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
    manifests: ['amd64', arch].map((architecture) => ({ mediaType: accept, digest, size, platform: { architecture, os: 'linux' } }))
  };
  const tag = `claims-${arch}`;
  const put = await fetch(`http://${host}/v2/${name}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'Content-Type': list.mediaType },
    body: JSON.stringify(list)
  });
  if (!put.ok) throw new Error(`the registry refused the manifest list: ${put.status}`);
  return `${host}/${name}:${tag}`;
}

/** The wheelhouse-image entry's key prefix for the seeded wheelhouse, in `repository`. */
function seededImagePrefix(ctx: Context, repository: string): string {
  const wheelhouse = ctx.service.entries().find((e) => /^wheelhouse-v1-.*-pip-[0-9a-f]{32}$/.test(e.key) && e.finalized);
  if (!wheelhouse) throw new Error('no seeded wheelhouse entry');
  return wheelhouseImageKeys(repository, wheelhouse.key, '').restore[0]!;
}

const GONE_REPOSITORY = `${testbed.registry}/fault/wheelhouse-gone`;

const INDEX_PASSWORD = 'idx-s3cret-4711-wheelhouse';
const ESCAPE = `/tmp/wheelhouse-escape-${process.pid}.txt`;

CASES.push(
  {
    name: 'save: duplicate key (409)',
    fault: 'CreateCacheEntry answers 409 (another job saved the key first)',
    expect: 'image built',
    says: /the wheelhouse was not saved as wheelhouse-v1-\S+ \(the key exists already or the service refused it\)/,
    freshCache: true,
    inputs: TIMEOUT,
    inject: [{ endpoint: 'CreateCacheEntry', kind: 'status', status: 409 }]
  },
  {
    name: 'cache: missing token',
    fault: 'cache-backend: actions on a runner without ACTIONS_RUNTIME_TOKEN',
    expect: 'image built',
    says: /no Actions cache service; caching is off/,
    inputs: { 'cache-backend': 'actions' },
    env: () => ({ ACTIONS_RUNTIME_TOKEN: '' })
  },
  {
    name: 'restore: a wheel does not match the manifest',
    fault: 'a wheel of the saved wheelhouse is replaced by other bytes',
    expect: 'image built',
    says: /the restored wheelhouse wheelhouse-v1-\S+ is discarded: \S+\.whl does not match its SHA-256/,
    before: async (ctx) => {
      await spoilWheelhouse(ctx, async (dir) => fs.writeFile(await firstWheel(dir), 'not the wheel that was saved'));
    },
    check: (run) =>
      run.main.outputs['wheels-built'] !== '0' && /wheelhouse: saved .* as wheelhouse-v1-\S+-repaired-/.test(run.post.stdout)
        ? undefined
        : `expected the wheels built again and saved as a repaired entry: built ${run.main.outputs['wheels-built']}; post: ${run.post.stdout.slice(-400)}`
  },
  {
    name: 'restore: a wheel pip cannot use',
    fault: 'a truncated wheel, with a manifest made to match it',
    expect: 'image built',
    says: /is discarded: \S+\.whl is not a zip archive/,
    before: async (ctx) => {
      await spoilWheelhouse(ctx, async (dir) => {
        const wheel = await firstWheel(dir);
        const bytes = await fs.readFile(wheel);
        await fs.writeFile(wheel, bytes.subarray(0, Math.floor(bytes.length / 2)));
        const manifest = JSON.parse(await fs.readFile(path.join(dir, 'wheelhouse-manifest.json'), 'utf8')) as {
          wheels: Record<string, string>;
        };
        manifest.wheels[path.basename(wheel)] = execFileSync('sha256sum', [wheel], { encoding: 'utf8' }).split(' ')[0]!;
        await fs.writeFile(path.join(dir, 'wheelhouse-manifest.json'), JSON.stringify(manifest));
      });
    }
  },
  {
    name: 'restore: an archive with paths outside its folder',
    fault: `the saved wheelhouse also holds ../…/${path.basename(ESCAPE)} (a file in /tmp)`,
    expect: 'image built',
    says: /the archive of wheelhouse-v1-\S+ was refused: '.*wheelhouse-escape-\d+\.txt' is outside/,
    before: async (ctx) => {
      await spoilWheelhouse(ctx, async (_, base) => {
        const member = path.relative(base, ESCAPE);
        await fs.writeFile(ESCAPE, 'written by a cache archive');
        return [member];
      });
      await fs.rm(ESCAPE, { force: true });
    },
    check: (run) => {
      const escaped = existsSync(ESCAPE);
      rmSync(ESCAPE, { force: true });
      if (escaped) return `the archive wrote ${ESCAPE}`;
      return run.main.outputs['wheels-built'] !== '0' ? undefined : 'expected the wheels to be built again';
    }
  },
  {
    name: 'pull request: reads the base branch, writes its own scope',
    fault: "a pull request's token: refs/pull/9/merge writable, refs/heads/main read-only",
    expect: 'image built',
    before: async (ctx) => {
      await fs.appendFile(path.join(ctx.workspace, 'requirements.txt'), 'iniconfig==2.0.0\n');
    },
    env: (service) => ({
      GITHUB_EVENT_NAME: 'pull_request',
      ACTIONS_RUNTIME_TOKEN: service.token([
        { Scope: 'refs/pull/9/merge', Permission: 3 },
        { Scope: 'refs/heads/main', Permission: 1 }
      ])
    }),
    check: (run, ctx) => {
      if (run.main.outputs['wheelhouse-cache-hit'] !== 'partial')
        return `expected a partial hit from main's entry, got ${run.main.outputs['wheelhouse-cache-hit']}`;
      const saved = ctx.service.entries().filter((e) => e.key === run.main.outputs['wheelhouse-key']);
      const scopes = saved.map((e) => e.scope);
      return scopes.length === 1 && scopes[0] === 'refs/pull/9/merge'
        ? undefined
        : `expected the new wheelhouse saved in refs/pull/9/merge only, found: ${scopes.join(', ') || 'nothing'}`;
    }
  },
  ...(['pull_request_target', 'tag'] as const).map(
    (event): FaultCase => ({
      name: `no save on a ${event} run`,
      fault: event === 'tag' ? 'GITHUB_REF=refs/tags/v1.0.0' : 'GITHUB_EVENT_NAME=pull_request_target',
      expect: 'image built',
      freshCache: true,
      env: (): Record<string, string> =>
        event === 'tag' ? { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.0.0' } : { GITHUB_EVENT_NAME: 'pull_request_target' },
      check: (run, ctx) =>
        run.post.stdout.includes('cache: saving is off') && ctx.service.entries().length === 0
          ? undefined
          : `expected no save: ${
              ctx.service
                .entries()
                .map((e) => e.key)
                .join(', ') || 'nothing saved'
            }, post: ${run.post.stdout.slice(-300)}`
    })
  ),
  {
    name: 'input: list inputs with stray newlines and commas',
    fault: 'tags with blank lines, a trailing comma and spaces',
    expect: 'image built',
    inputs: (tag) => ({ tags: `\n\n  ${tag} ,\n,\n`, 'build-args': `\n${testbedInputs(tag)['build-args']}\n\n` }),
    check: (run) => (run.main.outputs.digest ? undefined : 'no digest: the tag was not pushed')
  },
  {
    name: 'restore: a wheelhouse made from other indexes',
    fault: 'requirements.txt moves to --index-url (the saved wheelhouse came from the default index)',
    expect: 'image built',
    before: async (ctx) => {
      const file = path.join(ctx.workspace, 'requirements.txt');
      await fs.writeFile(file, `--index-url https://pypi.org/simple\n${await fs.readFile(file, 'utf8')}`);
    },
    check: (run) =>
      /wheelhouse: wheelhouse-v1-\S+ is not reused: its wheels came from other index options/.test(run.main.stdout) &&
      run.main.outputs['wheelhouse-cache-hit'] === 'miss' &&
      run.main.outputs['wheels-reused'] === '0'
        ? undefined
        : `expected the restored wheelhouse not reused: hit ${run.main.outputs['wheelhouse-cache-hit']}, reused ${run.main.outputs['wheels-reused']}`
  },
  {
    name: 'index credentials stay secret',
    fault: 'requirements.txt names an extra index with user:password',
    expect: 'image built',
    before: async (ctx) => {
      const file = path.join(ctx.workspace, 'requirements.txt');
      await fs.writeFile(file, `--extra-index-url https://ci:${INDEX_PASSWORD}@pypi.org/simple\n${await fs.readFile(file, 'utf8')}`);
    },
    check: (run) =>
      run.main.stdout.includes(`::add-mask::${INDEX_PASSWORD}`) ? leaks(run, INDEX_PASSWORD) : 'the index password was not masked'
  },
  {
    name: 'wheelhouse image: push refused',
    fault: 'wheelhouse-image names a registry on a closed port',
    expect: 'image built',
    says: /wheelhouse image: not pushed, the build sends the wheelhouse instead/,
    inputs: { 'wheelhouse-image': '127.0.0.1:9/fault/wheels' },
    check: (run) => (/transferring wheelhouse/.test(run.main.stdout) ? undefined : 'expected the wheelhouse folder sent to BuildKit')
  },
  {
    name: 'wheelhouse image: push hangs',
    fault: 'wheelhouse-image names a registry that accepts connections and never answers',
    expect: 'image built',
    says: /wheelhouse image: not pushed, .*pushing the wheelhouse image/,
    before: startSilentServer,
    after: stopSilentServer,
    inputs: (_, ctx) => ({ ...TIMEOUT, 'wheelhouse-image': `127.0.0.1:${silentPort(ctx)}/fault/wheels` }),
    check: (run) => (/transferring wheelhouse/.test(run.main.stdout) ? undefined : 'expected the wheelhouse folder sent to BuildKit')
  },
  {
    name: 'wheelhouse image: the registry no longer has it',
    fault: 'the wheelhouse-image entry names a digest the registry does not have',
    expect: 'image built',
    before: async (ctx) => {
      const gone = `${GONE_REPOSITORY}@sha256:${'0'.repeat(64)}`;
      // the run's scope: the runner's own variables (the case sets none)
      const entry = localEntryDir(
        localStore(ctx),
        cacheScope(process.env),
        'wheelhouse-image',
        `${seededImagePrefix(ctx, GONE_REPOSITORY)}gone`
      );
      await fs.mkdir(entry, { recursive: true });
      await fs.writeFile(
        path.join(entry, 'wheelhouse-image.json'),
        JSON.stringify({ version: 1, wheelhouse: gone, base: gone, wheels: {} })
      );
    },
    inputs: (_, ctx) => ({ 'wheelhouse-image': GONE_REPOSITORY, 'cache-backend': 'local', 'local-cache-dir': localStore(ctx) }),
    check: (run) =>
      run.main.stdout.includes(`wheelhouse image: ${GONE_REPOSITORY}@sha256:${'0'.repeat(64)} cannot be used`) &&
      /wheelhouse image: pushed /.test(run.main.stdout)
        ? undefined
        : 'expected a note that the remembered image cannot be used, then a new push'
  },
  {
    name: "local cache: another repository's and another branch's entries are not read",
    fault: "the local store holds this wheelhouse's exact key, spoiled, in acme/other's main and in acme/app's feature branch",
    expect: 'image built',
    before: async (ctx) => {
      const spoil = async (dir: string): Promise<void> => fs.writeFile(await firstWheel(dir), 'written by another scope');
      await localWheelhouse(ctx, { ...LOCAL_RUN, repository: 'acme/other' }, spoil);
      await localWheelhouse(ctx, { ...LOCAL_RUN, ref: 'refs/heads/feature' }, spoil);
    },
    env: (_, ctx) => localRunEnv(ctx),
    inputs: (_, ctx) => ({ 'cache-backend': 'local', 'local-cache-dir': localStore(ctx) }),
    check: (run, ctx) => {
      const key = run.main.outputs['wheelhouse-key'] ?? '';
      if (run.main.outputs['wheelhouse-cache-hit'] !== 'miss') return `expected a miss, got ${run.main.outputs['wheelhouse-cache-hit']}`;
      if (/is discarded/.test(run.main.stdout)) return 'an entry of another scope was restored (and discarded)';
      return existsSync(localEntryDir(localStore(ctx), LOCAL_RUN, 'wheelhouse', key))
        ? undefined
        : `expected ${key} saved in acme/app's main scope`;
    }
  },
  {
    name: 'local cache: an entry holding a link',
    fault: "this wheelhouse's entry in the run's own scope also holds evil.whl, a link to /etc/passwd",
    expect: 'image built',
    says: /the archive of wheelhouse-v1-\S+ was refused: 'evil\.whl' is not a plain file or folder/,
    before: async (ctx) => {
      await localWheelhouse(ctx, LOCAL_RUN, (dir) => fs.symlink('/etc/passwd', path.join(dir, 'evil.whl')));
    },
    env: (_, ctx) => localRunEnv(ctx),
    inputs: (_, ctx) => ({ 'cache-backend': 'local', 'local-cache-dir': localStore(ctx) }),
    check: (run) => (run.main.outputs['wheels-built'] !== '0' ? undefined : 'expected the wheels built again')
  },
  {
    name: 'lock file: a private-index package is not looked up on PyPI',
    fault: 'poetry.lock takes idna 99.0.0 (a version PyPI does not have) from a private index on 127.0.0.1',
    expect: 'image built',
    before: async (ctx) => {
      await asPoetryProject(
        ctx,
        '[project]\nname = "fault-app"\nversion = "0.1.0"\nrequires-python = ">=3.9"\ndependencies = ["six==1.17.0", "idna==99.0.0"]\n\n' +
          '[[tool.poetry.source]]\nname = "private"\nurl = "http://127.0.0.1:9/simple"\npriority = "supplemental"\n',
        poetryEntry(
          'idna',
          '99.0.0',
          'groups = ["main"]\n[package.source]\ntype = "legacy"\nurl = "http://127.0.0.1:9/simple"\nreference = "private"\n'
        ) +
          poetryEntry('six', '1.17.0', 'groups = ["main"]\n') +
          POETRY_2_METADATA
      );
      // the Dockerfile installs six from the wheelhouse and idna "from its own index" (a stand-in module here)
      await writeAppDockerfile(ctx, [
        'RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse python3 -m pip install --no-cache-dir --no-index --find-links /wheelhouse six==1.17.0',
        "RUN python3 -c \"import site, os; d = os.path.join(site.getsitepackages()[0], 'idna'); os.makedirs(d); open(os.path.join(d, '__init__.py'), 'w').close()\""
      ]);
    },
    check: (run) => {
      if (
        !/left out of the wheelhouse: poetry\.lock: idna \(taken from the index http:\/\/127\.0\.0\.1:9\/simple, not from the default one/.test(
          run.main.stdout
        )
      ) {
        return 'expected idna left out of the wheelhouse with a note naming its index';
      }
      return /idna[-=]99/.test(run.main.stdout.replace(/^.*left out of the wheelhouse.*$/gm, '')) ? 'idna 99.0.0 was looked up' : undefined;
    }
  },
  {
    name: 'local cache: a probe entry holding a link',
    fault: "the target probe's entry in the run's own scope holds target.json as a link to /etc/passwd",
    expect: 'image built',
    says: /the archive of wheelhouse-probe-\S+ was refused: 'target\.json' is not a plain file or folder/,
    before: async (ctx) => {
      const probe = ctx.service.entries().find((e) => e.key.startsWith('wheelhouse-probe-') && e.finalized);
      if (!probe) throw new Error('no seeded probe entry');
      const dir = localEntryDir(localStore(ctx), LOCAL_RUN, 'probe', probe.key);
      await fs.mkdir(dir, { recursive: true });
      await fs.symlink('/etc/passwd', path.join(dir, 'target.json'));
    },
    env: (_, ctx) => localRunEnv(ctx),
    inputs: (_, ctx) => ({ 'cache-backend': 'local', 'local-cache-dir': localStore(ctx) })
  },
  {
    name: 'local cache: a pull request reads the base branch, writes its own scope',
    fault: "refs/pull/9/merge of acme/app (base main) adds a package; main's scope holds the wheelhouse",
    expect: 'image built',
    before: async (ctx) => {
      await localWheelhouse(ctx, LOCAL_RUN, async () => undefined);
      await fs.appendFile(path.join(ctx.workspace, 'requirements.txt'), 'iniconfig==2.0.0\n');
    },
    env: (_, ctx) => ({ ...localRunEnv(ctx), GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/9/merge', GITHUB_BASE_REF: 'main' }),
    inputs: (_, ctx) => ({ 'cache-backend': 'local', 'local-cache-dir': localStore(ctx) }),
    check: (run, ctx) => {
      if (run.main.outputs['wheelhouse-cache-hit'] !== 'partial')
        return `expected a partial hit from main's entry, got ${run.main.outputs['wheelhouse-cache-hit']}`;
      const key = run.main.outputs['wheelhouse-key'] ?? '';
      const pull = { ...LOCAL_RUN, ref: 'refs/pull/9/merge' };
      if (!existsSync(localEntryDir(localStore(ctx), pull, 'wheelhouse', key))) return `expected ${key} saved in the pull request's scope`;
      return existsSync(localEntryDir(localStore(ctx), LOCAL_RUN, 'wheelhouse', key)) ? `${key} was saved in main's scope` : undefined;
    }
  },
  {
    name: 'input: a secret file that is not there',
    fault: 'secret-files: NETRC=missing/netrc',
    expect: 'clear error',
    says: /input 'secret-files': the file of secret NETRC does not exist: .*missing\/netrc/,
    inputs: { 'secret-files': 'NETRC=missing/netrc' }
  },
  {
    name: 'lock file: Poetry 1.8 dev packages are not built',
    fault: 'a poetry.lock of lock-version 2.0 (no groups) with iniconfig in the dev group',
    expect: 'image built',
    before: async (ctx) => {
      await asPoetryProject(
        ctx,
        '[tool.poetry]\nname = "fault-app"\nversion = "0.1.0"\ndescription = ""\nauthors = []\npackage-mode = false\n\n' +
          '[tool.poetry.dependencies]\npython = ">=3.9"\nsix = "1.17.0"\nidna = "3.10"\n\n[tool.poetry.group.dev.dependencies]\niniconfig = "2.0.0"\n',
        `${poetryEntry('idna', '3.10') + poetryEntry('iniconfig', '2.0.0') + poetryEntry('six', '1.17.0')}[metadata]\nlock-version = "2.0"\npython-versions = ">=3.9"\ncontent-hash = "0"\n`
      );
      const dockerfile = path.join(ctx.workspace, 'Dockerfile');
      const text = await fs.readFile(dockerfile, 'utf8');
      await fs.writeFile(
        dockerfile,
        text.replace('COPY requirements.txt .\n', '').replace('-r requirements.txt', 'six==1.17.0 idna==3.10')
      );
    },
    check: (run) => {
      if (/iniconfig/.test(run.main.stdout)) return 'iniconfig (dev group) reached the wheel build';
      return run.main.outputs['wheelhouse-cache-hit'] === 'exact' || run.main.outputs['wheelhouse-cache-hit'] === 'partial'
        ? undefined
        : `expected the seeded wheelhouse of six and idna to serve (same set), got ${run.main.outputs['wheelhouse-cache-hit']}`;
    }
  },
  {
    name: 'lock file: a file that does not match its hash',
    fault: "poetry.lock gives six 1.17.0 hashes that none of PyPI's files have",
    expect: 'clear error',
    says: /pip refused six==1\.17\.0: what the index serves does not match the hashes the requirements give for it/,
    freshCache: true,
    before: async (ctx) => {
      await asPoetryProject(
        ctx,
        '[project]\nname = "fault-app"\nversion = "0.1.0"\nrequires-python = ">=3.9"\ndependencies = ["six==1.17.0", "idna==3.10"]\n',
        poetryEntry('idna', '3.10', 'groups = ["main"]\n', PYPI_HASHES.idna) +
          poetryEntry('six', '1.17.0', 'groups = ["main"]\n', ['0'.repeat(64), '1'.repeat(64)]) +
          POETRY_2_METADATA
      );
    },
    check: (run) =>
      /downloading six-/.test(run.main.stdout) ? "six's wheel was downloaded on the runner though the hashes do not name it" : undefined
  },
  {
    name: 'lock file: a git package is built from its locked commit',
    fault:
      'poetry.lock takes whb-gitdep-4711 0.1.0 (a name no index has) from a git server on 127.0.0.1 at a commit older than the branch head, of the same version',
    expect: 'image built',
    before: async (ctx) => {
      const pkg = await serveGitPackage(ctx);
      await asPoetryProject(
        ctx,
        '[project]\nname = "fault-app"\nversion = "0.1.0"\nrequires-python = ">=3.9"\ndependencies = ["six==1.17.0", "idna==3.10", "whb-gitdep-4711"]\n',
        poetryEntry('idna', '3.10', 'groups = ["main"]\n', PYPI_HASHES.idna) +
          poetryEntry('six', '1.17.0', 'groups = ["main"]\n', PYPI_HASHES.six) +
          poetryEntry(
            'whb-gitdep-4711',
            '0.1.0',
            `groups = ["main"]\n[package.source]\ntype = "git"\nurl = "${pkg.url}"\nreference = "main"\nresolved_reference = "${pkg.locked}"\n`
          ) +
          POETRY_2_METADATA
      );
      // the image takes the package from the wheelhouse alone and proves which commit it was built from
      await writeAppDockerfile(ctx, [
        'RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse python3 -m pip install --no-cache-dir --no-index --find-links /wheelhouse six==1.17.0 idna==3.10 whb-gitdep-4711==0.1.0',
        'RUN python3 -c "import gitdep; assert gitdep.VALUE == 1, gitdep.VALUE"'
      ]);
    },
    after: stopGitServer,
    check: (run) => {
      if (!/resolve: the set has direct references/.test(run.main.stdout)) return 'expected the set left to pip for its git reference';
      return Number(run.main.outputs['wheels-built'] ?? 0) >= 1 ? undefined : 'expected the git package built into the wheelhouse';
    }
  },
  {
    name: 'hashes: an added pin is fetched in hash-checking mode, the rest offline',
    fault: 'requirements.txt with hashes (as pip-compile writes) adds iniconfig; uv cannot be had (a closed proxy), so pip fetches',
    expect: 'image built',
    inputs: { 'cache-timeout': '15' },
    env: () => ({ https_proxy: 'http://127.0.0.1:9', HTTPS_PROXY: 'http://127.0.0.1:9' }),
    before: async (ctx) => {
      await fs.writeFile(
        path.join(ctx.workspace, 'requirements.txt'),
        hashed('six==1.17.0', PYPI_HASHES.six) + hashed('idna==3.10', PYPI_HASHES.idna) + hashed('iniconfig==2.0.0', PYPI_HASHES.iniconfig)
      );
    },
    check: (run) => {
      if (
        !run.main.stdout.includes(
          'wheels: 1 of 3 pins not in the wheelhouse (1 fetched with their hashes checked); the rest resolve offline'
        )
      )
        return 'expected iniconfig alone fetched with its hashes checked';
      return run.main.outputs['wheels-reused'] === '2'
        ? undefined
        : `expected six and idna reused, got ${run.main.outputs['wheels-reused']}`;
    }
  },
  {
    name: 'restore-cache: false builds the wheelhouse afresh',
    fault: 'restore-cache: false with the wheelhouse of this very set saved',
    expect: 'image built',
    inputs: { 'restore-cache': 'false' },
    check: (run) =>
      run.main.outputs['wheelhouse-cache-hit'] === 'miss' &&
      run.main.outputs['cache-hit'] === 'false' &&
      run.main.outputs['wheels-reused'] === '0' &&
      run.main.stdout.includes('cache: restore-cache is false: the wheelhouse is built afresh')
        ? undefined
        : `expected nothing restored: hit ${run.main.outputs['wheelhouse-cache-hit']}, cache-hit ${run.main.outputs['cache-hit']}, reused ${run.main.outputs['wheels-reused']}`
  },
  {
    name: 'platforms: one the builder cannot run',
    // the test bed registers QEMU for arm64 only (testbed/lib/emulation.sh): s390x has no emulator
    fault: 'platforms: linux/s390x on a builder without its emulator, for an image index that offers linux/s390x',
    expect: 'clear error',
    says: /^input 'platforms': the builder wheelhouse-\S+ cannot run linux\/s390x \(it runs linux\/amd64.*\): register QEMU's emulators/,
    before: async (ctx) => {
      const image = await slimClaiming('s390x');
      await fs.writeFile(path.join(ctx.workspace, 'image.txt'), image);
    },
    inputs: (_, ctx) => ({
      platforms: 'linux/s390x',
      'build-args': `PYTHON_IMAGE=${readFileSync(path.join(ctx.workspace, 'image.txt'), 'utf8')}`
    }),
    check: (run) => (/wheels: \d+ built|#\d+ \[build/.test(run.main.stdout) ? 'something was built before the error' : undefined)
  },
  {
    name: "platforms: one platform's wheel build fails",
    fault: 'linux/amd64 and linux/arm64 in one step; an sdist (served on 127.0.0.1) whose setup.py refuses to build on aarch64',
    expect: 'clear error',
    says: /^platform linux\/arm64: the wheel for whb-armfail\S* failed to build/,
    before: async (ctx) => {
      const url = await serveArchFailingSdist(ctx);
      await fs.writeFile(path.join(ctx.workspace, 'requirements.txt'), `six==1.17.0\nidna==3.10\nwhb-armfail @ ${url}\n`);
    },
    after: stopSdistServer,
    inputs: { platforms: 'linux/amd64,linux/arm64', 'build-args': `PYTHON_IMAGE=${testbed.pythonSlimMulti}` },
    check: (run) => {
      // the platform before it keeps its save: post saves amd64's wheelhouse, with the sdist built for it
      if (!/wheelhouse: saved .* as wheelhouse-v1-linux-amd64-/.test(run.post.stdout)) return "expected amd64's wheelhouse saved";
      if (/as wheelhouse-v1-linux-arm64-/.test(run.post.stdout)) return "arm64's wheelhouse was saved after its wheel build failed";
      return /built whb_armfail-0\.1\.0-py3-none-any\.whl/.test(run.main.stdout) ? undefined : 'expected the sdist built for amd64';
    }
  },
  {
    name: 'platforms: the target image has no such variant',
    fault: 'platforms: linux/arm64 for an image published for linux/amd64 only',
    expect: 'clear error',
    says: /^input 'platforms': the target image \S+python:3\.11-slim-local has no linux\/arm64 variant \(it is published for linux\/amd64\)/,
    inputs: { platforms: 'linux/arm64' }
  },
  {
    name: 'buildkitd-config-inline and buildkitd-flags',
    fault: "the test bed's registry configuration given inline (no file), and --debug among the daemon's flags",
    expect: 'image built',
    inputs: {
      'buildkitd-config': '',
      'buildkitd-config-inline': readFileSync(testbed.buildkitdConfig, 'utf8'),
      'buildkitd-flags': '--debug --allow-insecure-entitlement=network.host'
    },
    check: (run) => {
      const nodes = JSON.parse(run.main.outputs.nodes ?? '[]') as { 'buildkitd-flags'?: string }[];
      return nodes[0]?.['buildkitd-flags']?.includes('--debug')
        ? undefined
        : `expected --debug in the nodes output, got ${run.main.outputs.nodes}`;
    }
  },
  {
    name: 'docker missing',
    fault: 'no docker on PATH',
    expect: 'clear error',
    says: /docker buildx is not available .*: install Docker and the buildx plugin/,
    env: () => ({ PATH: '/nonexistent' })
  },
  {
    name: 'buildx too old',
    fault: 'a docker whose buildx reports v0.9.1',
    expect: 'clear error',
    says: /buildx .*v0\.9\.1.* is too old: named build contexts need buildx 0\.10\.0 or newer/,
    before: async (ctx) => {
      const bin = path.join(ctx.root, 'old-buildx-bin');
      await fs.mkdir(bin, { recursive: true });
      await fs.writeFile(path.join(bin, 'docker'), '#!/bin/sh\necho "github.com/docker/buildx v0.9.1 ed00243"\n', { mode: 0o755 });
    },
    env: (_, ctx) => ({ PATH: path.join(ctx.root, 'old-buildx-bin') })
  }
);
