// `docker buildx` builder commands as argument arrays, the generated builder name, and the buildx version check.
import { describe, expect, it } from '@jest/globals';
import {
  MIN_BUILDX,
  atLeast,
  bootstrapArgs,
  createArgs,
  generatedName,
  inspectArgs,
  parseBuildxVersion,
  removeArgs,
  stateVolume
} from '../../../src/builder/args.js';
import type { DriverOpt } from '../../../src/inputs/driver-opts.js';
import type { BuilderConfig } from '../../../src/inputs/config.js';

function builder(overrides: Partial<BuilderConfig>): BuilderConfig {
  return {
    name: undefined,
    driver: 'docker-container',
    driverOpts: [],
    buildkitdConfig: undefined,
    buildkitdConfigInline: undefined,
    buildkitdFlags: undefined,
    keep: false,
    buildx: { version: undefined, downloadUrl: 'https://github.com/docker/buildx/releases' },
    kubernetes: undefined,
    ...overrides
  };
}

describe('createArgs', () => {
  it.each<[string, string, BuilderConfig, readonly string[], string[]]>([
    [
      'docker-container, nothing else',
      'wheelhouse-1-1-abcd',
      builder({}),
      [],
      ['buildx', 'create', '--name', 'wheelhouse-1-1-abcd', '--driver', 'docker-container']
    ],
    [
      'docker-container with options, config and a platform (the build names it; the builder is not declared for it)',
      'ci',
      builder({
        driverOpts: [
          { key: 'image', value: 'moby/buildkit:v0.18.2' },
          { key: 'network', value: 'host' },
          { key: 'env.BUILDKIT_STEP_LOG_MAX_SIZE', value: '-1' }
        ],
        buildkitdConfig: '/home/runner/work/app/app/buildkitd.toml'
      }),
      ['linux/amd64'],
      [
        'buildx',
        'create',
        '--name',
        'ci',
        '--driver',
        'docker-container',
        '--driver-opt',
        'image=moby/buildkit:v0.18.2',
        '--driver-opt',
        'network=host',
        '--driver-opt',
        'env.BUILDKIT_STEP_LOG_MAX_SIZE=-1',
        '--config',
        '/home/runner/work/app/app/buildkitd.toml'
      ]
    ],
    [
      'the daemon flags, as setup-buildx-action passes them',
      'ci',
      builder({ buildkitdFlags: '--debug --allow-insecure-entitlement network.host' }),
      [],
      [
        'buildx',
        'create',
        '--name',
        'ci',
        '--driver',
        'docker-container',
        '--buildkitd-flags',
        '--debug --allow-insecure-entitlement network.host'
      ]
    ],
    [
      'kubernetes with CSV values',
      'kube',
      builder({
        driver: 'kubernetes',
        driverOpts: [
          { key: 'namespace', value: 'buildkit' },
          { key: 'replicas', value: '2' },
          { key: 'nodeselector', value: 'kubernetes.io/arch=arm64,disk=ssd' },
          { key: 'tolerations', value: 'key=foo,value=bar;key=foo2,operator=Exists' },
          { key: 'rootless', value: 'true' }
        ]
      }),
      ['linux/arm64'],
      [
        'buildx',
        'create',
        '--name',
        'kube',
        '--driver',
        'kubernetes',
        '--node',
        'kube',
        '--driver-opt',
        'namespace=buildkit',
        '--driver-opt',
        'replicas=2',
        '--driver-opt',
        '"nodeselector=kubernetes.io/arch=arm64,disk=ssd"',
        '--driver-opt',
        '"tolerations=key=foo,value=bar;key=foo2,operator=Exists"',
        '--driver-opt',
        'rootless=true',
        '--platform',
        'linux/arm64'
      ]
    ],
    [
      'kubernetes with several platforms',
      'kube',
      builder({ driver: 'kubernetes', buildkitdConfig: '/w/buildkitd.toml' }),
      ['linux/amd64', 'linux/arm64'],
      [
        'buildx',
        'create',
        '--name',
        'kube',
        '--driver',
        'kubernetes',
        '--node',
        'kube',
        '--config',
        '/w/buildkitd.toml',
        '--platform',
        'linux/amd64,linux/arm64'
      ]
    ]
  ])('%s', (_, name, config, platforms, expected) => {
    expect(createArgs(name, config, platforms)).toEqual(expected);
  });

  it('uses the name it is given, not the configured one', () => {
    expect(createArgs('given', builder({ name: 'configured' }), []).slice(2, 4)).toEqual(['--name', 'given']);
  });

  it('keeps each option one argument, whatever it holds', () => {
    const opts: DriverOpt[] = [{ key: 'env.MSG', value: 'a b --push' }];
    const args = createArgs('b', builder({ driverOpts: opts }), []);
    expect(args).toContain('env.MSG=a b --push');
    expect(args.filter((a) => a === '--push')).toEqual([]);
  });
});

