// The post step's decisions, driven with the state main leaves and fakes of buildx, the cache backend and
// the cluster: only changed entries are saved (a folder moved aside for another platform put back first),
// the builder is removed, kept, or left to the run using it, buildx's failure falls back to the API, the
// run's scratch files go, and nothing post meets fails the job.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Answer, FakeBackend } from '../../__fixtures__/cache.js';
import { FakeExec } from '../../__fixtures__/exec.js';
import type { BuilderRecord } from '../../src/builder/record.js';
import type { CachedDir } from '../../src/cache/backend.js';
import type { Lease } from '../../src/builder/kubernetes/metadata.js';
import { type PostAdapters, post } from '../../src/post.js';
import { type PendingSave, STATE_NAME, type State, newState } from '../../src/state.js';
import { capturedLog } from '../../__fixtures__/step.js';

let root: string;
const log = capturedLog();
const env = { ...process.env };

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'post-'));
  process.env.GITHUB_STEP_SUMMARY = path.join(root, 'summary');
  await fs.writeFile(process.env.GITHUB_STEP_SUMMARY, '');
  process.env.GITHUB_RUN_ID = '77';
  process.env.GITHUB_RUN_ATTEMPT = '1';
});

afterEach(async () => {
  process.env = { ...env };
  await fs.rm(root, { recursive: true, force: true });
});

const CACHE: State['cache'] = {
  backend: 'local',
  localDir: '/cache',
  scope: { repository: 'o/r', ref: 'refs/heads/main', reads: ['refs/heads/main'] },
  timeoutSeconds: 30,
  save: true
};

/** A folder of the entry with one file in it. */
async function folder(label: CachedDir['label'], name: string = label): Promise<CachedDir> {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'file'), name);
  return { label, path: `~/.cache/wheelhouse-buildx/${label}`, dir };
}

/** Hands `state` to post as the runner does. */
function leave(state: Partial<State>): void {
  process.env[`STATE_${STATE_NAME}`] = JSON.stringify({ ...newState(CACHE), ...state });
}

interface Fakes {
  readonly exec: FakeExec;
  readonly backend: FakeBackend;
  readonly detached: string[][];
  readonly removed: string[][];
  readonly adapters: PostAdapters;
}

function fakes(answers: Answer[] = [], opts: { exec?: FakeExec; others?: Lease[]; gone?: string[] } = {}): Fakes {
  const exec = opts.exec ?? new FakeExec();
  const backend = new FakeBackend(answers);
  const detached: string[][] = [];
  const removed: string[][] = [];
  return {
    exec,
    backend,
    detached,
    removed,
    adapters: {
      exec: exec.run,
      detach: (program, args) => detached.push([program, ...args]),
      backend: async () => backend,
      cluster: {
        othersUsing: async () => opts.others ?? [],
        removeWorkloads: async (ref) => {
          removed.push([...ref.workloads]);
          return opts.gone ?? [...ref.workloads];
        }
      }
    }
  };
}

const out = (): string => log();

describe('post: saves', () => {
  it('main left nothing: nothing to do', async () => {
    delete process.env[`STATE_${STATE_NAME}`];
    const f = fakes();
    await post(f.adapters);
    expect(out()).toContain('post: main left nothing to save or remove');
    expect(f.backend.calls).toEqual([]);
  });

  it('saves what changed, skips what did not, and says what it saved in the summary', async () => {
    const wheelhouse = await folder('wheelhouse');
    const pip = await folder('pip-cache');
    const saves: PendingSave[] = [
      { entry: wheelhouse, key: 'wheelhouse-v1-k', changed: true },
      { entry: pip, key: 'pip-cache-v1-k', changed: false }
    ];
    leave({ saves });
    const f = fakes([{ kind: 'saved', stored: true }]);
    await post(f.adapters);
    expect(f.backend.calls).toEqual([{ op: 'save', label: 'wheelhouse', key: 'wheelhouse-v1-k' }]);
    expect(out()).toMatch(/wheelhouse: saved \S+ B as wheelhouse-v1-k/);
    expect(out()).toContain('pip-cache: unchanged, not saved');
    expect(readFileSync(process.env.GITHUB_STEP_SUMMARY!, 'utf8')).toMatch(/wheelhouse-buildx saved \S+ B to the actions cache\./);
  });

  it("another platform's folder moved aside is put back in place before it is saved", async () => {
    const wheelhouse = await folder('wheelhouse');
    const staged = await folder('wheelhouse', 'wheelhouse-linux-amd64');
    leave({ saves: [{ entry: wheelhouse, key: 'wheelhouse-v1-linux-amd64-k', changed: true, staged: staged.dir }] });
    const f = fakes([{ kind: 'saved', stored: true }]);
    await post(f.adapters);
    expect(readFileSync(path.join(wheelhouse.dir, 'file'), 'utf8')).toBe('wheelhouse-linux-amd64');
    expect(existsSync(staged.dir)).toBe(false);
    expect(f.backend.calls.map((c) => c.key)).toEqual(['wheelhouse-v1-linux-amd64-k']);
  });

  it('an entry the service refuses is a warning; a failing service too; post goes on', async () => {
    const wheelhouse = await folder('wheelhouse');
    const pip = await folder('pip-cache');
    leave({
      saves: [
        { entry: wheelhouse, key: 'wheelhouse-v1-k', changed: true },
        { entry: pip, key: 'pip-cache-v1-k', changed: true }
      ]
    });
    const f = fakes([
      { kind: 'saved', stored: false },
      { kind: 'fault', message: 'service unavailable' }
    ]);
    await expect(post(f.adapters)).resolves.toBeUndefined();
    expect(out()).toContain(
      '::warning::cache: the wheelhouse was not saved as wheelhouse-v1-k (the key exists already or the service refused it)'
    );
    expect(out()).toMatch(/::warning::.*service unavailable/);
  });

  it('saving off (save-cache: false, or no backend): nothing is saved', async () => {
    leave({ cache: { ...CACHE, save: false }, saves: [{ entry: await folder('wheelhouse'), key: 'k', changed: true }] });
    const f = fakes();
    await post(f.adapters);
    expect(out()).toContain('cache: saving is off');
    expect(f.backend.calls).toEqual([]);
  });
});

