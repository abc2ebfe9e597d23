// The image build's `docker buildx build` arguments, and what its metadata file says.
import { describe, expect, it } from '@jest/globals';
import { type ImageBuild, cacheArgs, cacheImportProblems, imageBuildArgs, parseMetadata } from '../../../src/build/args.js';
import { type Config, readConfig } from '../../../src/inputs/config.js';
import { fakeGetInput } from '../../../__fixtures__/inputs.js';

const W = '/home/runner/work/app/app';

/** The configuration of a step that sets no input. */
const BASE: Config = readConfig(fakeGetInput({}), { GITHUB_WORKSPACE: W });

const BUILD: ImageBuild = {
  builder: 'wheelhouse-1-1-abcd',
  contexts: { wheelhouse: '/home/runner/.cache/wheelhouse-buildx/wheelhouse', base: '/tmp/wb/wheelhouse-base' },
  metadataFile: '/tmp/wb/build/metadata.json',
  secretFiles: {}
};

const HEAD = ['buildx', 'build', '--builder', 'wheelhouse-1-1-abcd', '--progress', 'plain', '--file', `${W}/Dockerfile`];
const WHEELHOUSE = [
  '--build-context',
  'wheelhouse=/home/runner/.cache/wheelhouse-buildx/wheelhouse',
  '--build-context',
  'wheelhouse-base=/tmp/wb/wheelhouse-base'
];
const METADATA = ['--metadata-file', '/tmp/wb/build/metadata.json'];

