// Offline first, on a small app against the real test bed: a fully pinned set resolves from the
// restored wheelhouse; when that cannot complete (a constraint moved to a version the wheelhouse lacks)
// the wheel build falls back to the index; a set with a range is pinned for the target by uv on the
// runner, which then takes the wheels from the wheelhouse and downloads the binary ones it lacks, with
// no image; a range nothing satisfies fails the step with one message.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { testbedSuite } from '../support/suite.js';
import { runImage, runOnFreshRunner, testbedInputs, uniqueTag } from '../support/scenario.js';
import { testbed } from '../support/testbed.js';

const suite = testbedSuite('offline-e2e');

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

let workspace: string;
let tag: string;

async function write(requirements: string, constraints: string): Promise<void> {
  await fs.writeFile(path.join(workspace, 'requirements.txt'), requirements);
  await fs.writeFile(path.join(workspace, 'constraints.txt'), constraints);
}

async function run(): Promise<Awaited<ReturnType<typeof runOnFreshRunner>>> {
  const result = await runOnFreshRunner(suite.root, workspace, testbedInputs(tag), suite.service);
  expect(result.main.errors).toEqual([]);
  expect(result.main.exitCode).toBe(0);
  return result;
}

beforeAll(async () => {
  workspace = path.join(suite.root, 'workspace');
  await fs.mkdir(workspace);
  await fs.writeFile(path.join(workspace, 'Dockerfile'), DOCKERFILE);
  await fs.copyFile(testbed.buildkitdConfig, path.join(workspace, 'buildkitd.toml'));
  tag = uniqueTag('offline');
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

  it('a range in the set: pinned for the target by uv on the runner, every wheel taken from the wheelhouse, no image', async () => {
    await write('-c constraints.txt\npython-dateutil>=2.8,<2.10\n', 'six==1.17.0\n');
    const third = await run();
    expect(third.main.outputs['wheelhouse-cache-hit']).toBe('partial');
    expect(third.main.stdout).toMatch(/resolve: 1 requirements resolved to 2 pins for x86_64-manylinux_2_\d+, Python 3\.11 \(uv /);
    // the newest python-dateutil in the range is the one the wheelhouse holds: nothing is fetched
    expect(third.main.stdout).toContain('wheels: 2 from the wheelhouse, 0 downloaded on the runner; no image needed');
    expect(third.main.stdout).not.toMatch(/wheels: .* made in /);
    expect(third.main.outputs['wheels-built']).toBe('0');
    const version = runImage(
      `${tag.replace(/:latest$/, '')}@${third.main.outputs.digest}`,
      'python3',
      '-c',
      'import dateutil; print(dateutil.__version__)'
    ).trim();
    expect(version).toBe('2.9.0.post0');
  }, 600_000);

  it('a range that moves past the wheelhouse: the new wheels downloaded on the runner, checked, the rest taken from the wheelhouse', async () => {
    await write('-c constraints.txt\npython-dateutil>=2.8\n', 'six==1.17.0\n');
    const fourth = await run();
    const pins = /resolve: 1 requirements resolved to (\d+) pins/.exec(fourth.main.stdout)?.[1];
    expect(Number(pins)).toBeGreaterThanOrEqual(1);
    const [, reused, downloaded] =
      /wheels: (\d+) from the wheelhouse, (\d+) downloaded on the runner; no image needed/.exec(fourth.main.stdout) ?? [];
    expect(Number(reused) + Number(downloaded)).toBe(Number(pins));
    expect(fourth.main.outputs['wheels-built']).toBe(downloaded);
    const built = /built python_dateutil-([^-]+)-/.exec(fourth.main.stdout)?.[1];
    const version = runImage(
      `${tag.replace(/:latest$/, '')}@${fourth.main.outputs.digest}`,
      'python3',
      '-c',
      'import dateutil; print(dateutil.__version__)'
    ).trim();
    // the index's newest: the wheelhouse's 2.9.0.post0 when nothing newer exists, else the one fetched
    expect(version).toBe(built ?? '2.9.0.post0');
  }, 600_000);

  it('a range no version satisfies: one error naming the requirement and the target', async () => {
    await write('-c constraints.txt\npython-dateutil>=99\n', 'six==1.17.0\n');
    const result = await runOnFreshRunner(suite.root, workspace, testbedInputs(tag), suite.service);
    expect(result.main.exitCode).not.toBe(0);
    expect(result.main.errors).toHaveLength(1);
    expect(result.main.errors[0]).toMatch(
      /^no versions satisfy the requirements for linux\/amd64, cp311, glibc2\.\d+: .*python-dateutil>=99/
    );
  }, 600_000);
});
