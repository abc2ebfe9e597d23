// The step's decisions, run as the runner runs it (main, then post with the state main left) through the
// command line's entry, with a fake docker (FakeDocker: builds that leave what the real ones leave) and a
// real local cache in a scratch folder, each run on a fresh HOME as on a fresh runner: a first run is a
// miss that builds every wheel and saves; the same set next time is an exact hit that builds none and
// saves nothing; one pin bumped builds that wheel alone; a spoiled exact entry is set aside and repaired;
// a failed image build still saves the wheelhouse, a failed wheel build saves nothing; a cancelled main is
// cleaned up by post; a cache that hangs meets its deadline; a named builder is reused and kept.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeDocker, IMAGE_DIGEST, flagValues } from '../../__fixtures__/docker.js';
import { FakeBackend } from '../../__fixtures__/cache.js';
import { FakeKube } from '../../__fixtures__/kube.js';
import { capturedLog, scratchDir } from '../../__fixtures__/step.js';
import type { CacheBackend, CachedDir } from '../../src/cache/backend.js';
import { scopeDir } from '../../src/cache/local.js';
import { selectBackend } from '../../src/cache/select.js';
import { cli } from '../../src/cli/run.js';
import { parseFileCommands } from '../../src/cli/file-commands.js';
import type { CacheConfig } from '../../src/inputs/config.js';
import { type MainAdapters, main } from '../../src/main.js';
import { type PostAdapters, post } from '../../src/post.js';
import { UvUnavailable } from '../../src/wheels/uv.js';

const log = capturedLog();
const scratch = scratchDir('main');
const env = { ...process.env };
let printed: string[];
// one summary file for the whole file: @actions/core keeps the first path it writes a summary to
const SUMMARY = path.join(os.tmpdir(), `main-summary-${process.pid}`);

beforeAll(async () => {
  await fs.writeFile(SUMMARY, '');
});

afterAll(async () => {
  await fs.rm(SUMMARY, { force: true });
});

const PINS = ['asgiref==3.13.0', 'Django==5.2.19', 'sqlparse==0.6.1'];

beforeEach(async () => {
  printed = [];
  jest.spyOn(console, 'log').mockImplementation((line: unknown) => void printed.push(String(line)));
  const project = path.join(scratch(), 'app');
  await fs.cp(path.join(process.cwd(), '__fixtures__/platforms-app'), project, { recursive: true });
  await fs.writeFile(path.join(project, 'requirements.txt'), `${PINS.join('\n')}\n`);
  forgetStep();
  Object.assign(process.env, {
    GITHUB_WORKSPACE: project,
    GITHUB_REPOSITORY: 'acme/app',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '7',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_STEP_SUMMARY: SUMMARY,
    RUNNER_TEMP: path.join(scratch(), 'temp')
  });
  await fs.mkdir(process.env.RUNNER_TEMP!, { recursive: true });
});

afterEach(() => {
  process.env = { ...env };
  process.exitCode = undefined;
});

/** Drops the inputs and the state a step left in the environment, as the next step on a runner has none of them. */
function forgetStep(): void {
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_') || name.startsWith('STATE_')) delete process.env[name];
}

/** No uv on this runner: pip resolves the set in the wheel build. */
const noUv: MainAdapters['uv'] = () => Promise.reject(new UvUnavailable('uv is not on this runner'));

interface Fakes {
  readonly docker: FakeDocker;
  /** The cache backend for the inputs (default: the real one they select, a local folder here). */
  readonly backend?: (cache: CacheConfig) => Promise<CacheBackend | undefined>;
  /** The cluster the kubernetes driver reaches (default: none). */
  readonly kube?: FakeKube;
}

function adapters({ docker, backend = (cache) => selectBackend(cache), kube }: Fakes): {
  main: Omit<MainAdapters, 'getInput'>;
  post: PostAdapters;
} {
  return {
    main: {
      exec: docker.run,
      backend,
      uv: noUv,
      connect: () =>
        kube ? Promise.resolve({ api: kube, env: { KUBECONFIG: '/scratch/kubeconfig' } }) : Promise.reject(new Error('no cluster here'))
    },
    post: {
      exec: docker.run,
      detach: () => undefined,
      backend: (cache) => selectBackend(cache),
      cluster: { othersUsing: () => Promise.resolve([]), removeWorkloads: () => Promise.resolve([]) }
    }
  };
}

