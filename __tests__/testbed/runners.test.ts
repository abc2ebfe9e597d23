// The two ways the test bed runs an action: the harness (node main, node post, as the runner does) and a
// real workflow runner (nektos/act). Both are proved with a small probe action that restores a folder
// through @actions/cache in main and saves it in post, against the cache service stand-in.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundle } from '../../scripts/bundle.mjs';
import { commitAll, runWorkflow } from '../support/act.js';
import { CacheService } from '../support/cache-service/server.js';
import { runAction } from '../support/runner.js';
import { repoRoot, requireTestbed } from '../support/testbed.js';

let work: string;
let service: CacheService;

/** The probe action (action.yml and its bundle) placed at `dir`. */
async function placeProbe(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.copyFile(path.join(repoRoot, '__fixtures__/probe-action/action.yml'), path.join(dir, 'action.yml'));
  await fs.cp(path.join(work, 'probe-dist'), path.join(dir, 'dist'), { recursive: true });
}

beforeAll(async () => {
  requireTestbed();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'runners-test-'));
  bundle(path.join(repoRoot, '__fixtures__/probe-action/index.ts'), path.join(work, 'probe-dist'));
  service = await CacheService.start(path.join(work, 'cache-store'));
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await fs.rm(work, { recursive: true, force: true });
});

describe('the runner harness', () => {
  it('runs main then post with inputs, outputs, state and summary, saving and restoring through the stand-in', async () => {
    const actionDir = path.join(work, 'harness-action');
    await placeProbe(actionDir);
    const workspace = path.join(work, 'harness-ws');
    await fs.mkdir(workspace);
    const run = () =>
      runAction({
        actionDir,
        workspace,
        runnerTemp: path.join(work, 'harness-temp'),
        inputs: { path: 'probe-cache', key: 'harness-key-2', 'restore-keys': 'harness-key-', content: 'hello' },
        env: service.env()
      });

    const first = await run();
    expect(first.main.exitCode).toBe(0);
    expect(first.main.outputs['cache-hit']).toBe('miss');
    expect(JSON.parse(first.main.state.probe ?? '{}')).toEqual({ dir: 'probe-cache', key: 'harness-key-2' });
    expect(first.main.summary).toContain('probe restored nothing');
    expect(first.post.exitCode).toBe(0);
    expect(first.post.stdout).toMatch(/probe saved harness-key-2 as entry \d+/);

    await fs.rm(path.join(workspace, 'probe-cache'), { recursive: true });
    const second = await run();
    expect(second.main.outputs['cache-hit']).toBe('exact');
    expect(second.main.outputs['matched-key']).toBe('harness-key-2');
    expect(await fs.readFile(path.join(workspace, 'probe-cache/harness-key-2.txt'), 'utf8')).toBe('hello');
  }, 120_000);
});

describe('nektos/act', () => {
  it('runs a workflow on the host whose local action saves and then restores through the stand-in', async () => {
    const workspace = path.join(work, 'act-ws');
    await placeProbe(path.join(workspace, 'probe'));
    await fs.mkdir(path.join(workspace, '.github/workflows'), { recursive: true });
    await fs.writeFile(
      path.join(workspace, '.github/workflows/smoke.yml'),
      [
        'name: smoke',
        'on: push',
        'jobs:',
        '  smoke:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4',
        '      - run: echo "run step on $RUNNER_OS"',
        '      - id: probe',
        '        uses: ./probe',
        '        with:',
        '          path: probe-cache',
        '          key: act-smoke-${{ env.SMOKE_RUN }}',
        '          restore-keys: act-smoke-',
        '      - run: echo "probe said ${{ steps.probe.outputs.cache-hit }} ${{ steps.probe.outputs.matched-key }}"',
        ''
      ].join('\n')
    );
    commitAll(workspace);
    const cache = { url: `${service.url}/`, token: service.token([{ Scope: 'refs/heads/main', Permission: 3 }]) };

    const first = await runWorkflow({ workspace, workflow: '.github/workflows/smoke.yml', cache, env: { SMOKE_RUN: '1' } });
    expect(first.log).toContain('run step on Linux');
    expect(first.log).toContain('probe said miss');
    expect(first.exitCode).toBe(0);
    expect(service.entries().map((e) => e.key)).toContain('act-smoke-1');

    const second = await runWorkflow({ workspace, workflow: '.github/workflows/smoke.yml', cache, env: { SMOKE_RUN: '2' } });
    expect(second.log).toContain('probe said partial act-smoke-1');
    expect(second.exitCode).toBe(0);
  }, 300_000);
});
