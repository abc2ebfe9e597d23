// A project without a Dockerfile on the real test bed (the bench's as-found project, its Dockerfile
// removed): the action generates the fast form on the slim image, with the system library the compiled
// psycopg2 wheel loads found from the wheel itself, and the image starts the app and serves its page.
// Each package is a layer of its own: a bumped range rebuilds one, and the installed files are those
// of a pip install of the same wheels in the same image.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { repositoryOf } from '../../src/inputs/image-ref.js';
import { testbedSuite } from '../support/suite.js';
import type { ActionRun } from '../support/runner.js';
import { runOnFreshRunner, testbedInputs, uniqueTag } from '../support/scenario.js';
import { repoRoot, testbed } from '../support/testbed.js';
import { installedFiles, listingDiff } from '../support/installed.js';

const suite = testbedSuite('generated');

let repository: string;
let bare: string;
let first: ActionRun | undefined;

/** Starts the image's own command and fetches `/` from inside the container: the status and the body. */
function serves(ref: string): string {
  execFileSync('docker', ['pull', '-q', ref], { stdio: 'ignore' });
  const id = execFileSync('docker', ['run', '-d', '--network', 'none', ref], { encoding: 'utf8' }).trim();
  const fetch = [
    'import time, urllib.request',
    'for attempt in range(60):',
    '    try:',
    '        answer = urllib.request.urlopen("http://127.0.0.1:8000/", timeout=5)',
    '        print(answer.status, answer.read().decode()); break',
    '    except OSError:',
    '        time.sleep(1)'
  ].join('\n');
  try {
    return execFileSync('docker', ['exec', id, 'python3', '-c', fetch], { encoding: 'utf8' }).trim();
  } finally {
    execFileSync('docker', ['rm', '-f', id], { stdio: 'ignore' });
    execFileSync('docker', ['rmi', '-f', ref], { stdio: 'ignore' });
  }
}

beforeAll(async () => {
  repository = repositoryOf(uniqueTag('generated'));
});

