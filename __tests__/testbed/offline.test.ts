// Offline first, on a small app against the real test bed: a fully pinned set resolves from the
// restored wheelhouse; when that cannot complete (a constraint moved to a version the wheelhouse lacks)
// the wheel build falls back to the index; a set with a range is resolved against the index as before.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CacheService } from '../support/cache-service/server.js';
import { runImage, runOnFreshRunner, testbedInputs, uniqueTag } from '../support/scenario.js';
import { requireTestbed, testbed } from '../support/testbed.js';

const OFFLINE = /wheels: \d+ of \d+ pins not in the wheelhouse; the rest resolve offline/;
const DOCKERFILE = `ARG PYTHON_IMAGE=python:3.11-slim
FROM \${PYTHON_IMAGE}
WORKDIR /app
RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse \\
    python3 -m pip install --no-cache-dir --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt
COPY requirements.txt constraints.txt ./
RUN --mount=type=bind,from=wheelhouse,target=/wheelhouse \\
    python3 -m pip install --no-cache-dir --no-index --find-links /wheelhouse -r requirements.txt
COPY --link . .
`;
const VERSIONS = ['python3', '-c', 'import dateutil, six; print(dateutil.__version__, six.__version__)'];

let root: string;
let workspace: string;
let service: CacheService;
let tag: string;

async function write(requirements: string, constraints: string): Promise<void> {
  await fs.writeFile(path.join(workspace, 'requirements.txt'), requirements);
  await fs.writeFile(path.join(workspace, 'constraints.txt'), constraints);
}

async function run(): Promise<Awaited<ReturnType<typeof runOnFreshRunner>>> {
  const result = await runOnFreshRunner(root, workspace, testbedInputs(tag), service);
  expect(result.main.errors).toEqual([]);
  expect(result.main.exitCode).toBe(0);
  return result;
}

beforeAll(async () => {
  requireTestbed();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'offline-e2e-'));
  service = await CacheService.start(path.join(root, 'cache-store'));
  workspace = path.join(root, 'workspace');
  await fs.mkdir(workspace);
  await fs.writeFile(path.join(workspace, 'Dockerfile'), DOCKERFILE);
  await fs.copyFile(testbed.buildkitdConfig, path.join(workspace, 'buildkitd.toml'));
  tag = uniqueTag('offline');
});

afterAll(async () => {
  await service?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

describe('offline first', () => {
  it('a constraint moved to a version the wheelhouse lacks: the offline resolution fails, the index resolves it', async () => {
    await write('-c constraints.txt\npython-dateutil==2.9.0.post0\n', 'six==1.16.0\n');
    const first = await run();
    expect(first.main.outputs['wheelhouse-cache-hit']).toBe('miss');
    expect(first.main.outputs['wheels-built']).toBe('2');
    expect(first.main.stdout).not.toMatch(OFFLINE); // nothing restored: nothing to resolve from

    await write('-c constraints.txt\npython-dateutil==2.9.0.post0\n', 'six==1.17.0\n');
    const second = await run();
    expect(second.main.outputs['wheelhouse-cache-hit']).toBe('partial');
    expect(second.main.stdout).toContain('wheels: 0 of 1 pins not in the wheelhouse; the rest resolve offline');
    expect(second.main.stdout).toContain('built six-1.17.0-py2.py3-none-any.whl');
    expect(second.main.stdout).toMatch(/pruned six-1\.16\.0-/);
    expect(runImage(`${tag.replace(/:latest$/, '')}@${second.main.outputs.digest}`, ...VERSIONS).trim()).toBe('2.9.0.post0 1.17.0');
  }, 600_000);

  it('a range in the set: resolved against the index as a whole, free to move past what the wheelhouse holds', async () => {
    await write('-c constraints.txt\npython-dateutil>=2.8\n', 'six==1.17.0\n');
    const third = await run();
    expect(third.main.outputs['wheelhouse-cache-hit']).toBe('partial');
    expect(third.main.stdout).not.toMatch(OFFLINE);
    const version = runImage(`${tag.replace(/:latest$/, '')}@${third.main.outputs.digest}`, 'python3', '-c', 'import dateutil; print(dateutil.__version__)').trim();
    const [major = 0, minor = 0] = version.split('.').map(Number);
    expect(major * 100 + minor).toBeGreaterThanOrEqual(209); // the index's newest: at least the pinned 2.9 the wheelhouse holds
  }, 600_000);
});