describe('imageBuildArgs', () => {
  it.each<[string, Partial<Config>, Partial<ImageBuild>, string[]]>([
    [
      'defaults: inline cache, metadata file, the wheelhouse and its base as contexts',
      {},
      {},
      [...HEAD, ...WHEELHOUSE, '--cache-to', 'type=inline', ...METADATA, W]
    ],
    [
      'a tag: the default cache-from is its inline cache',
      { tags: ['ghcr.io/acme/app:1.0', 'ghcr.io/acme/app:latest'] },
      {},
      [
        ...HEAD,
        ...WHEELHOUSE,
        '--tag',
        'ghcr.io/acme/app:1.0',
        '--tag',
        'ghcr.io/acme/app:latest',
        '--cache-from',
        'type=registry,ref=ghcr.io/acme/app:1.0',
        '--cache-to',
        'type=inline',
        ...METADATA,
        W
      ]
    ],
    [
      'push and load',
      { tags: ['app:1'], push: true, load: true },
      {},
      [
        ...HEAD,
        ...WHEELHOUSE,
        '--tag',
        'app:1',
        '--cache-from',
        'type=registry,ref=app:1',
        '--cache-to',
        'type=inline',
        ...METADATA,
        '--push',
        '--load',
        W
      ]
    ],
    ['push', { push: true }, {}, [...HEAD, ...WHEELHOUSE, '--cache-to', 'type=inline', ...METADATA, '--push', W]],
    ['load', { load: true }, {}, [...HEAD, ...WHEELHOUSE, '--cache-to', 'type=inline', ...METADATA, '--load', W]],
    ['target', { target: 'runtime' }, {}, [...HEAD, ...WHEELHOUSE, '--target', 'runtime', '--cache-to', 'type=inline', ...METADATA, W]],
    [
      'one platform',
      { platforms: ['linux/arm64'] },
      {},
      [...HEAD, ...WHEELHOUSE, '--platform', 'linux/arm64', '--cache-to', 'type=inline', ...METADATA, W]
    ],
    [
      'platforms joined',
      { platforms: ['linux/amd64', 'linux/arm/v7'] },
      {},
      [...HEAD, ...WHEELHOUSE, '--platform', 'linux/amd64,linux/arm/v7', '--cache-to', 'type=inline', ...METADATA, W]
    ],
    [
      'labels and build-args, one argument each',
      { labels: ['org.opencontainers.image.title=App, the', 'version=1'], buildArgs: ['PY=3.12', 'EXTRA=a b,c'] },
      {},
      [
        ...HEAD,
        ...WHEELHOUSE,
        '--label',
        'org.opencontainers.image.title=App, the',
        '--label',
        'version=1',
        '--build-arg',
        'PY=3.12',
        '--build-arg',
        'EXTRA=a b,c',
        '--cache-to',
        'type=inline',
        ...METADATA,
        W
      ]
    ],
    [
      "build-push-action's pass-through inputs, in its order, before the cache flags",
      {
        flags: {
          addHosts: ['db:10.0.0.2'],
          allow: ['network.host'],
          annotations: ['index:foo=bar'],
          call: 'check',
          cgroupParent: '/actions',
          network: 'host',
          noCacheFilters: ['deps'],
          outputs: ['type=image,push-by-digest=true'],
          pull: true,
          shmSize: '2g',
          ssh: ['default'],
          ulimit: ['nofile=1024:2048']
        }
      },
      {},
      [
        ...HEAD,
        ...WHEELHOUSE,
        '--add-host',
        'db:10.0.0.2',
        '--allow',
        'network.host',
        '--annotation',
        'index:foo=bar',
        '--call',
        'check',
        '--cgroup-parent',
        '/actions',
        '--network',
        'host',
        '--no-cache-filter',
        'deps',
        '--output',
        'type=image,push-by-digest=true',
        '--pull',
        '--shm-size',
        '2g',
        '--ssh',
        'default',
        '--ulimit',
        'nofile=1024:2048',
        '--cache-to',
        'type=inline',
        ...METADATA,
        W
      ]
    ],
    [
      'secret values as the files written for the build, files and variables as given, in input order',
      {
        secrets: [
          { id: 'token', value: 's3cr3t' },
          { id: 'npmrc', file: '/work/app/.npmrc' },
          { id: 'netrc', value: 'machine x' },
          { id: 'gh', env: 'GH_TOKEN' }
        ]
      },
      { secretFiles: { token: '/tmp/wb/build/secret-0', netrc: '/tmp/wb/build/secret-2' } },
      [
        ...HEAD,
        ...WHEELHOUSE,
        '--secret',
        'id=token,src=/tmp/wb/build/secret-0',
        '--secret',
        'id=npmrc,src=/work/app/.npmrc',
        '--secret',
        'id=netrc,src=/tmp/wb/build/secret-2',
        '--secret',
        'id=gh,env=GH_TOKEN',
        '--cache-to',
        'type=inline',
        ...METADATA,
        W
      ]
    ],
    [
      'extra build contexts after the wheelhouse and its base, named after the wheelhouse context',
      { buildContexts: ['base=docker-image://python:3.12-slim', 'shared=../shared'], wheelhouseContext: 'wheels' },
      {},
      [
        ...HEAD,
        '--build-context',
        'wheels=/home/runner/.cache/wheelhouse-buildx/wheelhouse',
        '--build-context',
        'wheels-base=/tmp/wb/wheelhouse-base',
        '--build-context',
        'base=docker-image://python:3.12-slim',
        '--build-context',
        'shared=../shared',
        '--cache-to',
        'type=inline',
        ...METADATA,
        W
      ]
    ],
    [
      'user cache-from and cache-to replace the defaults',
      { tags: ['app:1'], cacheFrom: ['type=gha', 'type=registry,ref=app:cache'], cacheTo: ['type=registry,ref=app:cache,mode=max'] },
      {},
      [
        ...HEAD,
        ...WHEELHOUSE,
        '--tag',
        'app:1',
        '--cache-from',
        'type=gha',
        '--cache-from',
        'type=registry,ref=app:cache',
        '--cache-to',
        'type=registry,ref=app:cache,mode=max',
        ...METADATA,
        W
      ]
    ],
    [
      'user cache-to only: the default cache-from stays',
      { tags: ['app:1'], cacheTo: ['type=local,dest=/tmp/c'] },
      {},
      [
        ...HEAD,
        ...WHEELHOUSE,
        '--tag',
        'app:1',
        '--cache-from',
        'type=registry,ref=app:1',
        '--cache-to',
        'type=local,dest=/tmp/c',
        ...METADATA,
        W
      ]
    ],
    [
      'no-cache drops the default cache-from',
      { tags: ['app:1'], noCache: true },
      {},
      [...HEAD, ...WHEELHOUSE, '--tag', 'app:1', '--no-cache', '--cache-to', 'type=inline', ...METADATA, W]
    ],
    [
      'no-cache keeps a cache-from the user named',
      { tags: ['app:1'], noCache: true, cacheFrom: ['type=gha'] },
      {},
      [...HEAD, ...WHEELHOUSE, '--tag', 'app:1', '--no-cache', '--cache-from', 'type=gha', '--cache-to', 'type=inline', ...METADATA, W]
    ],
    [
      'attestations asked for, after the flags',
      { attestations: { given: ['type=provenance,mode=max', 'type=sbom,disabled=false'], defaultProvenance: undefined } },
      { attestations: true },
      [
        ...HEAD,
        ...WHEELHOUSE,
        '--attest',
        'type=provenance,mode=max',
        '--attest',
        'type=sbom,disabled=false',
        '--cache-to',
        'type=inline',
        ...METADATA,
        W
      ]
    ],
    [
      'the default provenance, when the builder takes attestations',
      { attestations: { given: ['type=sbom,disabled=false'], defaultProvenance: 'type=provenance,mode=max' } },
      { attestations: true },
      [
        ...HEAD,
        ...WHEELHOUSE,
        '--attest',
        'type=provenance,mode=max',
        '--attest',
        'type=sbom,disabled=false',
        '--cache-to',
        'type=inline',
        ...METADATA,
        W
      ]
    ],
    [
      'no default provenance on a builder that takes no attestations (BuildKit before 0.11)',
      { attestations: { given: [], defaultProvenance: 'type=provenance,mode=max' } },
      { attestations: false },
      [...HEAD, ...WHEELHOUSE, '--cache-to', 'type=inline', ...METADATA, W]
    ],
    [
      'another context and file',
      { context: `${W}/services/api`, file: `${W}/docker/api.Dockerfile` },
      {},
      [
        'buildx',
        'build',
        '--builder',
        'wheelhouse-1-1-abcd',
        '--progress',
        'plain',
        '--file',
        `${W}/docker/api.Dockerfile`,
        ...WHEELHOUSE,
        '--cache-to',
        'type=inline',
        ...METADATA,
        `${W}/services/api`
      ]
    ]
  ])('%s', (_, config, build, expected) => {
    expect(imageBuildArgs({ ...BASE, ...config }, { ...BUILD, ...build })).toEqual(expected);
  });

  it('ends with the context, after every option', () => {
    const args = imageBuildArgs(
      {
        ...BASE,
        tags: ['a:1'],
        push: true,
        load: true,
        attestations: { given: ['type=provenance,disabled=false'], defaultProvenance: undefined }
      },
      BUILD
    );
    expect(args[args.length - 1]).toBe(W);
    expect(args.filter((a) => a === W)).toHaveLength(1);
  });
});

