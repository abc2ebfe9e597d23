// Drop-in parity with docker/build-push-action: for the inputs of its README's examples, the buildx flags
// this action passes equal the ones build-push-action passes (its getBuildArgs and getCommonArgs, v6),
// apart from what is this action's own: the wheelhouse contexts, the inline cache defaults, the
// builder, progress and metadata file. Its default provenance (mode=max on a public repository, with
// the run as builder id) is compared too, on a builder whose BuildKit takes attestations.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fakeGetInput } from '../../../__fixtures__/inputs.js';
import { imageBuildArgs } from '../../../src/build/args.js';
import { readConfig } from '../../../src/inputs/config.js';

let workspace: string;

beforeAll(async () => {
  workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'parity-'));
  await fs.writeFile(path.join(workspace, 'Dockerfile'), 'FROM python:3.12-slim\n');
  await fs.writeFile(path.join(workspace, 'Dockerfile.test'), 'FROM python:3.12-slim\n');
  await fs.writeFile(path.join(workspace, 'netrc'), 'machine example login x\n');
});

afterAll(async () => {
  await fs.rm(workspace, { recursive: true, force: true });
});

/** A run of a public repository: the peer's default provenance names it. */
const RUN = { GITHUB_REPOSITORY: 'user/app', GITHUB_RUN_ID: '7', GITHUB_RUN_ATTEMPT: '1' };
const PROVENANCE = ['--attest', 'type=provenance,mode=max,builder-id=https://github.com/user/app/actions/runs/7/attempts/1'];

/** This action's own flags, and the context (the last argument), left out of the comparison. */
const OWN = new Set(['--builder', '--progress', '--metadata-file']);

/** Flag/value pairs as a sorted multiset; `--flag=value` read as `--flag value`, secrets by id. */
function pairs(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length - 1; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) continue;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const next = args[i + 1];
    const value = inline ?? (next !== undefined && !next.startsWith('--') && i + 1 < args.length - 1 ? next : '');
    if (inline === undefined && value) i++;
    if (OWN.has(flag)) continue;
    if (flag === '--build-context' && /^wheelhouse(-base)?=/.test(value)) continue;
    // a secret's file is wherever each action writes it: compared by id
    out.push(flag === '--secret' ? `--secret ${/id=([^,]+)/.exec(value)?.[1]}` : `${flag} ${value}`.trim());
  }
  return out.sort();
}

/** This action's buildx arguments for the inputs, with no cache default (the peer has none). */
function ours(inputs: Record<string, string>): string[] {
  const config = readConfig(fakeGetInput(inputs), { GITHUB_WORKSPACE: workspace, ...RUN });
  const secretFiles = Object.fromEntries(config.secrets.map((s) => [s.id, `/tmp/secrets/${s.id}`]));
  const args = imageBuildArgs(
    { ...config, cacheFrom: config.cacheFrom ?? [], cacheTo: config.cacheTo ?? [] },
    { builder: 'b', contexts: { wheelhouse: '/w', base: '/wb' }, metadataFile: '/m.json', secretFiles, attestations: true }
  );
  expect(args[args.length - 1]).toBe(config.context);
  // the Dockerfile, named always and resolved: the peer names it only when given, as written
  const at = args.indexOf('--file');
  const file = path.relative(workspace, args[at + 1]!);
  return [...args.slice(2, at), ...(file === 'Dockerfile' ? [] : ['--file', file]), ...args.slice(at + 2)];
}

