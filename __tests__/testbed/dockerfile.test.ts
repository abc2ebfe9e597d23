// The Dockerfile advisor and the optimized copy on the real test bed, with the bench's as-found project
// (one install step, a plain COPY of the code, the full Python image, a new tag per run): the advice names
// its slow lines with what the build measured; `optimize-dockerfile: true` builds from a rewritten copy
// (the user's file untouched) whose image holds the same packages and the same code; a code change on a
// fresh runner then pulls no layer below the code.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repositoryOf } from '../../src/build/last-push.js';
import { CacheService } from '../support/cache-service/server.js';
import type { ActionRun } from '../support/runner.js';
import { runImage, runOnFreshRunner, testbedInputs, uniqueTag } from '../support/scenario.js';
import { repoRoot, requireTestbed, testbed } from '../support/testbed.js';

let root: string;
let workspace: string;
let service: CacheService;
let repository: string;
let original: string;

async function run(tag: string, extra: Record<string, string> = {}): Promise<ActionRun> {
  const inputs = { ...testbedInputs(tag), 'build-args': `PYTHON_IMAGE=${testbed.pythonBuildImage}`, ...extra };
  const result = await runOnFreshRunner(root, workspace, inputs, service);
  expect(result.main.errors).toEqual([]);
  expect(result.main.warnings).toEqual([]);
  expect(result.main.exitCode).toBe(0);
  return result;
}

/** What an image holds: its installed distributions and its code. */
const contents = (ref: string): string =>
  runImage(ref, 'sh', '-c', 'python3 -m pip freeze --all | sort && find /app/site -type f -name "*.py" | sort && cat /app/site/site_app/views.py');

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
  requireTestbed();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'dockerfile-'));
  service = await CacheService.start(path.join(root, 'cache-store'));
  workspace = path.join(root, 'workspace');
  await fs.cp(path.join(repoRoot, 'bench/projects/as-found'), workspace, { recursive: true });
  await fs.copyFile(testbed.buildkitdConfig, path.join(workspace, 'buildkitd.toml'));
  original = await fs.readFile(path.join(workspace, 'Dockerfile'), 'utf8');
  repository = repositoryOf(uniqueTag('dockerfile'));
});

afterAll(async () => {
  await service?.stop();
  await fs.rm(root, { recursive: true, force: true });
});

describe('the Dockerfile of a project as found', () => {
  let plainRef = '';
  let optimizedRef = '';

  it('advice: the single install step and the plain COPY, by line, with what this build measured', async () => {
    const first = await run(`${repository}:run-1`);
    const out = first.main.stdout;
    expect(out).toContain('dockerfile advice for Dockerfile');
    expect(out).toMatch(/ {2}line 9: RUN --mount=type=bind,from=wheelhouse,target=\/wheelhouse pip install/);
    expect(out).toMatch(/one step installs every dependency.*; this build: ran \d+\.\d s/);
    expect(out).toMatch(/ {2}line 11: COPY site\/ \.\/site\/\n.*copies code without --link.*; this build: ran \d+\.\d s/);
    expect(out).toContain('    fix: COPY --link site/ ./site/');
    // a notice on each line, for the pull request's files view
    expect(out).toMatch(/::notice title=[^,]*,file=Dockerfile,line=9::one step installs every dependency/);
    expect(out).toMatch(/::notice title=[^,]*,file=Dockerfile,line=11::copies code without --link/);
    expect(first.main.summary).toContain('Dockerfile: slow steps');
    expect(first.main.summary).toContain('<code>COPY site/ ./site/</code>');
    plainRef = `${repository}@${first.main.outputs.digest}`;
  }, 900_000);

  it('optimize-dockerfile: builds from a copy with the base install and --link, shows the diff, leaves the file alone', async () => {
    const second = await run(`${repository}:run-2`, { 'optimize-dockerfile': 'true' });
    const out = second.main.stdout;
    expect(out).toMatch(/optimize-dockerfile: building from \S+\/dockerfile\/Dockerfile, Dockerfile with 2 change\(s\)/);
    expect(out).toContain('+RUN --mount=type=bind,from=wheelhouse-base,target=/wheelhouse \\');
    expect(out).toContain('+    pip install --no-cache-dir --no-index --no-deps --find-links /wheelhouse -r /wheelhouse/requirements.txt');
    expect(out).toContain('-COPY site/ ./site/\n+COPY --link site/ ./site/');
    expect(out).toContain('fixed in the optimized copy this build used');
    expect(second.main.summary).toContain('Optimized Dockerfile: the image was built from it');
    expect(await fs.readFile(path.join(workspace, 'Dockerfile'), 'utf8')).toBe(original);
    optimizedRef = `${repository}@${second.main.outputs.digest}`;
    // the same distributions and the same code as the image of the user's own Dockerfile
    expect(contents(optimizedRef)).toBe(contents(plainRef));
  }, 900_000);

  it('a code change with the optimized copy, on a fresh runner: the code layer is built without pulling any layer below it', async () => {
    const views = path.join(workspace, 'site/site_app/views.py');
    await fs.writeFile(views, (await fs.readFile(views, 'utf8')).replace('Hello from the wheelhouse example', 'Hello again'));
    const third = await run(`${repository}:run-3`, { 'optimize-dockerfile': 'true' });
    const log = third.main.stdout + third.main.stderr;
    expect(third.main.outputs['wheelhouse-cache-hit']).toBe('exact');
    expect(log).toMatch(/#\d+ \[stage-0 \d+\/\d+\] COPY --link site\/ \.\/site\/\n#\d+ DONE/);
    expect(log).not.toMatch(/extracting sha256:/);
    expect(runImage(`${repository}@${third.main.outputs.digest}`, 'cat', '/app/site/site_app/views.py')).toContain('Hello again');
  }, 900_000);
});

describe('a project without a Dockerfile', () => {
  it('generates the fast form with the runtime library psycopg2 needs, and the image serves the app', async () => {
    const bare = path.join(root, 'no-dockerfile');
    await fs.cp(path.join(repoRoot, 'bench/projects/as-found'), bare, { recursive: true });
    await fs.rm(path.join(bare, 'Dockerfile'));
    await fs.copyFile(testbed.buildkitdConfig, path.join(bare, 'buildkitd.toml'));
    const inputs = { ...testbedInputs(`${repository}:generated`), 'build-args': `PYTHON_IMAGE=${testbed.pythonSlimImage}` };
    const result = await runOnFreshRunner(root, bare, inputs, service);
    expect(result.main.errors).toEqual([]);
    expect(result.main.exitCode).toBe(0);
    const out = result.main.stdout;
    expect(out).toContain('dockerfile: none in the context; one is generated, starting site/site_app/wsgi.py served by gunicorn: gunicorn --bind 0.0.0.0:8000 site_app.wsgi');
    // found from the compiled wheel itself, in the image it was built in
    expect(out).toMatch(/runtime: psycopg2-[\d.]+-cp311-cp311-linux_x86_64\.whl loads libpq5\n/);
    expect(out).toContain('  ARG PYTHON_IMAGE=python:3.11-slim\n');
    expect(out).toContain('  RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libpq5 && ');
    expect(out).toContain('  COPY --link . /app/');
    expect(out).not.toContain('dockerfile advice');
    expect(result.main.summary).toContain('Generated Dockerfile (commit it to own it)');
    expect(serves(`${repository}@${result.main.outputs.digest}`)).toBe('200 Hello from the wheelhouse example');
  }, 900_000);
});

