// A project without a Dockerfile on the real test bed (the bench's as-found project, its Dockerfile
// removed): the action generates the fast form on the slim image, with the system library the compiled
// psycopg2 wheel loads found from the wheel itself, and the image starts the app and serves its page.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repositoryOf } from '../../src/build/last-push.js';
import { CacheService } from '../support/cache-service/server.js';
import { runOnFreshRunner, testbedInputs, uniqueTag } from '../support/scenario.js';
import { repoRoot, requireTestbed, testbed } from '../support/testbed.js';

let root: string;
let service: CacheService;
let repository: string;

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
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'generated-'));
  service = await CacheService.start(path.join(root, 'cache-store'));
  repository = repositoryOf(uniqueTag('generated'));
});

afterAll(async () => {
  await service?.stop();
  await fs.rm(root, { recursive: true, force: true });
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