describe('a project without a Dockerfile', () => {
  it('generates the fast form with the runtime library psycopg2 needs, and the image serves the app', async () => {
    bare = path.join(suite.root, 'no-dockerfile');
    await fs.cp(path.join(repoRoot, 'bench/projects/as-found'), bare, { recursive: true });
    await fs.rm(path.join(bare, 'Dockerfile'));
    await fs.copyFile(testbed.buildkitdConfig, path.join(bare, 'buildkitd.toml'));
    const inputs = { ...testbedInputs(`${repository}:generated`), 'build-args': `PYTHON_IMAGE=${testbed.pythonSlimImage}` };
    const result = await runOnFreshRunner(suite.root, bare, inputs, suite.service);
    first = result;
    expect(result.main.errors).toEqual([]);
    expect(result.main.exitCode).toBe(0);
    const out = result.main.stdout;
    expect(out).toContain(
      'dockerfile: none in the context; one is generated, starting site/site_app/wsgi.py served by gunicorn: gunicorn --bind 0.0.0.0:8000 site_app.wsgi'
    );
    // found from the compiled wheel itself, in the image it was built in
    expect(out).toMatch(/runtime: psycopg2-[\d.]+-cp311-cp311-linux_x86_64\.whl loads libpq5\n/);
    expect(out).toContain('  ARG PYTHON_IMAGE=python:3.11-slim\n');
    expect(out).toContain('  RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpq5 && ');
    expect(out).toContain('  COPY --link . /app/');
    expect(out).toMatch(/ {2}FROM \$\{PYTHON_IMAGE\} AS wheel-django\n/);
    expect(out).toMatch(/ {2}COPY --link --from=wheels-p \/site\/ \/\n/);
    expect(out).not.toContain('dockerfile advice');
    expect(result.main.summary).toContain('Generated Dockerfile (commit it to own it)');
    expect(serves(`${repository}@${result.main.outputs.digest}`)).toBe('200 Hello from the wheelhouse example');
  }, 900_000);

  it("a bumped range rebuilds its package's layer alone (gunicorn, a small wheel, shares it with those of its first letter); the installed files are a pip install's, file for file", async () => {
    expect(first?.main.exitCode).toBe(0);
    const requirements = path.join(bare, 'requirements.txt');
    await fs.writeFile(requirements, (await fs.readFile(requirements, 'utf8')).replace('gunicorn>=22.0,<23', 'gunicorn>=23.0,<24'));
    const inputs = { ...testbedInputs(`${repository}:bumped`), 'build-args': `PYTHON_IMAGE=${testbed.pythonSlimImage}` };
    const result = await runOnFreshRunner(suite.root, bare, inputs, suite.service);
    expect(result.main.errors).toEqual([]);
    const log = result.main.stdout;
    const stages = [...log.matchAll(/^ {2}FROM \$\{PYTHON_IMAGE\} AS (wheels?-\S+)$/gm)].map((m) => m[1]!);
    expect(stages.length).toBeGreaterThan(10);
    // a stage's install step ran when buildx printed it DONE (not CACHED, nor CANCELED once the cache answered)
    const ran = stages.filter((stage) => {
      const id = new RegExp(`^#(\\d+) \\[${stage} 2/2\\] RUN `, 'm').exec(log)?.[1];
      return id !== undefined && new RegExp(`^#${id} DONE `, 'm').test(log) && !log.includes(`\n#${id} CACHED\n`);
    });
    // nothing runs on top of the package layers: the only layers unpacked are the base image's and the
    // new wheelhouse image's (pushed after the wheel build, mounted by gunicorn's install)
    expect(result.main.outputs['wheelhouse-image']).toMatch(new RegExp(`^${repository}@sha256:`));
    const bases = new Set([...log.matchAll(/^#(\d+) \[[^\]]+\] FROM /gm)].map((m) => m[1]));
    const wheelhouseContexts = new Set([...log.matchAll(/^#(\d+) \[context wheelhouse(-base)?\] /gm)].map((m) => m[1]));
    const unpacked = [...log.matchAll(/^#(\d+) extracting /gm)].map((m) => m[1]!);
    expect(unpacked.length).toBeGreaterThan(0);
    expect(unpacked.filter((id) => !bases.has(id) && !wheelhouseContexts.has(id))).toEqual([]);
    // the other stages are found in the inline cache of the first image, the last push
    expect(log).toContain(`cache-from: ${repository}@${first!.main.outputs.digest}`);
    expect(ran).toEqual(['wheels-g']);
    // every other package: the same layers as the first image's (the code's changed too: it holds requirements.txt)
    const layers = (ref: string): string[] => {
      const index = JSON.parse(execFileSync('docker', ['buildx', 'imagetools', 'inspect', '--raw', ref], { encoding: 'utf8' })) as {
        manifests?: { digest: string; platform?: { architecture?: string } }[];
        layers?: { digest: string }[];
      };
      const platform = index.manifests?.find((m) => m.platform?.architecture === 'amd64')?.digest;
      return platform ? layers(`${repository}@${platform}`) : (index.layers ?? []).map((l) => l.digest);
    };
    const before = layers(`${repository}@${first!.main.outputs.digest}`);
    const after = layers(`${repository}@${result.main.outputs.digest}`);
    expect(after.length).toBe(before.length);
    const changed = after.filter((l) => !before.includes(l));
    expect(changed).toHaveLength(2);
    expect(changed).toContain(after[after.length - 1]);

    // the same wheels installed by pip in one step on the same image, next to the image's own files
    const wheelhouse = path.join(suite.root, 'runner', 'home', '.cache', 'wheelhouse-buildx', 'wheelhouse');
    const wheels = (await fs.readdir(wheelhouse)).filter((f) => f.endsWith('.whl'));
    expect(wheels.some((w) => w.startsWith('gunicorn-23.'))).toBe(true);
    const image = `${repository}@${result.main.outputs.digest}`;
    execFileSync('docker', ['pull', '-q', image], { stdio: 'ignore' });
    execFileSync('docker', ['pull', '-q', testbed.pythonSlimImage], { stdio: 'ignore' });
    try {
      const built = installedFiles(image);
      const pip = installedFiles(testbed.pythonSlimImage, {
        mounts: ['-v', `${wheelhouse}:/wheels:ro`, '-e', 'PYTHONDONTWRITEBYTECODE=1'],
        before: `python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore --no-cache-dir --no-index --no-deps ${wheels.map((w) => `/wheels/${w}`).join(' ')} && `
      });
      expect(Object.keys(built).length).toBeGreaterThan(1000);
      expect(listingDiff(built, pip)).toEqual([]);
      expect(Object.keys(built).filter((f) => /\/gunicorn-23\.[^/]*\.dist-info\/RECORD$/.test(f))).toHaveLength(1);
      expect(Object.keys(built).filter((f) => f === '/usr/local/bin/gunicorn')).toHaveLength(1);
    } finally {
      execFileSync('docker', ['rmi', '-f', image], { stdio: 'ignore' });
    }
  }, 900_000);
});