interface Run {
  readonly code: number;
  readonly outputs: Record<string, string>;
  /** What this run wrote to the log. */
  readonly log: string;
}

/** One run of the step (main, then post) on a fresh runner: its own HOME. */
async function step(fakes: Fakes, flags: readonly string[] = []): Promise<Run> {
  process.env.HOME = await fs.mkdtemp(path.join(scratch(), 'home-'));
  const from = log().length;
  printed = [];
  const code = await cli(
    [
      '--context',
      process.env.GITHUB_WORKSPACE!,
      '--tags',
      'registry.example/acme/app:1',
      '--cache-backend',
      'local',
      '--local-cache-dir',
      path.join(scratch(), 'cache'),
      ...flags
    ],
    adapters(fakes)
  );
  process.exitCode = undefined;
  forgetStep();
  return { code, outputs: JSON.parse(printed.at(-1) ?? '{}') as Record<string, string>, log: log().slice(from) };
}

/** The entries the local cache holds for `label` in this run's scope. */
const saved = async (label: CachedDir['label']): Promise<string[]> =>
  fs.readdir(scopeDir(path.join(scratch(), 'cache'), 'acme/app', 'refs/heads/main', label)).catch(() => []);

const bump = (from: string, to: string): Promise<void> =>
  fs.writeFile(path.join(process.env.GITHUB_WORKSPACE!, 'requirements.txt'), `${PINS.map((p) => (p === from ? to : p)).join('\n')}\n`);

