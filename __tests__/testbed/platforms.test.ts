// Another platform than the runner's: linux/arm64 on an amd64 machine, through QEMU's emulators
// registered by the test bed (testbed/lib/emulation.sh), from multi-platform Python images. The target
// is probed under emulation, binary wheels for aarch64 are downloaded on the runner (nothing emulated),
// the one sdist compiles in the arm64 wheel image, and the image built runs as aarch64. Then both
// platforms in one step: a wheelhouse each (the arm64 one the step above saved), one image index.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { testbedSuite } from '../support/suite.js';
import type { ActionRun } from '../support/runner.js';
import { runOnFreshRunner, stepReused, uniqueTag } from '../support/scenario.js';
import { repoRoot, testbed } from '../support/testbed.js';

const suite = testbedSuite('platforms');

let workspace: string;
let tag: string;
const runs: ActionRun[] = [];

const inputs = (platforms = 'linux/arm64', on = tag): Record<string, string> => ({
  tags: on,
  push: 'true',
  platforms,
  'build-args': `PYTHON_IMAGE=${testbed.pythonSlimMulti}`,
  // the builder from BuildKit's index: the runner's platform is pulled
  'driver-opts': `image=${testbed.buildkitMulti}\nnetwork=host`,
  'buildkitd-config': 'buildkitd.toml'
});

/** What the platforms-app prints when `image` runs on `platform`. */
function runOn(image: string, platform: string): string {
  execFileSync('docker', ['pull', '-q', '--platform', platform, image], { stdio: 'ignore' });
  try {
    return execFileSync('docker', ['run', '--rm', '--network', 'none', '--platform', platform, image], { encoding: 'utf8' }).trim();
  } finally {
    execFileSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
  }
}

/** The image's platforms, as the registry's manifest (or index) says. */
function platformsOf(ref: string): string[] {
  const raw = JSON.parse(execFileSync('docker', ['buildx', 'imagetools', 'inspect', '--raw', ref], { encoding: 'utf8' })) as {
    manifests?: { platform?: { os: string; architecture: string } }[];
  };
  return (raw.manifests ?? [])
    .flatMap((m) => (m.platform && m.platform.os !== 'unknown' ? [`${m.platform.os}/${m.platform.architecture}`] : []))
    .sort();
}

beforeAll(async () => {
  workspace = path.join(suite.root, 'workspace');
  await fs.cp(path.join(repoRoot, '__fixtures__/platforms-app'), workspace, { recursive: true });
  await fs.copyFile(testbed.buildkitdConfig, path.join(workspace, 'buildkitd.toml'));
  tag = uniqueTag('arm64');
});

describe('linux/arm64 on an amd64 runner, emulated', () => {
  it('cold: probes the arm64 target, downloads the aarch64 wheels on the runner, compiles the sdist under QEMU, pushes an arm64 image that runs', async () => {
    const run = await runOnFreshRunner(suite.root, workspace, inputs(), suite.service);
    runs.push(run);
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.post.exitCode).toBe(0);
    const out = run.main.outputs;
    expect(out['wheelhouse-key']).toMatch(/^wheelhouse-v1-linux-arm64-cp311-glibc2\.\d+-pip-[0-9a-f]{32}$/);
    expect(out['wheels-built']).toBe('5');
    expect(run.main.stdout).toMatch(/wheels: psycopg2==2\.9\.13 must be built in an image; 4 downloaded on the runner/);
    expect(run.main.stdout).toContain(`wheels built in ${testbed.pythonBuildMulti}`);
    // the wheels are aarch64's: the downloaded binary one and the compiled one
    expect(run.main.stdout).toMatch(/built charset_normalizer-3\.5\.2-[^\s]*manylinux[^\s]*aarch64[^\s]*\.whl/);
    expect(run.main.stdout).toMatch(/built psycopg2-2\.9\.13-cp311-cp311-linux_aarch64\.whl/);
    // every install in the image is from the wheelhouse alone
    expect(run.main.stdout).not.toMatch(/pip install (?![^\n]*--no-index)/);

    // the wheelhouse image, the build's named context, is the arm64 platform's
    const wheelhouseImage = out['wheelhouse-image'] ?? '';
    expect(wheelhouseImage).toMatch(/@sha256:[0-9a-f]{64}$/);
    const config = JSON.parse(
      execFileSync('docker', ['buildx', 'imagetools', 'inspect', wheelhouseImage, '--format', '{{json .Image}}'], { encoding: 'utf8' })
    ) as { os?: string; architecture?: string };
    expect(`${config.os}/${config.architecture}`).toBe('linux/arm64');

    const image = `${tag.replace(/:latest$/, '')}@${out.digest}`;
    expect(platformsOf(image)).toEqual(['linux/arm64']);
    expect(runOn(image, 'linux/arm64')).toMatch(/^aarch64 django=5\.2\.19 psycopg2=2\.9\.13 charset_normalizer=3\.5\.2 sqlparse=0\.6\.1$/);
  }, 1_200_000);

  it('a second run on a fresh runner: an exact hit for arm64, no wheel built, the install steps cached', async () => {
    const run = await runOnFreshRunner(suite.root, workspace, inputs(), suite.service);
    runs.push(run);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.outputs['wheelhouse-cache-hit']).toBe('exact');
    expect(run.main.outputs['wheelhouse-key']).toBe(runs[0]!.main.outputs['wheelhouse-key']);
    expect(run.main.outputs['wheels-built']).toBe('0');
    expect(stepReused(run.main.stdout, /RUN --mount=type=bind,from=wheelhouse,.*pip install/)).toBe(true);
  }, 600_000);
});

