// The fault and bad-input cases: each runs the bundled action on a small app against the real test bed,
// with one fault injected (in the cache service stand-in, the registry, the builder or the inputs), and
// tells what came of it. A case passes when the outcome is the promised one and nothing was lost: an
// image that was built runs and imports its packages.
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CacheService, type Fault } from './cache-service/server.js';
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
  inputs?: Record<string, string>;
  /** Faults injected into the cache service before the run. */
  inject?: Fault[];
  /** Variables for the run (e.g. a broken service URL). */
  env?: (service: CacheService) => Record<string, string>;
  /** A further check of the run; returns what is wrong, if anything. */
  check?: (run: ActionRun) => string | undefined;
  /** Run against a new, empty cache service (so that the run has something to save). */
  freshCache?: boolean;
  /** Runs before the action (e.g. a first good run whose entry a fault then spoils). */
  before?: (ctx: Context) => Promise<void>;
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

export interface Context {
  root: string;
  service: CacheService;
  workspace: string;
}

const IMPORT_CHECK = ['python3', '-c', "import six, idna; print('ok')"];
const SECRET = 's3cr3t-wheelhouse-value-4711';

/** Where a secret could leak: the logs (but the runner's own mask command), the summaries, the outputs. */
function leaks(run: ActionRun, secret: string): string | undefined {
  const places: [string, string][] = [
    ['main log', run.main.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n') + run.main.stderr],
    ['post log', run.post.stdout + run.post.stderr],
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

function builders(): string[] {
  return execFileSync('docker', ['buildx', 'ls', '--format', '{{.Name}}'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('wheelhouse-'));
}

function imageWorks(ref: string): boolean {
  try {
    execFileSync('docker', ['pull', '-q', ref], { stdio: 'ignore' });
    const out = execFileSync('docker', ['run', '--rm', '--network', 'none', ref, ...IMPORT_CHECK], { encoding: 'utf8' });
    return out.trim() === 'ok';
  } catch {
    return false;
  } finally {
    execFileSync('docker', ['rmi', '-f', ref], { stdio: 'ignore' });
  }
}

/** A good run of the small app, so that a later case meets a saved entry. */
export async function seed(ctx: Context): Promise<ActionRun> {
  ctx.service.clearFaults();
  return runOnFreshRunner(ctx.root, ctx.workspace, testbedInputs(uniqueTag('fault-seed')), ctx.service);
}

export async function runCase(c: FaultCase, shared: Context): Promise<CaseResult> {
  const own = c.freshCache ? await CacheService.start(await fs.mkdtemp(path.join(shared.root, 'cache-'))) : undefined;
  const ctx: Context = own ? { ...shared, service: own } : shared;
  try {
    return await runIn(c, ctx);
  } finally {
    await own?.stop();
  }
}

async function runIn(c: FaultCase, ctx: Context): Promise<CaseResult> {
  ctx.service.clearFaults();
  await faultWorkspace(ctx.workspace);
  if (c.before) await c.before(ctx);
  ctx.service.clearFaults();
  for (const f of c.inject ?? []) ctx.service.inject(f);
  const tag = uniqueTag('fault');
  const buildersBefore = builders();
  const run = await runOnFreshRunner(ctx.root, ctx.workspace, { ...testbedInputs(tag), ...c.inputs }, ctx.service, c.env?.(ctx.service) ?? {});
  ctx.service.clearFaults();
  const leftBehind = builders().filter((b) => !buildersBefore.includes(b));
  const digest = run.main.outputs.digest;
  const built = run.main.exitCode === 0 && Boolean(digest);
  const clearError = run.main.exitCode !== 0 && run.main.errors.length === 1;
  const outcome: CaseResult['outcome'] = built ? 'image built' : clearError ? 'clear error' : 'failed otherwise';
  const warned = run.main.warnings.length + run.post.warnings.length > 0;
  const said = [...run.main.warnings, ...run.post.warnings, ...run.main.errors].join('\n');
  const lost = built ? !imageWorks(`${tag.replace(/:latest$/, '')}@${digest}`) : false;
  const problems: string[] = [];
  if (outcome !== c.expect) problems.push(`expected ${c.expect}, got ${outcome}: ${said || run.main.stderr.slice(-300)}`);
  if (c.says && !c.says.test(said)) problems.push(`nothing said matches ${c.says}: ${said}`);
  if (run.post.exitCode !== 0) problems.push(`post failed with ${run.post.exitCode}`);
  if (leftBehind.length > 0) problems.push(`builders left behind: ${leftBehind.join(', ')}`);
  if (lost) problems.push('the image that was built does not run');
  const extra = c.check?.(run);
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
    before: async (ctx) => void (await seed(ctx)),
    inject: [{ endpoint: 'download', kind: 'truncate' }]
  },
  {
    name: 'restore: corrupted archive',
    fault: 'the archive is altered in transit (same length)',
    expect: 'image built',
    says: /restor|discarded|tar|zstd|decompress/i,
    before: async (ctx) => void (await seed(ctx)),
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
    says: /pip found no distribution of no-such-package-wheelhouse==0\.0\.1/,
    before: async (ctx) => {
      await fs.appendFile(path.join(ctx.workspace, 'requirements.txt'), 'no-such-package-wheelhouse==0.0.1\n');
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
    inputs: { tags: '127.0.0.1:9/fault/app:latest' }
  },
  {
    name: 'a build secret stays secret',
    fault: 'secrets: API_TOKEN=<value>, used by a RUN step',
    expect: 'image built',
    inputs: { secrets: `API_TOKEN=${SECRET}` },
    before: async (ctx) => {
      const dockerfile = path.join(ctx.workspace, 'Dockerfile');
      const text = await fs.readFile(dockerfile, 'utf8');
      await fs.writeFile(dockerfile, text.replace('COPY . .', 'RUN --mount=type=secret,id=API_TOKEN test -s /run/secrets/API_TOKEN\nCOPY . .'));
    },
    check: (run) =>
      run.main.stdout.includes(`::add-mask::${SECRET}`) ? leaks(run, SECRET) : 'the secret was not masked (no add-mask command)'
  },
  {
    name: 'registry unreachable for cache-from',
    fault: 'cache-from names a registry on a closed port',
    expect: 'image built',
    says: /cache-from 127\.0\.0\.1:9\/fault\/cache:latest could not be read; built without it/,
    inputs: { 'cache-from': 'type=registry,ref=127.0.0.1:9/fault/cache:latest' }
  }
];
