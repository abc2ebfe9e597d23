// The bundled action, run as the runner runs it, on the example app against the real test bed:
// a cold run, a code change on a fresh runner, then a changed dependency set.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { testbedSuite } from '../support/suite.js';
import type { ActionRun } from '../support/runner.js';
import { exampleWorkspace, runImage, runOnFreshRunner, stepReused, testbedInputs, uniqueTag } from '../support/scenario.js';

const suite = testbedSuite('action-e2e');

const INSTALL_STEP = /RUN --mount=type=bind,from=wheelhouse.*pip install/;
const BASE_STEP = /RUN --mount=type=bind,from=wheelhouse-base,.*pip install/;
const TOP_STEP = /RUN --mount=type=bind,from=wheelhouse,.*pip install/;

let workspace: string;
let tag: string;
const runs: ActionRun[] = [];

async function wheelsInEntry(key: string): Promise<string[]> {
  const entry = suite.service.entries().find((e) => e.key === key);
  if (!entry) throw new Error(`no cache entry ${key}`);
  const archive = path.join(suite.root, `entry-${entry.id}.tzst`);
  await fs.writeFile(archive, await suite.service.blob(entry.id));
  return execFileSync('tar', ['--zstd', '-tf', archive], { encoding: 'utf8' })
    .split('\n')
    .filter((p) => p.endsWith('.whl'))
    .map((p) => (path.basename(path.dirname(p)) === 'base' ? `base/${path.basename(p)}` : path.basename(p)))
    .sort();
}

/** The docker volumes whose names start with `prefix`. */
function volumes(prefix: string): string[] {
  return execFileSync('docker', ['volume', 'ls', '-q'], { encoding: 'utf8' })
    .split('\n')
    .filter((v) => v.startsWith(prefix));
}

function expectClean(run: ActionRun): void {
  expect(run.main.errors).toEqual([]);
  expect(run.main.exitCode).toBe(0);
  expect(run.post.exitCode).toBe(0);
}

beforeAll(async () => {
  workspace = await exampleWorkspace(path.join(suite.root, 'workspace'));
  tag = uniqueTag('app');
});