describe('linux/amd64 and linux/arm64 in one step', () => {
  let multi: string;
  const both = 'linux/amd64,linux/arm64';
  const runsOfBoth: ActionRun[] = [];
  const KEY = /^wheelhouse-v1-linux-(amd64|arm64)-cp311-glibc2\.\d+-pip-[0-9a-f]{32}$/;

  beforeAll(() => {
    multi = uniqueTag('multi');
  });

  it("a wheelhouse each (arm64's the exact hit the step above saved, amd64's built), one index of both images, every install from the wheelhouse", async () => {
    const run = await runOnFreshRunner(suite.root, workspace, inputs(both, multi), suite.service);
    runsOfBoth.push(run);
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.post.exitCode).toBe(0);
    const out = run.main.outputs;
    const keys = (out['wheelhouse-key'] ?? '').split('\n');
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toMatch(KEY);
    expect(keys[1]).toBe(runs[0]!.main.outputs['wheelhouse-key']);
    expect(out['wheelhouse-cache-hit']).toBe('partial');
    expect(out['wheels-built']).toBe('5');
    expect(run.main.stdout).toMatch(/built psycopg2-2\.9\.13-cp311-cp311-linux_x86_64\.whl/);
    expect(run.main.stdout).not.toMatch(/built psycopg2-2\.9\.13-cp311-cp311-linux_aarch64\.whl/);
    expect(run.main.stdout).not.toMatch(/pip install (?![^\n]*--no-index)/);
    // post saves the amd64 wheelhouse (moved back in place for it) under its own key
    expect(run.post.stdout).toContain(`wheelhouse: saved`);
    expect(run.post.stdout).toContain(keys[0]!);

    expect(platformsOf(out['wheelhouse-image'] ?? '')).toEqual(['linux/amd64', 'linux/arm64']);
    const image = `${multi.replace(/:latest$/, '')}@${out.digest}`;
    expect(platformsOf(image)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(runOn(image, 'linux/amd64')).toMatch(/^x86_64 django=5\.2\.19 psycopg2=2\.9\.13 charset_normalizer=3\.5\.2 sqlparse=0\.6\.1$/);
    expect(runOn(image, 'linux/arm64')).toMatch(/^aarch64 django=5\.2\.19 psycopg2=2\.9\.13 charset_normalizer=3\.5\.2 sqlparse=0\.6\.1$/);
  }, 1_200_000);

  it('again on a fresh runner: an exact hit for both, no wheel built', async () => {
    const run = await runOnFreshRunner(suite.root, workspace, inputs(both, multi), suite.service);
    runsOfBoth.push(run);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.outputs['wheelhouse-cache-hit']).toBe('exact');
    expect(run.main.outputs['cache-hit']).toBe('true');
    expect(run.main.outputs['wheelhouse-key']).toBe(runsOfBoth[0]!.main.outputs['wheelhouse-key']);
    expect(run.main.outputs['wheels-built']).toBe('0');
  }, 600_000);

  it('no Dockerfile: the generated one serves both platforms, with the wheelhouses of the runs above', async () => {
    const bare = path.join(suite.root, 'generated');
    await fs.cp(workspace, bare, { recursive: true });
    await fs.rm(path.join(bare, 'Dockerfile'));
    const generatedTag = uniqueTag('generated');
    const run = await runOnFreshRunner(suite.root, bare, { ...inputs(both, generatedTag), command: 'python3 app.py' }, suite.service);
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toContain('dockerfile: none in the context; one is generated');
    expect(run.main.outputs['wheelhouse-cache-hit']).toBe('exact');
    // psycopg2's libpq, found in both platforms' wheels, installed once in the runtime stage
    expect(run.main.stdout).toMatch(/runtime: psycopg2\S* loads libpq5/);
    const image = `${generatedTag.replace(/:latest$/, '')}@${run.main.outputs.digest}`;
    expect(platformsOf(image)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(runOn(image, 'linux/amd64')).toMatch(/^x86_64 django=5\.2\.19 psycopg2=2\.9\.13/);
    expect(runOn(image, 'linux/arm64')).toMatch(/^aarch64 django=5\.2\.19 psycopg2=2\.9\.13/);
  }, 900_000);

  it('one pin bumped: that wheel alone, once a platform, and both images run it', async () => {
    const requirements = path.join(workspace, 'requirements.txt');
    await fs.writeFile(requirements, (await fs.readFile(requirements, 'utf8')).replace('sqlparse==0.6.1', 'sqlparse==0.5.3'));
    const run = await runOnFreshRunner(suite.root, workspace, inputs(both, multi), suite.service);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.outputs['wheelhouse-cache-hit']).toBe('partial');
    expect(run.main.outputs['wheels-built']).toBe('2');
    expect(run.main.stdout.match(/^ *built sqlparse-0\.5\.3-py3-none-any\.whl$/gm)).toHaveLength(2);
    const image = `${multi.replace(/:latest$/, '')}@${run.main.outputs.digest}`;
    expect(runOn(image, 'linux/amd64')).toContain('sqlparse=0.5.3');
    expect(runOn(image, 'linux/arm64')).toContain('sqlparse=0.5.3');
  }, 600_000);
});
