// localBuildArgs: the action's own small builds (target probe, wheel build) as `docker buildx build` arguments.
import { describe, expect, it } from '@jest/globals';
import { type LocalBuild, localBuildArgs } from '../../../src/wheels/args.js';

const BASE: LocalBuild = {
  builder: 'wheelhouse-1-1-abcd',
  dockerfile: '/tmp/wb/wheels/Dockerfile',
  context: '/tmp/wb/wheels/context',
  contexts: {},
  output: '/tmp/wb/wheels/out'
};

const HEAD = ['buildx', 'build', '--builder', 'wheelhouse-1-1-abcd', '--progress', 'plain', '--file', '/tmp/wb/wheels/Dockerfile'];
const TAIL = ['--output', 'type=local,dest=/tmp/wb/wheels/out', '/tmp/wb/wheels/context'];

describe('localBuildArgs', () => {
  it.each<[string, Partial<LocalBuild>, string[]]>([
    ['no contexts, no secrets, no platform', {}, [...HEAD, ...TAIL]],
    [
      'named contexts, sorted by name',
      {
        contexts: {
          'wheelhouse-previous': '/home/runner/.cache/wheelhouse-buildx/wheelhouse',
          'wheel-inputs': '/tmp/wb/wheels/inputs',
          'pip-cache-previous': '/home/runner/.cache/wheelhouse-buildx/pip'
        }
      },
      [
        ...HEAD,
        '--build-context',
        'pip-cache-previous=/home/runner/.cache/wheelhouse-buildx/pip',
        '--build-context',
        'wheel-inputs=/tmp/wb/wheels/inputs',
        '--build-context',
        'wheelhouse-previous=/home/runner/.cache/wheelhouse-buildx/wheelhouse',
        ...TAIL
      ]
    ],
    [
      'a secret as a file',
      { secrets: { 'wheelhouse-pip-private': '/tmp/wb/wheels/private-requirements.txt' } },
      [...HEAD, '--secret', 'id=wheelhouse-pip-private,src=/tmp/wb/wheels/private-requirements.txt', ...TAIL]
    ],
    ['empty secrets', { secrets: {} }, [...HEAD, ...TAIL]],
    ['a platform', { platform: 'linux/arm/v7' }, [...HEAD, '--platform', 'linux/arm/v7', ...TAIL]],
    ['an empty platform is left out', { platform: '' }, [...HEAD, ...TAIL]],
    [
      'everything, in order: contexts, secrets, platform, output, context',
      {
        contexts: { b: '/b', a: '/a' },
        secrets: { s: '/tmp/s' },
        platform: 'linux/amd64'
      },
      [...HEAD, '--build-context', 'a=/a', '--build-context', 'b=/b', '--secret', 'id=s,src=/tmp/s', '--platform', 'linux/amd64', ...TAIL]
    ]
  ])('%s', (_, build, expected) => {
    expect(localBuildArgs({ ...BASE, ...build })).toEqual(expected);
  });

  it('ends with the main context', () => {
    const args = localBuildArgs({ ...BASE, contexts: { x: '/x' }, platform: 'linux/amd64' });
    expect(args[args.length - 1]).toBe(BASE.context);
  });
});