describe('the action on the example app', () => {
  it('cold: misses, builds every wheel in the wheel image, pushes an image that imports every package, saves', async () => {
    const run = await runOnFreshRunner(suite.root, workspace, testbedInputs(tag), suite.service);
    runs.push(run);
    expectClean(run);
    const out = run.main.outputs;
    expect(out['wheelhouse-cache-hit']).toBe('miss');
    expect(out['wheelhouse-key']).toMatch(/^wheelhouse-v1-linux-amd64-cp311-glibc2\.\d+-pip-[0-9a-f]{32}$/);
    expect(Number(out['wheels-built'])).toBe(42);
    expect(out['wheels-reused']).toBe('0');
    // the binary wheels come from the runner; only psycopg2 (an sdist) is compiled in the wheel image
    expect(run.main.stdout).toMatch(/wheels: psycopg2==[\d.]+ must be built in an image; 41 downloaded on the runner/);
    expect(out.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    // BuildKit boots during keys and restore; `boot` is what was left to wait for
    expect(Object.keys(JSON.parse(out.timings ?? '{}'))).toEqual(['builder', 'keys', 'restore', 'boot', 'wheels', 'build']);
    expect(run.main.stdout).toMatch(/builder: wheelhouse-\S+ is up, building for linux\/amd64/);
    expect(run.main.summary).toContain('miss');
    // the example's Dockerfile has the fast form: the advisor has nothing to say
    expect(run.main.stdout).not.toContain('dockerfile advice');
    expect(run.main.summary).not.toContain('slow steps');
    expect(run.post.stdout).toMatch(/wheelhouse: saved .* as wheelhouse-v1-/);

    // the builder is gone at once; its state volume is deleted after post, without post waiting for it
    const builder = /builder: removed (\S+)/.exec(run.post.stdout)?.[1];
    expect(builder).toMatch(/^wheelhouse-/);
    expect(execFileSync('docker', ['buildx', 'ls', '--format', '{{.Name}}'], { encoding: 'utf8' })).not.toContain(builder);
    const deadline = Date.now() + 60_000;
    while (volumes(`buildx_buildkit_${builder}`).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    expect(volumes(`buildx_buildkit_${builder}`)).toEqual([]);

    const saved = await wheelsInEntry(out['wheelhouse-key']!);
    expect(saved).toHaveLength(42);
    expect(saved.some((w) => /^psycopg2-2\.9\.13-cp311-cp311-linux_x86_64\.whl$/.test(w))).toBe(true);

    const check = runImage(`${tag.replace(/:latest$/, '')}@${out.digest}`, 'python3', 'scripts/check_imports.py');
    expect(check).toMatch(/imported \d+ modules/);
    expect(check).not.toContain('FAILED');

    // build-push-action's default provenance on a run without a private repository: mode=max, which
    // records the build's configuration (mode=min does not)
    expect(run.main.stdout).toMatch(/--attest type=provenance,mode=max/);
    const provenance = JSON.parse(
      execFileSync(
        'docker',
        ['buildx', 'imagetools', 'inspect', `${tag.replace(/:latest$/, '')}@${out.digest}`, '--format', '{{json .Provenance}}'],
        { encoding: 'utf8' }
      )
    ) as { SLSA?: { buildConfig?: unknown; buildDefinition?: { internalParameters?: { buildConfig?: unknown } } } };
    // SLSA 1 (BuildKit's default now) keeps it under the internal parameters, SLSA 0.2 at the top
    expect(provenance.SLSA?.buildDefinition?.internalParameters?.buildConfig ?? provenance.SLSA?.buildConfig).toBeDefined();
  }, 600_000);

  it('code change on a fresh runner: exact hit, no wheel built, dependency layer from the inline cache, new digest', async () => {
    const views = path.join(workspace, 'site_app/views.py');
    await fs.writeFile(views, (await fs.readFile(views, 'utf8')).replace('Hello from the wheelhouse example', 'Hello again'));
    const run = await runOnFreshRunner(suite.root, workspace, testbedInputs(tag), suite.service);
    runs.push(run);
    expectClean(run);
    const out = run.main.outputs;
    expect(out['wheelhouse-cache-hit']).toBe('exact');
    expect(out['cache-hit']).toBe('true');
    expect(out['wheelhouse-key']).toBe(runs[0]!.main.outputs['wheelhouse-key']);
    expect(out['wheels-built']).toBe('0');
    expect(out['wheels-reused']).toBe('42');
    expect(stepReused(run.main.stdout, INSTALL_STEP)).toBe(true);
    expect(out.digest).toMatch(/^sha256:/);
    expect(out.digest).not.toBe(runs[0]!.main.outputs.digest);
    expect(run.post.stdout).toContain('wheelhouse: unchanged, not saved');
    // the target's answer came from the cold run's probe (found by the image reference, checked by digest)
    expect(run.main.stdout).toMatch(/target: Python from the cached probe of sha256:[0-9a-f]{64}/);

    const greeting = runImage(
      `${tag.replace(/:latest$/, '')}@${out.digest}`,
      'python3',
      '-c',
      'from site_app import views; print(views.GREETING)'
    );
    expect(greeting.trim()).toBe('Hello again');
  }, 600_000);

  it('dependency bumped on a fresh runner: the base layer is reused, only the new version is installed on top, the old wheel kept for the base', async () => {
    const requirements = path.join(workspace, 'requirements.txt');
    const text = await fs.readFile(requirements, 'utf8');
    expect(text).toContain('sqlparse==0.6.1\n');
    await fs.writeFile(requirements, text.replace('sqlparse==0.6.1\n', 'sqlparse==0.5.3\n'));
    const run = await runOnFreshRunner(suite.root, workspace, testbedInputs(tag), suite.service);
    runs.push(run);
    expectClean(run);
    const out = run.main.outputs;
    expect(out['wheelhouse-cache-hit']).toBe('partial');
    expect(out['wheels-built']).toBe('1');
    expect(run.main.stdout).toMatch(/pruned sqlparse-0\.6\.1-/);
    // a complete pinned set: uv names each wheel, the runner downloads the one it lacks, no image
    expect(run.main.stdout).toContain('wheels: 41 from the wheelhouse, 1 downloaded on the runner; no image needed');
    expect(run.main.stdout).toContain('wheelhouse base: 42 wheels, kept, 1 on top');
    expect(stepReused(run.main.stdout, BASE_STEP)).toBe(true);
    expect(stepReused(run.main.stdout, TOP_STEP)).toBe(false);
    expect(run.main.stdout).toMatch(/Successfully installed sqlparse-0\.5\.3/);

    const saved = await wheelsInEntry(out['wheelhouse-key']!);
    expect(saved).toHaveLength(43);
    expect(saved.filter((w) => w.includes('sqlparse-'))).toEqual([
      'base/sqlparse-0.6.1-py3-none-any.whl',
      'sqlparse-0.5.3-py3-none-any.whl'
    ]);

    const versions = runImage(
      `${tag.replace(/:latest$/, '')}@${out.digest}`,
      'python3',
      '-c',
      'import importlib.metadata as m; print([d.version for d in m.distributions() if d.metadata["Name"] == "sqlparse"])'
    );
    expect(versions.trim()).toBe("['0.5.3']");
  }, 600_000);

  it('dependency added and one removed: partial hit, only the new wheel built, the removed one pruned from the saved wheelhouse', async () => {
    const requirements = path.join(workspace, 'requirements.txt');
    const text = await fs.readFile(requirements, 'utf8');
    await fs.writeFile(requirements, `${text.replace('gunicorn==23.0.0\n', '')}six==1.17.0\n`);
    const run = await runOnFreshRunner(suite.root, workspace, testbedInputs(tag), suite.service);
    runs.push(run);
    expectClean(run);
    const out = run.main.outputs;
    expect(out['wheelhouse-cache-hit']).toBe('partial');
    expect(out['wheelhouse-key']).not.toBe(runs[0]!.main.outputs['wheelhouse-key']);
    expect(out['wheels-built']).toBe('1');
    expect(out['wheels-reused']).toBe('41');
    expect(run.main.stdout).toContain('built six-1.17.0-py2.py3-none-any.whl');
    expect(run.main.stdout).toContain('wheels: 41 from the wheelhouse, 1 downloaded on the runner; no image needed');
    expect(run.main.stdout).toMatch(/pruned gunicorn-23\.0\.0-.*\.whl/);
    expect(run.main.stdout).toContain('wheelhouse base: 42 wheels, made again (gunicorn is no longer required)');
    expect(stepReused(run.main.stdout, BASE_STEP)).toBe(false);

    const saved = await wheelsInEntry(out['wheelhouse-key']!);
    expect(saved).toHaveLength(42);
    expect(saved).toContain('six-1.17.0-py2.py3-none-any.whl');
    expect(saved.some((w) => w.includes('gunicorn-'))).toBe(false);
    expect(saved.some((w) => w.startsWith('base/'))).toBe(false); // the base is the current set again
  }, 600_000);
});