describe('main and post, run as the runner runs them', () => {
  it('a first run is a miss: every wheel is built for the probed target while the target image is unpacked, the image is built on the wheelhouse, and post saves it', async () => {
    const docker = new FakeDocker();
    const run = await step({ docker });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ 'wheelhouse-cache-hit': 'miss', 'cache-hit': 'false', 'wheels-built': '3', 'wheels-reused': '0' });
    expect(run.outputs.digest).toBe(IMAGE_DIGEST);
    expect(run.outputs['wheelhouse-key']).toMatch(/^wheelhouse-v\d+-linux-amd64-cp311/);
    expect(docker.probeBuilds).toHaveLength(1);
    expect(docker.wheelBuilds).toHaveLength(1);
    // the target image is unpacked on the builder for the install steps while the wheels are made
    expect(docker.warmUps).toHaveLength(1);
    expect(flagValues(docker.warmUps[0]!, '--platform')).toEqual(['linux/amd64']);
    expect(run.log).toContain('builder: unpacking python:3.11-slim (linux/amd64) for the install steps');
    // the image build names the wheelhouse and its base generation as contexts
    const build = docker.imageBuilds[0]!;
    expect(flagValues(build, '--build-context').map((c) => c.split('=')[0])).toEqual(
      expect.arrayContaining(['wheelhouse', 'wheelhouse-base'])
    );
    expect(run.log).toMatch(/wheelhouse: saved .* as wheelhouse-v/);
    expect(run.log).toContain(`builder: removed ${flagValues(docker.argsOf('buildx', 'create')[0]!, '--name')[0]}`);
    expect(run.log).not.toContain('::error::');
  });

  it('the same set next time is an exact hit: no probe, no wheel build, nothing unpacked ahead, nothing saved again', async () => {
    await step({ docker: new FakeDocker() });
    const docker = new FakeDocker();
    const run = await step({ docker });
    expect(run.outputs).toMatchObject({ 'wheelhouse-cache-hit': 'exact', 'cache-hit': 'true', 'wheels-built': '0', 'wheels-reused': '3' });
    expect(docker.probeBuilds).toHaveLength(0);
    expect(docker.wheelBuilds).toHaveLength(0);
    expect(docker.warmUps).toHaveLength(0);
    expect(docker.imageBuilds).toHaveLength(1);
    expect(run.log).toMatch(/wheelhouse: unchanged, not saved/);
    expect(run.log).not.toMatch(/wheelhouse: saved/);
  });

  it('one pin bumped is a partial hit: the newest wheelhouse of the target is restored and the set built on it, saved under the new key', async () => {
    const first = await step({ docker: new FakeDocker() });
    await bump('sqlparse==0.6.1', 'sqlparse==0.6.2');
    const docker = new FakeDocker();
    const run = await step({ docker });
    expect(run.outputs).toMatchObject({ 'wheelhouse-cache-hit': 'partial', 'wheels-built': '1', 'wheels-reused': '2' });
    expect(run.outputs['wheelhouse-key']).not.toBe(first.outputs['wheelhouse-key']);
    expect(run.log).toContain(`wheelhouse: partial (${first.outputs['wheelhouse-key']})`);
    expect(run.log).toContain('built sqlparse-0.6.2-py3-none-any.whl');
    expect(run.log).toContain(`as ${run.outputs['wheelhouse-key']}`);
  });

  it('an exact entry whose wheels do not match its manifest is discarded, rebuilt, and saved as a repaired entry the next run takes', async () => {
    const first = await step({ docker: new FakeDocker() });
    // the entry of this set now restores a wheel that is not the one its manifest records
    const spoiling = async (cache: CacheConfig): Promise<CacheBackend | undefined> => {
      const real = (await selectBackend(cache))!;
      return {
        name: real.name,
        save: (entry, key) => real.save(entry, key),
        restore: async (entry, key, restoreKeys) => {
          const matched = await real.restore(entry, key, restoreKeys);
          if (entry.label === 'wheelhouse' && matched === first.outputs['wheelhouse-key']) {
            const wheel = (await fs.readdir(entry.dir)).find((f) => f.endsWith('.whl'))!;
            await fs.appendFile(path.join(entry.dir, wheel), 'tampered');
          }
          return matched;
        }
      };
    };
    const docker = new FakeDocker();
    const repairing = await step({ docker, backend: spoiling });
    expect(repairing.code).toBe(0);
    expect(repairing.log).toContain(`::warning::cache: the restored wheelhouse ${first.outputs['wheelhouse-key']} is discarded`);
    expect(repairing.outputs['wheelhouse-cache-hit']).toBe('miss');
    expect(docker.wheelBuilds).toHaveLength(1);
    expect(repairing.log).toMatch(new RegExp(`wheelhouse: saved .* as ${first.outputs['wheelhouse-key']}-repaired-`));
    // the next run meets the spoiled entry again and takes the repaired one: an exact hit
    const next = new FakeDocker();
    const repaired = await step({ docker: next, backend: spoiling });
    expect(repaired.outputs['wheelhouse-cache-hit']).toBe('exact');
    expect(next.wheelBuilds).toHaveLength(0);
  });

  it('a failed image build fails the step with its message, and post still saves the good wheelhouse', async () => {
    const docker = new FakeDocker({ imageBuildFails: 'ERROR: failed to solve: process "/bin/sh -c make" did not complete successfully' });
    const run = await step({ docker });
    expect(run.code).toBe(1);
    expect(run.log).toMatch(/::error::.*did not complete successfully/);
    expect(run.log).toMatch(/wheelhouse: saved .* as wheelhouse-v/);
    expect(await saved('wheelhouse')).toHaveLength(1);
    const again = await step({ docker: new FakeDocker() });
    expect(again.outputs['wheelhouse-cache-hit']).toBe('exact');
  });

  it('a failed wheel build fails the step naming the package, and post saves nothing but removes the builder', async () => {
    const docker = new FakeDocker({
      wheelBuildFails: 'Building wheel for psycopg2 (pyproject.toml) ... error\nERROR: Failed building wheel for psycopg2\n'
    });
    const run = await step({ docker });
    expect(run.code).toBe(1);
    expect(run.log).toMatch(/::error::.*the wheel for psycopg2 failed to build/);
    expect(docker.imageBuilds).toHaveLength(0);
    expect(run.log).not.toMatch(/wheelhouse: saved/);
    expect(await saved('wheelhouse')).toEqual([]);
    expect(run.log).toMatch(/builder: removed /);
    const again = await step({ docker: new FakeDocker() });
    expect(again.outputs['wheelhouse-cache-hit']).toBe('miss');
  });

  it('a cache that does not answer meets the deadline: a warning, no further call, and the build goes on as on a miss', async () => {
    const hanging = new FakeBackend(Array.from({ length: 20 }, () => ({ kind: 'hang' as const })));
    const docker = new FakeDocker();
    const run = await step({ docker, backend: () => Promise.resolve(hanging) }, ['--cache-timeout', '1']);
    expect(run.code).toBe(0);
    expect(run.log).toMatch(/::warning::cache: restoring the probe \(actions\) failed, going on without it: .* took longer than 1s/);
    // a service that did not answer once is not asked again in the step
    expect(run.log).toMatch(/cache: restoring the wheelhouse \(actions\) skipped: .* failed earlier in this step/);
    expect(run.outputs).toMatchObject({ 'wheelhouse-cache-hit': 'miss', 'wheels-built': '3' });
    expect(docker.imageBuilds).toHaveLength(1);
  });

  it('a builder named by the builder input is reused, not created, and post keeps it', async () => {
    const docker = new FakeDocker({ builders: ['team-builder'] });
    const run = await step({ docker }, ['--builder', 'team-builder']);
    expect(run.code).toBe(0);
    expect(docker.argsOf('buildx', 'create')).toHaveLength(0);
    expect(run.log).toContain('builder: reusing team-builder');
    expect(run.log).toContain('builder: kept team-builder (not made by the action)');
    expect(docker.argsOf('buildx', 'rm')).toHaveLength(0);
    expect(docker.imageBuilds[0]).toEqual(expect.arrayContaining(['--builder', 'team-builder']));
  });
});