describe('cacheArgs', () => {
  it.each<[Pick<Config, 'cacheFrom' | 'cacheTo' | 'tags' | 'noCache'>, string[]]>([
    [{ cacheFrom: undefined, cacheTo: undefined, tags: [], noCache: false }, ['--cache-to', 'type=inline']],
    [
      { cacheFrom: undefined, cacheTo: undefined, tags: ['r/a:1', 'r/a:2'], noCache: false },
      ['--cache-from', 'type=registry,ref=r/a:1', '--cache-to', 'type=inline']
    ],
    [{ cacheFrom: undefined, cacheTo: undefined, tags: ['r/a:1'], noCache: true }, ['--cache-to', 'type=inline']],
    [{ cacheFrom: [], cacheTo: [], tags: ['r/a:1'], noCache: false }, []],
    [
      { cacheFrom: ['type=gha'], cacheTo: ['type=gha,mode=max'], tags: ['r/a:1'], noCache: false },
      ['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max']
    ]
  ])('%j → %j', (config, expected) => {
    expect(cacheArgs(config)).toEqual(expected);
  });

  const DIGEST = `r/a@sha256:${'1'.repeat(64)}`;
  it.each<[string, Pick<Config, 'cacheFrom' | 'cacheTo' | 'tags' | 'noCache'>, string[]]>([
    [
      'the last push by digest first, then the first tag',
      { cacheFrom: undefined, cacheTo: undefined, tags: ['r/a:sha-2'], noCache: false },
      ['--cache-from', `type=registry,ref=${DIGEST}`, '--cache-from', 'type=registry,ref=r/a:sha-2', '--cache-to', 'type=inline']
    ],
    [
      'an explicit cache-from wins',
      { cacheFrom: ['type=gha'], cacheTo: undefined, tags: ['r/a:sha-2'], noCache: false },
      ['--cache-from', 'type=gha', '--cache-to', 'type=inline']
    ],
    [
      'no-cache imports nothing',
      { cacheFrom: undefined, cacheTo: undefined, tags: ['r/a:sha-2'], noCache: true },
      ['--cache-to', 'type=inline']
    ]
  ])('with a remembered push: %s', (_, config, expected) => {
    expect(cacheArgs(config, DIGEST)).toEqual(expected);
  });
});

