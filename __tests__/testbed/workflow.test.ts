// The action in a real workflow run by nektos/act (`uses: ./`), twice on fresh runners sharing the
// cache service: the first run saves the wheelhouse, the second restores it on an exact key.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitAll, runWorkflow } from '../support/act.js';
import { CacheService } from '../support/cache-service/server.js';
import { testbedInputs, uniqueTag } from '../support/scenario.js';
import { repoRoot, requireTestbed, testbed } from '../support/testbed.js';

let root: string;
let service: CacheService;

/** A repository holding the action at its root (action.yml, dist/) and the example app. */
async function actionRepository(dir: string, image: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.copyFile(path.join(repoRoot, 'action.yml'), path.join(dir, 'action.yml'));
  await fs.cp(path.join(repoRoot, 'dist'), path.join(dir, 'dist'), { recursive: true });
  await fs.cp(path.join(repoRoot, 'examples/app'), path.join(dir, 'examples/app'), { recursive: true });
  await fs.copyFile(testbed.buildkitdConfig, path.join(dir, 'buildkitd.toml'));
  const inputs = { ...testbedInputs(image), context: 'examples/app' };
  const withLines = Object.entries(inputs).flatMap(([k, v]) =>
    v.includes('\n') ? [`          ${k}: |`, ...v.split('\n').map((l) => `            ${l}`)] : [`          ${k}: ${v}`]
  );
  await fs.mkdir(path.join(dir, '.github/workflows'), { recursive: true });
  await fs.writeFile(
    path.join(dir, '.github/workflows/image.yml'),
    [
      'name: image',
      'on: push',
      'jobs:',
      '  image:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - id: build',
      '        uses: ./',
      '        with:',
      ...withLines,
      '      - run: echo "result hit=${{ steps.build.outputs.wheelhouse-cache-hit }} built=${{ steps.build.outputs.wheels-built }} reused=${{ steps.build.outputs.wheels-reused }} digest=${{ steps.build.outputs.digest }}"',
      ''
    ].join('\n')
  );
  commitAll(dir);
}

beforeAll(async () => {
  requireTestbed();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'workflow-e2e-'));
  service = await CacheService.start(path.join(root, 'cache-store'));
});

afterAll(async () => {
  await service?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

describe('the action in a workflow run by nektos/act', () => {
  it('saves the wheelhouse in the first run and restores it on an exact key in the second', async () => {
    const repo = path.join(root, 'repo');
    await actionRepository(repo, uniqueTag('workflow'));
    const home = path.join(root, 'home');
    const job = async (): Promise<{ exitCode: number; log: string }> => {
      await fs.rm(home, { recursive: true, force: true });
      await fs.mkdir(home, { recursive: true });
      return runWorkflow({
        workspace: repo,
        workflow: '.github/workflows/image.yml',
        cache: { url: `${service.url}/`, token: service.token([{ Scope: 'refs/heads/main', Permission: 3 }]) },
        env: { HOME: home },
        processEnv: { HOME: home }
      });
    };

    const first = await job();
    expect(first.log).toMatch(/result hit=miss built=42 reused=0 digest=sha256:[0-9a-f]{64}/);
    expect(first.log).toMatch(/wheelhouse: saved .* as wheelhouse-v1-/);
    expect(first.exitCode).toBe(0);

    const second = await job();
    expect(second.log).toMatch(/result hit=exact built=0 reused=42 digest=sha256:[0-9a-f]{64}/);
    expect(second.exitCode).toBe(0);
  }, 900_000);

  it("the repository's own e2e.yml: the second job finds the first job's wheelhouse, an exact hit", async () => {
    const repo = path.join(root, 'e2e-repo');
    await fs.mkdir(path.join(repo, '.github/workflows'), { recursive: true });
    await fs.copyFile(path.join(repoRoot, 'action.yml'), path.join(repo, 'action.yml'));
    await fs.cp(path.join(repoRoot, 'dist'), path.join(repo, 'dist'), { recursive: true });
    await fs.cp(path.join(repoRoot, 'examples/app'), path.join(repo, 'examples/app'), { recursive: true });
    await fs.copyFile(testbed.buildkitdConfig, path.join(repo, 'buildkitd.toml'));
    await fs.copyFile(path.join(repoRoot, '.github/workflows/e2e.yml'), path.join(repo, '.github/workflows/e2e.yml'));
    commitAll(repo);
    const home = path.join(root, 'e2e-home');
    await fs.mkdir(home, { recursive: true });
    const inputs = testbedInputs(uniqueTag('e2e'));
    const run = await runWorkflow({
      workspace: repo,
      workflow: '.github/workflows/e2e.yml',
      cache: { url: `${service.url}/`, token: service.token([{ Scope: 'refs/heads/main', Permission: 3 }]) },
      vars: {
        REGISTRY: `${testbed.registry}/e2e-workflow`,
        // one option a line: driver options are not split at commas (values hold them), as in setup-buildx-action
        DRIVER_OPTS: inputs['driver-opts']!,
        BUILD_ARGS: inputs['build-args']!,
        BUILDKITD_CONFIG: 'buildkitd.toml'
      },
      env: { HOME: home },
      processEnv: { HOME: home }
    });
    expect(run.log).toMatch(/e2e: exact hit on wheelhouse-v1-/);
    // the test bed's registry stands in for the hosted runner's own: that step is skipped
    expect(run.log).not.toMatch(/Run Main a registry on the runner/);
    expect(run.exitCode).toBe(0);
  }, 900_000);
});
