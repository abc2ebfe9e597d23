// The bench's as-found project (bench/projects/as-found: ranges, an -r include, a -c constraints file,
// the full Python image, one install step, a plain COPY, a new tag per run, no cache-from) on the real
// test bed: a cold run pins the ranges with uv, downloads the binary wheels on the runner and compiles
// only psycopg2 in the image; a bumped range on the next run downloads one wheel and needs no image.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repositoryOf } from '../../src/build/last-push.js';
import { CacheService } from '../support/cache-service/server.js';
import { runImage, runOnFreshRunner, testbedInputs, uniqueTag } from '../support/scenario.js';
import { repoRoot, requireTestbed, testbed } from '../support/testbed.js';

let root: string;
let workspace: string;
let service: CacheService;
let repository: string;

async function run(tag: string): Promise<Awaited<ReturnType<typeof runOnFreshRunner>>> {
  const inputs = { ...testbedInputs(tag), 'build-args': `PYTHON_IMAGE=${testbed.pythonBuildImage}` };
  const result = await runOnFreshRunner(root, workspace, inputs, service);
  expect(result.main.errors).toEqual([]);
  expect(result.main.exitCode).toBe(0);
  return result;
}

const versions = (ref: string): string =>
  runImage(ref, 'python3', '-c', 'import django, gunicorn, psycopg2; print(django.__version__, gunicorn.__version__)').trim();

beforeAll(async () => {
  requireTestbed();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'as-found-'));
  service = await CacheService.start(path.join(root, 'cache-store'));
  workspace = path.join(root, 'workspace');
  await fs.cp(path.join(repoRoot, 'bench/projects/as-found'), workspace, { recursive: true });
  await fs.copyFile(testbed.buildkitdConfig, path.join(workspace, 'buildkitd.toml'));
  repository = repositoryOf(uniqueTag('as-found'));
});

afterAll(async () => {
  await service?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

describe('a project as found', () => {
  let firstDigest = '';

  it('cold: ranges pinned by uv, binary wheels downloaded on the runner, only the sdist compiled in the image', async () => {
    const first = await run(`${repository}:run-1`);
    expect(first.main.outputs['wheelhouse-cache-hit']).toBe('miss');
    expect(first.main.stdout).toMatch(/resolve: 7 requirements resolved to \d+ pins for x86_64-manylinux_2_\d+, Python 3\.11/);
    expect(first.main.stdout).toMatch(/wheels: psycopg2==[\d.]+ must be built in an image; \d+ downloaded on the runner/);
    expect(first.main.stdout).toMatch(/built psycopg2-[\d.]+-cp311-cp311-linux_x86_64\.whl/);
    expect(versions(`${repository}@${first.main.outputs.digest}`)).toMatch(/^5\.2\.\d+ 22\.\d+\.\d+$/);
    firstDigest = first.main.outputs.digest ?? '';
  }, 900_000);

  it('a bumped range on a new tag: one wheel downloaded on the runner, no image for the wheels, the cache from the last push', async () => {
    const requirements = path.join(workspace, 'requirements.txt');
    await fs.writeFile(requirements, (await fs.readFile(requirements, 'utf8')).replace('gunicorn>=22.0,<23', 'gunicorn>=23.0,<24'));
    const second = await run(`${repository}:run-2`);
    expect(second.main.outputs['wheelhouse-cache-hit']).toBe('partial');
    expect(second.main.stdout).toMatch(/wheels: \d+ from the wheelhouse, 1 downloaded on the runner; no image needed/);
    expect(second.main.outputs['wheels-built']).toBe('1');
    expect(second.main.stdout).toContain(`cache-from: ${repository}@${firstDigest} (the last push of this repository`);
    expect(second.post.stdout).toContain('pip-cache: unchanged, not saved');
    expect(versions(`${repository}@${second.main.outputs.digest}`)).toMatch(/^5\.2\.\d+ 23\.\d+\.\d+$/);
  }, 900_000);
});
