// A new tag per run and no cache-from (the README's own example): the second run imports the inline
// cache from the image the first run pushed, by digest, and reuses its dependency layer; a remembered
// image the registry no longer has is only noted.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { localEntryDir } from '../../src/cache/local.js';
import { cacheScope } from '../../src/inputs/config.js';
import { repositoryOf } from '../../src/inputs/image-ref.js';
import { lastPushKeys } from '../../src/keys/key.js';
import { testbedSuite } from '../support/suite.js';
import { cleanRun } from '../support/clean-run.js';
import { stepReused, uniqueTag } from '../support/scenario.js';
import { testbed } from '../support/testbed.js';

const suite = testbedSuite('per-run-tags');

const DOCKERFILE = `ARG PYTHON_IMAGE=python:3.11-slim
FROM \${PYTHON_IMAGE}
WORKDIR /app
COPY requirements.txt ./
RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse \\
    python3 -m pip install --no-cache-dir --no-index --find-links /wheelhouse -r requirements.txt
COPY app.py ./
`;
const INSTALL = /pip install --no-cache-dir --no-index/;

let workspace: string;
let repository: string;

const run = (tag: string, extra: Record<string, string> = {}): ReturnType<typeof cleanRun> =>
  cleanRun(suite.root, workspace, suite.service, tag, extra);

beforeAll(async () => {
  workspace = path.join(suite.root, 'workspace');
  await fs.mkdir(workspace);
  await fs.writeFile(path.join(workspace, 'Dockerfile'), DOCKERFILE);
  await fs.writeFile(path.join(workspace, 'requirements.txt'), 'six==1.17.0\n');
  await fs.writeFile(path.join(workspace, 'app.py'), 'print("one")\n');
  await fs.copyFile(testbed.buildkitdConfig, path.join(workspace, 'buildkitd.toml'));
  repository = repositoryOf(uniqueTag('per-run'));
});

describe('a new tag per run', () => {
  it('the second run imports the cache from the image the first pushed, and reuses the dependency layer', async () => {
    const first = await run(`${repository}:run-1`);
    expect(first.post.stdout).toMatch(/last-push: saved .* as wheelhouse-lastpush-v1-linux-amd64-/);
    // setup-buildx-action's outputs, from the builder the run made
    expect(first.main.outputs.name).toMatch(/^wheelhouse-/);
    expect(first.main.outputs.driver).toBe('docker-container');
    expect(first.main.outputs.platforms?.split(',')).toContain('linux/amd64');
    const nodes = JSON.parse(first.main.outputs.nodes ?? '[]') as { name: string; status: string; buildkit: string }[];
    expect(nodes.map((n) => [n.name, n.status, n.buildkit])).toEqual([
      [`${first.main.outputs.name}0`, 'running', testbed.buildkitImage.split(':').pop()]
    ]);

    await fs.writeFile(path.join(workspace, 'app.py'), 'print("two")\n');
    const second = await run(`${repository}:run-2`);
    expect(second.main.stdout).toContain(`cache-from: ${repository}@${first.main.outputs.digest} (the last push of this repository`);
    expect(second.main.stdout).toContain(`cache-from: ${repository}:run-2 does not exist yet`);
    expect(stepReused(second.main.stdout, INSTALL)).toBe(true);
  }, 600_000);

  it('without the remembered push (cache-from set to the new tag alone), the same run installs again', async () => {
    await fs.writeFile(path.join(workspace, 'app.py'), 'print("three")\n');
    const third = await run(`${repository}:run-3`, { 'cache-from': `type=registry,ref=${repository}:run-3` });
    expect(third.main.stdout).not.toContain('(the last push of this repository');
    expect(stepReused(third.main.stdout, INSTALL)).toBe(false);
  }, 600_000);

  it('a remembered image the registry no longer has: a note, and the build goes on without it', async () => {
    const store = path.join(suite.root, 'local-store');
    const gone = `${repository}@sha256:${'0'.repeat(64)}`;
    // the run's scope: the runner's own variables (the test sets none)
    const entry = localEntryDir(
      store,
      cacheScope(process.env),
      'last-push',
      `${lastPushKeys('linux/amd64', repository, '').restore[0]}gone`
    );
    await fs.mkdir(entry, { recursive: true });
    await fs.writeFile(path.join(entry, 'image.json'), JSON.stringify({ image: gone }));
    const result = await run(`${repository}:run-4`, { 'cache-backend': 'local', 'local-cache-dir': store });
    expect(result.main.stdout).toContain(`cache-from: ${gone} does not exist yet`);
    expect(result.main.warnings.filter((w) => /cache-from/.test(w))).toEqual([]);
  }, 600_000);
});