describe('the kubernetes driver', () => {
  it("sets the builder up through the cluster's API main is given, and post removes it", async () => {
    const kube = new FakeKube({
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews': { status: { allowed: true } },
      '/apis/apps/v1/namespaces/ci/deployments': { items: [] }
    });
    const docker = new FakeDocker();
    const run = await step({ docker, kube }, ['--driver', 'kubernetes', '--kubernetes-namespace', 'ci']);
    expect(run.code).toBe(0);
    const create = docker.argsOf('buildx', 'create')[0]!;
    expect(flagValues(create, '--driver')).toEqual(['kubernetes']);
    expect(docker.calls.find((c) => c.args[1] === 'create')?.options.env).toMatchObject({ KUBECONFIG: '/scratch/kubeconfig' });
    expect(kube.calls.some((c) => c.method === 'POST' && c.path.includes('selfsubjectaccessreviews'))).toBe(true);
    expect(run.log).toContain(`builder: removed ${flagValues(create, '--name')[0]}`);
  });
});

describe('a cancelled main', () => {
  it('leaves the builder it registered in its state, and post removes it', async () => {
    process.env.HOME = await fs.mkdtemp(path.join(scratch(), 'home-'));
    const files = { output: path.join(scratch(), 'output'), state: path.join(scratch(), 'state') };
    await Promise.all(Object.values(files).map((f) => fs.writeFile(f, '')));
    Object.assign(process.env, { GITHUB_OUTPUT: files.output, GITHUB_STATE: files.state });
    let cancel: (reason: Error) => void = () => undefined;
    const booting = new Promise((_, reject) => {
      cancel = reject;
    });
    const docker = new FakeDocker({ bootUntil: booting });
    const { main: mainAdapters, post: postAdapters } = adapters({ docker });
    const inputs: Record<string, string> = {
      context: process.env.GITHUB_WORKSPACE!,
      'cache-backend': 'local',
      'local-cache-dir': path.join(scratch(), 'cache')
    };
    const running = main({ ...mainAdapters, getInput: (name) => inputs[name] ?? '' });
    // the runner cancels the job while BuildKit boots: main gets no further
    while (!(await fs.readFile(files.state, 'utf8')).includes('"builder"')) await new Promise((r) => setTimeout(r, 5));
    for (const [name, value] of Object.entries(parseFileCommands(await fs.readFile(files.state, 'utf8'))))
      process.env[`STATE_${name}`] = value;
    await post(postAdapters);
    const removed = docker.argsOf('buildx', 'rm');
    expect(removed).toHaveLength(1);
    expect(docker.argsOf('buildx', 'create')[0]).toEqual(expect.arrayContaining([removed[0]!.at(-1)!]));
    expect(log()).not.toMatch(/saved .* as wheelhouse-v/);
    cancel(new Error('cancelled'));
    await running;
    expect(existsSync(process.env.RUNNER_TEMP!)).toBe(true);
  });
});