describe('inspectArgs, bootstrapArgs and removeArgs', () => {
  it.each([['wheelhouse-1-1-abcd'], ['ci']])('%s', (name) => {
    expect(inspectArgs(name)).toEqual(['buildx', 'inspect', name]);
    expect(bootstrapArgs(name)).toEqual(['buildx', 'inspect', '--bootstrap', name]);
    expect(removeArgs(name)).toEqual(['buildx', 'rm', '--force', name]);
    expect(removeArgs(name, { keepDaemon: true })).toEqual(['buildx', 'rm', '--force', '--keep-daemon', name]);
    expect(removeArgs(name, { keepState: true })).toEqual(['buildx', 'rm', '--force', '--keep-state', name]);
  });

  it.each([
    ['wheelhouse-1-1-abcd', 'buildx_buildkit_wheelhouse-1-1-abcd0_state'],
    ['ci', 'buildx_buildkit_ci0_state']
  ])('the state volume of %s is %s', (name, volume) => {
    expect(stateVolume(name)).toBe(volume);
  });
});

describe('createArgs with options given apart from the configuration (the action marks its builders)', () => {
  it('uses those options instead of the configured ones', () => {
    const config = builder({ driver: 'kubernetes', driverOpts: [{ key: 'namespace', value: 'ci' }] });
    const marked = [
      { key: 'namespace', value: 'ci' },
      { key: 'labels', value: 'a=b,c=d' }
    ];
    expect(createArgs('warm', config, [], marked)).toEqual([
      'buildx',
      'create',
      '--name',
      'warm',
      '--driver',
      'kubernetes',
      '--node',
      'warm',
      '--driver-opt',
      'namespace=ci',
      '--driver-opt',
      '"labels=a=b,c=d"'
    ]);
  });
});

describe('generatedName', () => {
  it.each<[NodeJS.ProcessEnv, string, string]>([
    [{ GITHUB_RUN_ID: '9876543210', GITHUB_RUN_ATTEMPT: '2' }, '1a2b3c4d', 'wheelhouse-9876543210-2-1a2b3c4d'],
    [{ GITHUB_RUN_ID: '42' }, 'ffff0000', 'wheelhouse-42-ffff0000'],
    [{ GITHUB_RUN_ID: '', GITHUB_RUN_ATTEMPT: '' }, 'ffff0000', 'wheelhouse-ffff0000'],
    [{}, '00000000', 'wheelhouse-00000000']
  ])('%j, %s → %s', (env, random, expected) => {
    expect(generatedName(env, random)).toBe(expected);
  });

  it('is a valid builder name input', () => {
    expect(generatedName({ GITHUB_RUN_ID: '1', GITHUB_RUN_ATTEMPT: '1' }, 'abcd')).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
  });
});

describe('parseBuildxVersion', () => {
  it.each<[string, [number, number, number] | undefined]>([
    ['github.com/docker/buildx v0.38.2 4d33aa4c4e8c2ff9b5c4e3b1b8aa0bbd1f3c1c7e', [0, 38, 2]],
    ['github.com/docker/buildx v0.10.0 876462897612d36679153c3414f7689626251501', [0, 10, 0]],
    ['github.com/docker/buildx v0.9.1 ed00243a0ce2a0aee75311b06e32d33b44729689', [0, 9, 1]],
    ['github.com/docker/buildx 0.12.1+azure-1 7e5b6d7a2b5d8f3ab0e6f4a6ad0c7e3e3a1f2b4c', [0, 12, 1]],
    ['github.com/docker/buildx v0.14.0-desktop.1 3a3f1f2c', [0, 14, 0]],
    ['github.com/docker/buildx v1.2.3\n', [1, 2, 3]],
    ["docker: 'buildx' is not a docker command.", undefined],
    ['', undefined]
  ])('%j → %j', (output, expected) => {
    expect(parseBuildxVersion(output)).toEqual(expected);
  });
});

describe('atLeast', () => {
  it.each<[[number, number, number], [number, number, number], boolean]>([
    [[0, 10, 0], [0, 10, 0], true],
    [[0, 10, 1], [0, 10, 0], true],
    [[0, 11, 0], [0, 10, 5], true],
    [[1, 0, 0], [0, 99, 99], true],
    [[0, 38, 2], [0, 10, 0], true],
    [[0, 9, 9], [0, 10, 0], false],
    [[0, 10, 0], [0, 10, 1], false],
    [[0, 2, 0], [0, 10, 0], false],
    [[0, 99, 0], [1, 0, 0], false]
  ])('%j ≥ %j: %s', (version, min, expected) => {
    expect(atLeast(version, min)).toBe(expected);
  });

  it('MIN_BUILDX is 0.10.0 (named build contexts, --provenance)', () => {
    expect(MIN_BUILDX).toEqual([0, 10, 0]);
  });
});

describe('createArgs for one node a platform', () => {
  it.each<[string, { name: string; append: boolean }, string[]]>([
    [
      'the first node makes the builder',
      { name: 'kube-amd64', append: false },
      ['buildx', 'create', '--name', 'kube', '--driver', 'kubernetes', '--node', 'kube-amd64', '--platform', 'linux/amd64']
    ],
    [
      'the next ones join it',
      { name: 'kube-amd64', append: true },
      ['buildx', 'create', '--append', '--name', 'kube', '--driver', 'kubernetes', '--node', 'kube-amd64', '--platform', 'linux/amd64']
    ]
  ])('%s', (_, node, expected) => {
    expect(createArgs('kube', builder({ driver: 'kubernetes' }), ['linux/amd64'], [], node)).toEqual(expected);
  });
});
