// The docker-container builder's setup against a fake buildx: a named builder that exists is reused, else
// one is created (post is told before anything is made), booted apart, and removed again when its
// creation or boot fails; the buildx on the runner is checked first.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FakeExec } from '../../../__fixtures__/exec.js';
import { fakeGetInput } from '../../../__fixtures__/inputs.js';
import { SetupError, checkBuildx, startBuilder } from '../../../src/builder/builder.js';
import type { BuilderRecord } from '../../../src/builder/record.js';
import { type BuilderConfig, readConfig } from '../../../src/inputs/config.js';
import { scratchDir } from '../../../__fixtures__/step.js';

const scratch = scratchDir('builder');

const builderConfig = (values: Record<string, string> = {}): BuilderConfig =>
  readConfig(fakeGetInput({ context: '__fixtures__/platforms-app', ...values }), { GITHUB_WORKSPACE: process.cwd() }).builder;

async function start(config: BuilderConfig, exec: FakeExec) {
  const remembered: BuilderRecord[] = [];
  const started = await startBuilder(
    config,
    ['linux/amd64'],
    scratch(),
    (r) => remembered.push(r),
    { DOCKER_CONFIG: '/job/docker' },
    exec.run
  );
  return { started, remembered };
}

describe('startBuilder (docker-container)', () => {
  it('creates a builder under a generated name, tells post first, and boots it apart', async () => {
    const exec = new FakeExec([{ prefix: ['docker', 'buildx', 'inspect', '--bootstrap'], result: { stdout: 'Platforms: linux/amd64' } }]);
    const { started, remembered } = await start(builderConfig({ 'driver-opts': 'network=host' }), exec);
    const name = started.record.name;
    expect(name).toMatch(/^wheelhouse-([0-9]+-[0-9]+-)?[0-9a-f]{8}$/);
    expect(remembered).toEqual([
      { name, env: { DOCKER_CONFIG: '/job/docker' }, keep: false, remove: true, stateVolume: `buildx_buildkit_${name}0_state` }
    ]);
    // no --platform: the build names its platforms, and BuildKit's own list says what it can run
    expect(exec.argsOf('buildx', 'create')).toEqual([
      ['buildx', 'create', '--name', name, '--driver', 'docker-container', '--driver-opt', 'network=host']
    ]);
    expect(await started.booted).toBe('Platforms: linux/amd64');
    expect(exec.calls.every((c) => c.options.env?.DOCKER_CONFIG === '/job/docker')).toBe(true);
  });

  it('reuses a named builder that exists, and leaves it to its owner', async () => {
    const exec = new FakeExec();
    const { started, remembered } = await start(builderConfig({ builder: 'team-builder' }), exec);
    expect(started.record).toEqual({ name: 'team-builder', env: { DOCKER_CONFIG: '/job/docker' }, keep: false, remove: false });
    expect(remembered).toHaveLength(1);
    expect(exec.argsOf('buildx', 'create')).toEqual([]);
    await started.booted;
  });

  it('creates a named builder that does not exist, kept with keep-builder', async () => {
    const exec = new FakeExec([{ prefix: ['docker', 'buildx', 'inspect', 'team-builder'], result: { exitCode: 1 } }]);
    const { started } = await start(builderConfig({ builder: 'team-builder', 'keep-builder': 'true' }), exec);
    expect(started.record).toMatchObject({ name: 'team-builder', keep: true, remove: false });
    expect(exec.argsOf('buildx', 'create')).toHaveLength(1);
    await started.booted;
  });

  it('an inline BuildKit configuration becomes a file of the run, passed as the builder config', async () => {
    const exec = new FakeExec();
    const { started } = await start(builderConfig({ 'buildkitd-config-inline': '[registry."r:5000"]\n  http = true' }), exec);
    const file = path.join(scratch(), 'buildkitd-inline.toml');
    expect(readFileSync(file, 'utf8')).toBe('[registry."r:5000"]\n  http = true\n');
    expect(exec.argsOf('buildx', 'create')[0]?.slice(-2)).toEqual(['--config', file]);
    await started.booted;
  });

  it('a creation that fails: one SetupError, and nothing half-made left registered', async () => {
    const exec = new FakeExec([{ prefix: ['docker', 'buildx', 'create'], result: { exitCode: 1, stderr: 'ERROR: no such driver' } }]);
    const error = await start(builderConfig(), exec).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SetupError);
    expect((error as Error).message).toMatch(/^the docker-container builder wheelhouse-\S+ could not start: docker buildx create failed/);
    expect(exec.argsOf('buildx', 'rm')).toHaveLength(1);
  });

  it('a boot that fails rejects the booted promise with a SetupError, after removing the builder', async () => {
    const exec = new FakeExec([
      { prefix: ['docker', 'buildx', 'inspect', '--bootstrap'], result: { exitCode: 1, stderr: 'ERROR: image not found' } }
    ]);
    const { started } = await start(builderConfig(), exec);
    await expect(started.booted).rejects.toThrow(/could not start: .*image not found/s);
    expect(exec.argsOf('buildx', 'rm')).toEqual([['buildx', 'rm', '--force', started.record.name]]);
  });
});

describe('checkBuildx', () => {
  it.each<[string, ConstructorParameters<typeof FakeExec>[0], RegExp | string]>([
    [
      'a recent buildx',
      [{ prefix: ['docker', 'buildx', 'version'], result: { stdout: 'github.com/docker/buildx v0.38.2 abc\n' } }],
      'github.com/docker/buildx v0.38.2 abc'
    ],
    [
      'one too old for named contexts',
      [{ prefix: ['docker', 'buildx', 'version'], result: { stdout: 'github.com/docker/buildx v0.9.1 abc' } }],
      /^buildx github.com\/docker\/buildx v0.9.1 abc is too old: named build contexts need buildx 0.10.0 or newer/
    ],
    [
      'none',
      [{ prefix: ['docker', 'buildx', 'version'], result: { exitCode: 1, stderr: "docker: 'buildx' is not a docker command." } }],
      /^docker buildx is not available \(docker: 'buildx' is not a docker command\.\): install Docker and the buildx plugin/
    ]
  ])('%s', async (_, rules, expected) => {
    const checked = checkBuildx({}, new FakeExec(rules).run).catch((e: unknown) => e);
    if (typeof expected === 'string') expect(await checked).toBe(expected);
    else {
      expect(await checked).toBeInstanceOf(SetupError);
      expect(((await checked) as Error).message).toMatch(expected);
    }
  });
});