describe("build-push-action's README examples: the same buildx flags", () => {
  // [example, inputs, the flags build-push-action passes for them (its order; builder, iidfile and
  // metadata file left out), with the context last]
  it.each<[string, Record<string, string>, string[]]>([
    ['push a tag', { push: 'true', tags: 'user/app:latest' }, [...PROVENANCE, '--tag', 'user/app:latest', '--push', '.']],
    [
      'multi-platform image',
      { platforms: 'linux/amd64,linux/arm64', push: 'true', tags: 'user/app:latest' },
      [...PROVENANCE, '--platform', 'linux/amd64,linux/arm64', '--tag', 'user/app:latest', '--push', '.']
    ],
    [
      "metadata-action's tags and labels",
      {
        push: 'true',
        tags: 'name/app:main\nname/app:sha-860c190',
        labels: 'org.opencontainers.image.title=app\norg.opencontainers.image.revision=860c190'
      },
      [
        ...PROVENANCE,
        '--label',
        'org.opencontainers.image.title=app',
        '--label',
        'org.opencontainers.image.revision=860c190',
        '--tag',
        'name/app:main',
        '--tag',
        'name/app:sha-860c190',
        '--push',
        '.'
      ]
    ],
    [
      'cache to the GitHub cache (explicit cache-from and cache-to)',
      { push: 'true', tags: 'user/app:latest', 'cache-from': 'type=gha', 'cache-to': 'type=gha,mode=max' },
      [...PROVENANCE, '--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max', '--tag', 'user/app:latest', '--push', '.']
    ],
    [
      'named contexts',
      { 'build-contexts': 'alpine=docker-image://alpine:3.21', tags: 'myimage:latest' },
      [...PROVENANCE, '--build-context', 'alpine=docker-image://alpine:3.21', '--tag', 'myimage:latest', '.']
    ],
    [
      'secrets from a value, a file and a variable',
      { secrets: '"github_token=abc"', 'secret-files': 'netrc=netrc', 'secret-envs': 'npm=NPM_TOKEN', tags: 'user/app:latest' },
      [
        ...PROVENANCE,
        '--secret',
        'id=npm,env=NPM_TOKEN',
        '--secret',
        'id=github_token,src=/tmp/x',
        '--secret',
        'id=netrc,src=netrc',
        '--tag',
        'user/app:latest',
        '.'
      ]
    ],
    [
      'export to Docker, a target stage and a file',
      { load: 'true', target: 'test', file: 'Dockerfile.test', tags: 'user/app:test' },
      ['--file', 'Dockerfile.test', '--tag', 'user/app:test', '--target', 'test', '--load', '.']
    ],
    [
      'push by digest to a registry (outputs), with annotations',
      {
        outputs: 'type=image,name=user/app,push-by-digest=true,name-canonical=true,push=true',
        annotations: 'index:org.opencontainers.image.description=My image'
      },
      [
        ...PROVENANCE,
        '--annotation',
        'index:org.opencontainers.image.description=My image',
        '--output',
        'type=image,name=user/app,push-by-digest=true,name-canonical=true,push=true',
        '.'
      ]
    ],
    [
      'the runtime flags: hosts, network, ssh, shm, ulimits, pull, no-cache, no-cache-filters, call',
      {
        'add-hosts': 'docker:10.180.0.1',
        network: 'host',
        ssh: 'default',
        'shm-size': '2g',
        ulimit: 'nofile=1024:1024',
        pull: 'true',
        'no-cache': 'true',
        'no-cache-filters': 'install',
        call: 'check',
        'cgroup-parent': 'buildkit',
        allow: 'network.host',
        tags: 'user/app:latest'
      },
      [
        ...PROVENANCE,
        '--add-host',
        'docker:10.180.0.1',
        '--allow',
        'network.host',
        '--call',
        'check',
        '--cgroup-parent',
        'buildkit',
        '--no-cache-filter',
        'install',
        '--shm-size',
        '2g',
        '--ssh',
        'default',
        '--tag',
        'user/app:latest',
        '--ulimit',
        'nofile=1024:1024',
        '--network',
        'host',
        '--no-cache',
        '--pull',
        '.'
      ]
    ],
    [
      'attestations given as attests',
      { attests: 'type=sbom,generator=image', tags: 'user/app:latest', push: 'true' },
      [...PROVENANCE, '--attest', 'type=sbom,generator=image', '--tag', 'user/app:latest', '--push', '.']
    ]
  ])('%s', (_, inputs, peer) => {
    expect(pairs(ours(inputs))).toEqual(pairs(peer));
  });
});
