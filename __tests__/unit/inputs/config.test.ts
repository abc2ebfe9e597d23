// readConfig: every input parsed and validated once; bad input fails with an InputError naming it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { declaredInputs, fakeGetInput, inputErrorOf } from '../../../__fixtures__/inputs.js';
import { type CacheScope, type Config, cacheScope, readConfig, savesByDefault } from '../../../src/inputs/config.js';
import type { InputError } from '../../../src/inputs/errors.js';

let workspace: string;

beforeAll(async () => {
  workspace = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'config-test-')));
  await fs.writeFile(path.join(workspace, 'buildkitd.toml'), 'debug = true\n');
  await fs.mkdir(path.join(workspace, 'ci'));
  await fs.writeFile(path.join(workspace, 'ci', 'buildkitd.toml'), 'debug = true\n');
});

afterAll(async () => {
  await fs.rm(workspace, { recursive: true, force: true });
});

function read(values: Record<string, string>, defaults = false): Config {
  return readConfig(fakeGetInput(values, { defaults }), { GITHUB_WORKSPACE: workspace });
}

const inputError = (values: Record<string, string>): InputError => inputErrorOf(() => read(values), JSON.stringify(values));

describe('readConfig defaults', () => {
  it.each([
    ['no input set', false],
    ["action.yml's defaults", true]
  ])('with %s', (_, defaults) => {
    const config = read({}, defaults);
    expect(config).toEqual({
      workspace,
      context: workspace,
      file: path.join(workspace, 'Dockerfile'),
      // the workspace has no Dockerfile: one is generated
      generate: { command: undefined, pythonVersion: undefined },
      tags: [],
      labels: [],
      buildArgs: [],
      buildContexts: [],
      target: undefined,
      platforms: [],
      push: false,
      load: false,
      secrets: [],
      noCache: false,
      attestations: { given: [], defaultProvenance: 'type=provenance,mode=max' },
      flags: {
        addHosts: [],
        allow: [],
        annotations: [],
        call: undefined,
        cgroupParent: undefined,
        network: undefined,
        noCacheFilters: [],
        outputs: [],
        pull: false,
        shmSize: undefined,
        ssh: [],
        ulimit: []
      },
      cacheFrom: undefined,
      cacheTo: undefined,
      requirements: [],
      wheelhouseContext: 'wheelhouse',
      wheelhouseImage: undefined,
      optimizeDockerfile: false,
      summary: true,
      wheelImage: undefined,
      wheelPackages: [],
      builder: {
        name: undefined,
        driver: 'docker-container',
        driverOpts: [],
        buildkitdConfig: undefined,
        buildkitdConfigInline: undefined,
        buildkitdFlags: undefined,
        keep: false,
        buildx: { version: undefined, downloadUrl: 'https://github.com/docker/buildx/releases' },
        kubernetes: undefined
      },
      cache: {
        backend: 'auto',
        localDir: path.join(os.homedir(), '.cache/wheelhouse-buildx/store'),
        timeoutSeconds: 300,
        save: true,
        restore: true,
        pipCache: true,
        suffix: undefined,
        // outside Actions: one scope, read and written
        scope: { repository: '', ref: '', reads: [''] }
      }
    } satisfies Config);
  });

  it.each<[string, Record<string, string>, boolean, Config['generate']]>([
    ['a Dockerfile in the context', {}, true, undefined],
    ['file: generate, with a Dockerfile there', { file: 'generate' }, true, { command: undefined, pythonVersion: undefined }],
    [
      'a command in words',
      { file: 'generate', command: 'gunicorn --bind 0.0.0.0:8000 app:app' },
      true,
      { command: ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app'], pythonVersion: undefined }
    ],
    [
      'a command as JSON',
      { command: '["python3", "-m", "app"]', 'python-version': '3.13' },
      false,
      { command: ['python3', '-m', 'app'], pythonVersion: '3.13' }
    ],
    ['a file named', { file: 'ci/Dockerfile.web' }, false, undefined]
  ])('generate: %s', async (_, values, dockerfile, expected) => {
    const dir = await fs.mkdtemp(path.join(workspace, 'generate-'));
    if (dockerfile) await fs.writeFile(path.join(dir, 'Dockerfile'), 'FROM python:3.12-slim\n');
    const config = read({ context: path.relative(workspace, dir), ...values });
    expect(config.generate).toEqual(expected);
  });

  it.each<[Record<string, string>, string]>([
    [{ command: '["gunicorn", 1]' }, 'command'],
    [{ command: '[not json' }, 'command'],
    [{ 'python-version': 'three' }, 'python-version'],
    [{ 'python-version': '2.7.18' }, 'python-version']
  ])('generate: bad %j', (values, name) => {
    expect(inputError(values).input).toBe(name);
  });

  it('asks only for inputs action.yml declares, and for each of them', () => {
    const getInput = fakeGetInput({});
    readConfig(getInput, { GITHUB_WORKSPACE: workspace });
    expect([...new Set(getInput.asked)].sort()).toEqual([...declaredInputs().keys()].sort());
  });

  it('action.yml has no expression outside a default (act, like the runner, refuses one in a description)', async () => {
    const text = await fs.readFile(path.resolve('action.yml'), 'utf8');
    const outside = text.split('\n').filter((line) => line.includes('${{') && !/^\s*default:/.test(line));
    expect(outside).toEqual([]);
  });

  it('takes the workspace from GITHUB_WORKSPACE, resolved', () => {
    const config = readConfig(fakeGetInput({}), { GITHUB_WORKSPACE: path.join(workspace, 'ci', '..') });
    expect(config.workspace).toBe(workspace);
  });
});

describe('readConfig paths', () => {
  it.each([
    [{ context: 'app' }, 'app', 'app/Dockerfile'],
    [{ context: './app/' }, 'app', 'app/Dockerfile'],
    [{ context: 'app', file: 'docker/app.Dockerfile' }, 'app', 'docker/app.Dockerfile'],
    [{ file: 'Containerfile' }, '.', 'Containerfile'],
    [{ context: 'services/api' }, 'services/api', 'services/api/Dockerfile']
  ])('%j → context %s, file %s (relative to the workspace)', (values, context, file) => {
    const config = read(values);
    expect(config.context).toBe(path.join(workspace, context));
    expect(config.file).toBe(path.join(workspace, file));
  });

  it.each([['..app'], ['..cache/app'], ['app/../..data']])('a folder whose name starts with .. is inside: %s', (context) => {
    expect(read({ context }).context).toBe(path.join(workspace, context));
  });

  it('accepts an absolute context inside the workspace', () => {
    expect(read({ context: path.join(workspace, 'app') }).context).toBe(path.join(workspace, 'app'));
  });

  it('resolves requirements against the context', () => {
    expect(read({ context: 'app', requirements: 'requirements.txt, ../constraints.txt' }).requirements).toEqual([
      path.join(workspace, 'app', 'requirements.txt'),
      path.join(workspace, 'constraints.txt')
    ]);
  });

  it.each([['buildkitd.toml'], ['ci/buildkitd.toml']])('resolves an existing buildkitd-config %s', (file) => {
    expect(read({ 'buildkitd-config': file }).builder.buildkitdConfig).toBe(path.join(workspace, file));
  });

  it("takes a buildkitd-config outside the workspace, as setup-buildx-action does (a self-hosted runner's own file)", async () => {
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'buildkitd-'));
    await fs.writeFile(path.join(outside, 'buildkitd.toml'), 'debug = true\n');
    try {
      expect(read({ 'buildkitd-config': path.join(outside, 'buildkitd.toml') }).builder.buildkitdConfig).toBe(
        path.join(outside, 'buildkitd.toml')
      );
      expect(read({ 'buildkitd-config': path.relative(workspace, path.join(outside, 'buildkitd.toml')) }).builder.buildkitdConfig).toBe(
        path.join(outside, 'buildkitd.toml')
      );
    } finally {
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it.each([
    ['~/cache', path.join(os.homedir(), 'cache')],
    ['~', os.homedir()],
    ['/var/cache/wheels', '/var/cache/wheels']
  ])('local-cache-dir %s → %s', (value, expected) => {
    expect(read({ 'local-cache-dir': value }).cache.localDir).toBe(expected);
  });
});

describe('readConfig lists', () => {
  it.each<[string, string, keyof Config, readonly string[]]>([
    // newlines and commas
    ['tags', 'ghcr.io/acme/app:1.0,ghcr.io/acme/app:latest', 'tags', ['ghcr.io/acme/app:1.0', 'ghcr.io/acme/app:latest']],
    ['tags', 'ghcr.io/acme/app:1.0\nghcr.io/acme/app:latest\n', 'tags', ['ghcr.io/acme/app:1.0', 'ghcr.io/acme/app:latest']],
    ['tags', '\n  a:1 , b:2,\n\n,c:3,,\n  \n', 'tags', ['a:1', 'b:2', 'c:3']],
    ['tags', '"a:1","b:2"', 'tags', ['a:1', 'b:2']],
    ['tags', `localhost:5000/app@sha256:${'a'.repeat(64)}`, 'tags', [`localhost:5000/app@sha256:${'a'.repeat(64)}`]],
    ['platforms', 'linux/amd64', 'platforms', ['linux/amd64']],
    ['wheel-packages', 'libpq-dev, gcc\nlibffi-dev,\n', 'wheelPackages', ['libpq-dev', 'gcc', 'libffi-dev']],
    ['wheel-packages', 'libxml2-dev=2.9.14+dfsg-1.3~deb12u1', 'wheelPackages', ['libxml2-dev=2.9.14+dfsg-1.3~deb12u1']],
    ['wheel-packages', 'libpq-dev gcc  python3-dev\nlibffi-dev', 'wheelPackages', ['libpq-dev', 'gcc', 'python3-dev', 'libffi-dev']],
    // newlines only: commas belong to the value
    ['build-args', 'A=1,2\n\nB=x , y\n', 'buildArgs', ['A=1,2', 'B=x , y']],
    ['build-args', 'PIP_INDEX_URL=https://pypi.org/simple', 'buildArgs', ['PIP_INDEX_URL=https://pypi.org/simple']],
    [
      'labels',
      'org.opencontainers.image.title=App, the\norg.opencontainers.image.version=1.0',
      'labels',
      ['org.opencontainers.image.title=App, the', 'org.opencontainers.image.version=1.0']
    ],
    [
      'cache-from',
      'type=registry,ref=ghcr.io/acme/app:cache\n\ntype=local,src=/tmp/cache\n',
      'cacheFrom',
      ['type=registry,ref=ghcr.io/acme/app:cache', 'type=local,src=/tmp/cache']
    ],
    ['cache-to', 'type=registry,ref=ghcr.io/acme/app:cache,mode=max', 'cacheTo', ['type=registry,ref=ghcr.io/acme/app:cache,mode=max']],
    [
      'build-contexts',
      'base=docker-image://python:3.12-slim\nshared=../shared,x',
      'buildContexts',
      ['base=docker-image://python:3.12-slim', 'shared=../shared,x']
    ]
  ])('%s %j → %s %j', (input, value, key, expected) => {
    expect(read({ [input]: value })[key]).toEqual(expected);
  });

  it.each([['cache-from'], ['cache-to']])('a blank %s keeps the default (undefined)', (input) => {
    const config = read({ [input]: '\n  \n' });
    expect(config.cacheFrom).toBeUndefined();
    expect(config.cacheTo).toBeUndefined();
  });

  it('parses driver-opts one a line, commas belonging to the value', () => {
    expect(
      read({ driver: 'kubernetes', 'driver-opts': 'namespace=ci\n\nnodeselector=kubernetes.io/arch=arm64,disk=ssd\n  replicas=2  \n' })
        .builder.driverOpts
    ).toEqual([
      { key: 'namespace', value: 'ci' },
      { key: 'nodeselector', value: 'kubernetes.io/arch=arm64,disk=ssd' },
      { key: 'replicas', value: '2' }
    ]);
  });
});

describe('readConfig scalars', () => {
  it.each<[Record<string, string>, (c: Config) => unknown, unknown]>([
    [{ push: 'true' }, (c) => c.push, true],
    [{ push: 'True' }, (c) => c.push, true],
    [{ push: 'TRUE' }, (c) => c.push, true],
    [{ push: ' false ' }, (c) => c.push, false],
    [{ load: 'true' }, (c) => c.load, true],
    [{ 'no-cache': 'true' }, (c) => c.noCache, true],
    [{ 'keep-builder': 'true' }, (c) => c.builder.keep, true],
    [{ 'buildx-version': 'latest' }, (c) => c.builder.buildx.version, 'latest'],
    [
      { 'buildkitd-flags': ' --debug --allow-insecure-entitlement network.host ' },
      (c) => c.builder.buildkitdFlags,
      '--debug --allow-insecure-entitlement network.host'
    ],
    [
      { 'buildkitd-config-inline': '[registry."r:5000"]\n  http = true\n' },
      (c) => c.builder.buildkitdConfigInline,
      '[registry."r:5000"]\n  http = true'
    ],
    [{ 'buildx-version': 'v0.38.2' }, (c) => c.builder.buildx.version, 'v0.38.2'],
    [{ 'buildx-version': '0.39.0-rc1' }, (c) => c.builder.buildx.version, '0.39.0-rc1'],
    [
      { 'buildx-download-url': 'https://mirror.example/buildx/releases' },
      (c) => c.builder.buildx.downloadUrl,
      'https://mirror.example/buildx/releases'
    ],
    [{ 'save-cache': 'false' }, (c) => c.cache.save, false],
    [{ 'pip-cache': 'FALSE' }, (c) => c.cache.pipCache, false],
    [{ 'cache-suffix': ' 2026-w49 ' }, (c) => c.cache.suffix, '2026-w49'],
    [{ driver: 'kubernetes' }, (c) => c.builder.driver, 'kubernetes'],
    [{ builder: 'ci-builder_1.x' }, (c) => c.builder.name, 'ci-builder_1.x'],
    [{ 'cache-backend': 'local' }, (c) => c.cache.backend, 'local'],
    [{ 'cache-backend': 'none' }, (c) => c.cache.backend, 'none'],
    [{ 'cache-backend': 'actions' }, (c) => c.cache.backend, 'actions'],
    [{ 'cache-timeout': '45' }, (c) => c.cache.timeoutSeconds, 45],
    [{ 'wheelhouse-context': 'wheels.v1' }, (c) => c.wheelhouseContext, 'wheels.v1'],
    [{ push: 'true', tags: 'reg:5000/team/app:v1\nreg:5000/team/app:latest' }, (c) => c.wheelhouseImage, 'reg:5000/team/app'],
    [{ push: 'false', tags: 'reg:5000/team/app:v1' }, (c) => c.wheelhouseImage, undefined],
    [{ push: 'true', tags: 'reg:5000/team/app:v1', 'wheelhouse-image': 'none' }, (c) => c.wheelhouseImage, undefined],
    [
      { push: 'true', tags: 'ghcr.io/acme/app:v1', 'wheelhouse-image': 'ghcr.io/acme/wheels' },
      (c) => c.wheelhouseImage,
      'ghcr.io/acme/wheels'
    ],
    [{ 'wheelhouse-image': 'reg:5000/wheels' }, (c) => c.wheelhouseImage, 'reg:5000/wheels'],
    [{ 'wheel-image': 'ghcr.io/acme/python:3.12' }, (c) => c.wheelImage, 'ghcr.io/acme/python:3.12'],
    [{ target: ' runtime ' }, (c) => c.target, 'runtime'],
    [{ provenance: 'mode=max' }, (c) => c.attestations.given, ['type=provenance,mode=max']]
  ])('%j', (values, pick, expected) => {
    expect(pick(read(values))).toEqual(expected);
  });
});

describe('readConfig rejects bad input, naming it', () => {
  it.each<[string, Record<string, string>]>([
    ['push', { push: 'yes' }],
    ['push', { push: '1' }],
    ['load', { load: 'on' }],
    ['no-cache', { 'no-cache': 'maybe' }],
    ['keep-builder', { 'keep-builder': 'y' }],
    ['buildx-version', { 'buildx-version': 'newest' }],
    ['buildkitd-config-inline', { 'buildkitd-config': 'buildkitd.toml', 'buildkitd-config-inline': 'debug = true' }],
    ['buildx-version', { 'buildx-version': '0.38' }],
    ['buildx-download-url', { 'buildx-download-url': 'ftp://mirror.example/buildx' }],
    ['save-cache', { 'save-cache': 'no' }],
    ['pip-cache', { 'pip-cache': 'tRuE' }],
    ['cache-suffix', { 'cache-suffix': 'a,b' }],
    ['cache-suffix', { 'cache-suffix': 'week 49' }],
    ['cache-suffix', { 'cache-suffix': 'x'.repeat(65) }],
    ['driver', { driver: 'docker' }],
    ['driver', { driver: 'remote' }],
    ['driver-opts', { 'driver-opts': 'image' }],
    ['driver-opts', { 'driver-opts': '=moby/buildkit' }],
    ['driver-opts', { 'driver-opts': 'image=' }],
    ['driver-opts', { 'driver-opts': 'namespace=x' }],
    ['driver-opts', { 'driver-opts': 'network=host\nreplicas=2' }],
    ['driver-opts', { driver: 'kubernetes', 'driver-opts': 'network=host' }],
    ['driver-opts', { driver: 'kubernetes', 'driver-opts': 'env.=x' }],
    ['tags', { tags: '-t' }],
    ['tags', { tags: 'app:1,--output=type=local,dest=/' }],
    ['tags', { tags: 'app:1\n--push' }],
    ['tags', { tags: 'app name:1' }],
    ['build-args', { 'build-args': '--network=host' }],
    ['build-args', { 'build-args': 'A=1\n-B=2' }],
    ['build-args', { 'build-args': 'NO_VALUE' }],
    ['build-args', { 'build-args': '1A=x' }],
    ['labels', { labels: '-l=x' }],
    ['labels', { labels: 'nolabel' }],
    ['build-contexts', { 'build-contexts': '--allow=x' }],
    ['build-contexts', { 'build-contexts': 'base' }],
    ['secrets', { secrets: '--secret=x' }],
    ['secrets', { secrets: 'token' }],
    ['context', { context: '../x' }],
    ['context', { context: '..' }],
    ['context', { context: '/etc' }],
    ['file', { file: '../Dockerfile' }],
    ['file', { context: 'app', file: '../../Dockerfile' }],
    ['requirements', { requirements: '../../requirements.txt' }],
    ['buildkitd-config', { 'buildkitd-config': 'missing.toml' }],
    ['cache-timeout', { 'cache-timeout': 'abc' }],
    ['cache-timeout', { 'cache-timeout': '0' }],
    ['cache-timeout', { 'cache-timeout': '-5' }],
    ['cache-timeout', { 'cache-timeout': '1.5' }],
    ['cache-timeout', { 'cache-timeout': '30s' }],
    ['platforms', { platforms: 'linux/amd64,linux/arm64' }],
    [
      'optimize-dockerfile',
      { platforms: 'linux/amd64,linux/arm64', push: 'true', tags: 'r/app:1', file: 'Dockerfile', 'optimize-dockerfile': 'true' }
    ],
    ['platforms', { platforms: 'linux' }],
    ['platforms', { platforms: 'Linux/AMD64' }],
    ['platforms', { platforms: 'linux/amd64;id' }],
    ['platforms', { platforms: '-linux/amd64' }],
    ['cache-backend', { 'cache-backend': 's3' }],
    ['restore-cache', { 'restore-cache': 'no' }],
    ['cache-backend', { 'cache-backend': 'Local' }],
    ['wheelhouse-context', { 'wheelhouse-context': 'Wheelhouse' }],
    ['wheelhouse-image', { 'wheelhouse-image': 'reg:5000/wheels:v1' }],
    ['wheelhouse-image', { 'wheelhouse-image': 'reg/wheels@sha256:abc' }],
    ['wheelhouse-image', { 'wheelhouse-image': 'Reg/Wheels' }],
    ['wheelhouse-context', { 'wheelhouse-context': '-wheels' }],
    ['wheel-image', { 'wheel-image': '--privileged' }],
    ['wheel-image', { 'wheel-image': 'python:3.12 && id' }],
    ['wheel-packages', { 'wheel-packages': 'libpq-dev;id' }],
    ['wheel-packages', { 'wheel-packages': '--allow-unauthenticated' }],
    ['wheel-packages', { 'wheel-packages': 'gcc $(id)' }],
    ['builder', { builder: 'my builder' }],
    ['builder', { builder: '-x' }]
  ])('%s: %j', (input, values) => {
    const error = inputError(values);
    expect(error.input).toBe(input);
    expect(error.name).toBe('InputError');
    expect(error.message.startsWith(`input '${input}': `)).toBe(true);
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ push: 'yes' }, /expected true or false, got 'yes'/],
    [{ driver: 'docker' }, /expected one of docker-container, kubernetes, got 'docker'/],
    [{ 'driver-opts': 'namespace=x' }, /'namespace' is not an option of the docker-container driver/],
    [{ 'driver-opts': 'image' }, /'image' is not key=value/],
    [{ tags: '-t' }, /'-t' starts with '-'/],
    [{ 'build-args': 'NO_VALUE' }, /'NO_VALUE' is not NAME=value/],
    [{ context: '../x' }, /'..\/x' is outside the workspace/],
    [{ 'buildkitd-config': 'missing.toml' }, /missing\.toml does not exist/],
    [{ 'cache-timeout': 'abc' }, /expected a whole number of seconds, got 'abc'/],
    [{ platforms: 'linux' }, /'linux' is not os\/arch\[\/variant\]/],
    [{ 'cache-backend': 's3' }, /expected one of auto, actions, local, none, got 's3'/]
  ])('%j says what was expected', (values, message) => {
    expect(inputError(values).message).toMatch(message);
  });
});