describe('post: the builder and the scratch files', () => {
  const builder = (overrides: Partial<BuilderRecord> = {}): BuilderRecord => ({
    name: 'wheelhouse-77-1-abcd',
    env: { DOCKER_CONFIG: '/job/docker' },
    keep: false,
    remove: true,
    stateVolume: 'buildx_buildkit_wheelhouse-77-1-abcd0_state',
    ...overrides
  });

  it('removes the builder, its state volume without waiting, and the scratch files', async () => {
    const scratch = path.join(root, 'scratch');
    await fs.mkdir(scratch);
    leave({ builder: builder(), scratch: [scratch] });
    const f = fakes();
    await post(f.adapters);
    expect(f.exec.argsOf('buildx', 'rm')).toEqual([['buildx', 'rm', '--force', '--keep-state', 'wheelhouse-77-1-abcd']]);
    expect(f.exec.calls[0]?.options.env).toEqual({ DOCKER_CONFIG: '/job/docker' });
    expect(f.detached).toEqual([['docker', 'volume', 'rm', '--force', 'buildx_buildkit_wheelhouse-77-1-abcd0_state']]);
    expect(out()).toContain('builder: removed wheelhouse-77-1-abcd');
    expect(existsSync(scratch)).toBe(false);
  });

  it.each<[string, Partial<BuilderRecord>, string]>([
    ['keep-builder', { keep: true, remove: false }, 'builder: kept wheelhouse-77-1-abcd (keep-builder)'],
    ['a builder the action did not make', { remove: false }, 'builder: kept wheelhouse-77-1-abcd (not made by the action)']
  ])('%s: kept', async (_, overrides, note) => {
    leave({ builder: builder(overrides) });
    const f = fakes();
    await post(f.adapters);
    expect(f.exec.calls).toEqual([]);
    expect(out()).toContain(note);
  });

  const KUBE = { namespace: 'ci', workloads: ['app-amd64', 'app-arm64'], kind: 'deployments' as const };

  it('a cluster builder another run is using is left to it: forgotten here, its workloads kept', async () => {
    leave({ builder: builder({ name: 'app', stateVolume: undefined, kubernetes: KUBE }) });
    const f = fakes([], { others: [{ run: '78-1', at: Date.parse('2026-12-07T10:00:00Z') }] });
    await post(f.adapters);
    expect(f.exec.argsOf('buildx', 'rm')).toEqual([['buildx', 'rm', '--force', '--keep-daemon', 'app']]);
    expect(f.removed).toEqual([]);
    expect(out()).toContain(
      'builder: left ci/app-amd64, app-arm64 to run 78-1, whose main is using it (lease renewed at 2026-12-07T10:00:00.000Z)'
    );
  });

  it('buildx cannot remove a cluster builder (main was cancelled before registering it): its workloads go through the API', async () => {
    leave({ builder: builder({ name: 'app', stateVolume: undefined, kubernetes: KUBE }) });
    const exec = new FakeExec([{ prefix: ['docker', 'buildx', 'rm'], result: { exitCode: 1, stderr: 'ERROR: no builder "app" found' } }]);
    const f = fakes([], { exec, gone: ['app-amd64'] });
    await post(f.adapters);
    expect(f.removed).toEqual([['app-amd64', 'app-arm64']]);
    expect(out()).toContain(
      'builder: buildx could not remove app (docker buildx rm failed with exit code 1:); removing its workload through the API'
    );
    expect(out()).toContain('builder: removed ci/app-amd64');
    expect(out()).toContain('builder: no workload left of ci/app-arm64');
  });

  it('a docker-container builder buildx cannot remove is a warning, never a failure', async () => {
    leave({ builder: builder() });
    const exec = new FakeExec([
      { prefix: ['docker', 'buildx', 'rm'], result: { exitCode: 1, stderr: 'Cannot connect to the Docker daemon' } }
    ]);
    const f = fakes([], { exec });
    await expect(post(f.adapters)).resolves.toBeUndefined();
    expect(out()).toMatch(/::warning::builder: could not remove wheelhouse-77-1-abcd: docker buildx rm failed/);
  });
});