describe('parseMetadata', () => {
  const PUSHED = JSON.stringify(
    {
      'buildx.build.provenance': {
        buildType: 'https://mobyproject.org/buildkit@v1',
        metadata: { 'https://mobyproject.org/buildkit@v1#metadata': {} }
      },
      'buildx.build.ref': 'wheelhouse-1-1-abcd/wheelhouse-1-1-abcd0/kq1x7t4fzz3k0o9c2vq6m5n8a',
      'containerimage.config.digest': 'sha256:7f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      'containerimage.descriptor': {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: 'sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
        size: 1210
      },
      'containerimage.digest': 'sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      'image.name': 'ghcr.io/acme/app:1.0,ghcr.io/acme/app:latest'
    },
    null,
    2
  );

  it.each<[string, string, string | undefined, string | undefined]>([
    [
      'a pushed image',
      PUSHED,
      'sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      'sha256:7f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9'
    ],
    ['a build neither pushed nor loaded', '{\n  "buildx.build.ref": "b/b0/x"\n}\n', undefined, undefined],
    ['empty strings', '{"containerimage.digest": "", "containerimage.config.digest": ""}', undefined, undefined],
    ['values of the wrong type', '{"containerimage.digest": 1, "containerimage.config.digest": null}', undefined, undefined],
    ['no file', '', undefined, undefined],
    ['only whitespace', '\n  \n', undefined, undefined]
  ])('%s', (_, raw, digest, imageId) => {
    expect(parseMetadata(raw)).toEqual({ digest, imageId, raw });
  });

  it('throws on a metadata file that is not JSON', () => {
    expect(() => parseMetadata('{"containerimage.digest": ')).toThrow(SyntaxError);
  });
});

describe('cacheImportProblems', () => {
  const LOG = [
    '#4 importing cache manifest from 127.0.0.1:9/x/y:latest',
    '#4 ERROR: failed to configure registry cache importer: failed to do request: Head "http://127.0.0.1:9/v2/x/y/manifests/latest": dial tcp 127.0.0.1:9: connect: connection refused',
    '',
    '#6 importing cache manifest from 127.0.0.1:5000/exp/never:latest',
    '#6 ERROR: failed to configure registry cache importer: 127.0.0.1:5000/exp/never:latest: not found',
    '',
    '#7 importing cache manifest from 127.0.0.1:5000/app:latest',
    '#7 inferred cache manifest type: application/vnd.oci.image.index.v1+json done',
    '#7 DONE 0.1s'
  ].join('\n');

  it('names each import that failed, and tells a missing image from an unreachable registry', () => {
    expect(cacheImportProblems(LOG)).toEqual([
      {
        ref: '127.0.0.1:9/x/y:latest',
        reason:
          'failed to do request: Head "http://127.0.0.1:9/v2/x/y/manifests/latest": dial tcp 127.0.0.1:9: connect: connection refused',
        missing: false
      },
      { ref: '127.0.0.1:5000/exp/never:latest', reason: '127.0.0.1:5000/exp/never:latest: not found', missing: true }
    ]);
  });

  it('finds nothing in a build whose imports worked', () => {
    expect(cacheImportProblems(LOG.split('\n').slice(6).join('\n'))).toEqual([]);
  });
});