describe('save-cache by default', () => {
  it.each<[string, Record<string, string>, boolean]>([
    ['a push to a branch', { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }, true],
    ['a pull request', { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' }, true],
    ['pull_request_target', { GITHUB_EVENT_NAME: 'pull_request_target', GITHUB_REF: 'refs/heads/main' }, false],
    ['a release', { GITHUB_EVENT_NAME: 'release', GITHUB_REF: 'refs/tags/v1.2.3' }, false],
    [
      "workflow_run (runs in the default branch scope, often on a fork's artefacts)",
      { GITHUB_EVENT_NAME: 'workflow_run', GITHUB_REF: 'refs/heads/main' },
      false
    ],
    ['a tag push', { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.2.3' }, false],
    ['outside Actions', {}, true]
  ])('%s: %s', (_, env, expected) => {
    expect(savesByDefault(env)).toBe(expected);
  });

  it.each<[string, boolean]>([
    ['', false],
    ['true', true],
    ['false', false]
  ])("on a tag run, save-cache '%s' saves: %s", (value, expected) => {
    const env = { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1' };
    expect(readConfig(fakeGetInput({ 'save-cache': value }), env).cache.save).toBe(expected);
  });
});

describe('cacheScope: whose local entries a run reads and writes, as the Actions cache scopes them', () => {
  const event =
    (defaultBranch: string | undefined): ((file: string) => string) =>
    (file) => {
      if (file !== '/event.json') throw new Error(`no file ${file}`);
      return JSON.stringify(defaultBranch === undefined ? {} : { repository: { default_branch: defaultBranch } });
    };
  it.each<[string, NodeJS.ProcessEnv, string | undefined, CacheScope]>([
    ['a run outside Actions', {}, undefined, { repository: '', ref: '', reads: [''] }],
    [
      'a push to a branch: its own, then the default branch',
      { GITHUB_REPOSITORY: 'acme/app', GITHUB_REF: 'refs/heads/feature', GITHUB_EVENT_PATH: '/event.json' },
      'main',
      { repository: 'acme/app', ref: 'refs/heads/feature', reads: ['refs/heads/feature', 'refs/heads/main'] }
    ],
    [
      'a push to the default branch reads it once',
      { GITHUB_REPOSITORY: 'acme/app', GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_PATH: '/event.json' },
      'main',
      { repository: 'acme/app', ref: 'refs/heads/main', reads: ['refs/heads/main'] }
    ],
    [
      'a pull request: its merge ref, then its base branch, then the default branch',
      { GITHUB_REPOSITORY: 'acme/app', GITHUB_REF: 'refs/pull/9/merge', GITHUB_BASE_REF: 'release/2', GITHUB_EVENT_PATH: '/event.json' },
      'main',
      { repository: 'acme/app', ref: 'refs/pull/9/merge', reads: ['refs/pull/9/merge', 'refs/heads/release/2', 'refs/heads/main'] }
    ],
    [
      'a tag run reads the default branch',
      { GITHUB_REPOSITORY: 'acme/app', GITHUB_REF: 'refs/tags/v1', GITHUB_EVENT_PATH: '/event.json' },
      'trunk',
      { repository: 'acme/app', ref: 'refs/tags/v1', reads: ['refs/tags/v1', 'refs/heads/trunk'] }
    ],
    [
      'no event payload: the default branch is not known, and not read',
      { GITHUB_REPOSITORY: 'acme/app', GITHUB_REF: 'refs/heads/feature', GITHUB_EVENT_PATH: '/missing.json' },
      'main',
      { repository: 'acme/app', ref: 'refs/heads/feature', reads: ['refs/heads/feature'] }
    ],
    [
      'a payload without a default branch',
      { GITHUB_REPOSITORY: 'acme/app', GITHUB_REF: 'refs/heads/feature', GITHUB_EVENT_PATH: '/event.json' },
      undefined,
      { repository: 'acme/app', ref: 'refs/heads/feature', reads: ['refs/heads/feature'] }
    ]
  ])('%s', (_, env, defaultBranch, expected) => {
    expect(cacheScope(env, event(defaultBranch))).toEqual(expected);
  });

  it('readConfig reads it from the runner', () => {
    const env = { GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: 'acme/app', GITHUB_REF: 'refs/pull/3/merge', GITHUB_BASE_REF: 'main' };
    expect(readConfig(fakeGetInput({}), env).cache.scope).toEqual({
      repository: 'acme/app',
      ref: 'refs/pull/3/merge',
      reads: ['refs/pull/3/merge', 'refs/heads/main']
    });
  });
});

describe('several platforms', () => {
  it('are read from a list, newlines or commas, with the wheelhouse image a build of several needs', () => {
    const config = read({
      platforms: 'linux/amd64,linux/arm64\nlinux/arm/v7,',
      push: 'true',
      tags: 'reg:5000/acme/app:1',
      file: 'Dockerfile'
    });
    expect(config.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm/v7']);
    expect(config.wheelhouseImage).toBe('reg:5000/acme/app');
  });

  it('take a wheelhouse-image without a push of the app', () => {
    expect(read({ platforms: 'linux/amd64,linux/arm64', 'wheelhouse-image': 'reg:5000/wheels', file: 'Dockerfile' }).wheelhouseImage).toBe(
      'reg:5000/wheels'
    );
  });
});

describe("build-push-action's pass-through inputs", () => {
  it.each<[string, Record<string, string>, Partial<Config['flags']>]>([
    [
      'add-hosts, comma or line separated',
      { 'add-hosts': 'db:10.0.0.2,cache:10.0.0.3\nmirror=10.0.0.4' },
      { addHosts: ['db:10.0.0.2', 'cache:10.0.0.3', 'mirror=10.0.0.4'] }
    ],
    ['allow', { allow: 'network.host,security.insecure' }, { allow: ['network.host', 'security.insecure'] }],
    [
      'annotations, one a line (commas stay)',
      { annotations: 'index:org.opencontainers.image.title=App, the\nfoo=bar' },
      { annotations: ['index:org.opencontainers.image.title=App, the', 'foo=bar'] }
    ],
    ['call', { call: 'check' }, { call: 'check' }],
    ['network', { network: 'host' }, { network: 'host' }],
    ['no-cache-filters', { 'no-cache-filters': 'deps,final' }, { noCacheFilters: ['deps', 'final'] }],
    [
      'outputs, one a line',
      { outputs: 'type=image,name=ghcr.io/acme/app,push-by-digest=true,name-canonical=true,push=true' },
      { outputs: ['type=image,name=ghcr.io/acme/app,push-by-digest=true,name-canonical=true,push=true'] }
    ],
    ['pull', { pull: 'true' }, { pull: true }],
    ['shm-size', { 'shm-size': '2g' }, { shmSize: '2g' }],
    ['ssh', { ssh: 'default\ngithub=/home/runner/.ssh/id_ed25519' }, { ssh: ['default', 'github=/home/runner/.ssh/id_ed25519'] }],
    ['ulimit, one a line', { ulimit: 'nofile=1024:2048\nnproc=512' }, { ulimit: ['nofile=1024:2048', 'nproc=512'] }]
  ])('%s', (_, values, expected) => {
    expect(read(values).flags).toMatchObject(expected);
  });

  it.each<[string, Record<string, string>]>([
    ['add-hosts', { 'add-hosts': '--network=host' }],
    ['add-hosts', { 'add-hosts': 'db' }],
    ['allow', { allow: 'network host' }],
    ['annotations', { annotations: 'novalue' }],
    ['attests', { attests: '--attest=x' }],
    ['call', { call: 'check --push' }],
    ['network', { network: '-host' }],
    ['outputs', { outputs: '-' }],
    ['outputs', { outputs: 'type=local,dest=a b' }],
    ['pull', { pull: 'yes' }],
    ['shm-size', { 'shm-size': 'big' }],
    ['ssh', { ssh: 'default=a b' }],
    ['ulimit', { ulimit: 'nofile' }]
  ])('%s %j is refused, naming the input', (input, values) => {
    expect(inputError(values).input).toBe(input);
  });
});

describe('the job summary', () => {
  it.each<[string, Record<string, string>, Record<string, string>, boolean]>([
    ['written by default', {}, {}, true],
    ['off with the input', { summary: 'false' }, {}, false],
    ['off with DOCKER_BUILD_SUMMARY=false, as for build-push-action', {}, { DOCKER_BUILD_SUMMARY: 'false' }, false],
    ['the input wins over the environment', { summary: 'true' }, { DOCKER_BUILD_SUMMARY: 'false' }, true],
    ['DOCKER_BUILD_SUMMARY=true', {}, { DOCKER_BUILD_SUMMARY: 'true' }, true]
  ])('%s', (_, inputs, env, expected) => {
    expect(readConfig(fakeGetInput(inputs), { GITHUB_WORKSPACE: workspace, ...env }).summary).toBe(expected);
  });
});

describe('several platforms and a generated Dockerfile', () => {
  it('are accepted together (one install step serves every platform)', () => {
    const config = readConfig(fakeGetInput({ platforms: 'linux/amd64,linux/arm64', push: 'true', tags: 'r/app:1', file: 'generate' }), {
      GITHUB_WORKSPACE: process.cwd()
    });
    expect(config.platforms).toEqual(['linux/amd64', 'linux/arm64']);
    expect(config.generate).toEqual({ command: undefined, pythonVersion: undefined });
  });
});
