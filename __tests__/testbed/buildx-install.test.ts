// `buildx-version`: a buildx release installed for the job from a download URL in GitHub's release layout,
// here a server on 127.0.0.1 that serves the test bed's own buildx binary with a checksums file. The
// release is checked against the checksums, kept in the runner's tool cache (a second job on the same
// runner downloads nothing), and used as the docker CLI plugin of the job's docker commands only. A
// file that does not match its checksum and a server that never answers are clear errors.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { faultWorkspace } from '../support/faults.js';
import { type ActionRun, runAction } from '../support/runner.js';
import { testbedInputs, uniqueTag } from '../support/scenario.js';
import { repoRoot, requireTestbed, testbed } from '../support/testbed.js';

const PLUGIN = '/usr/local/lib/docker/cli-plugins/docker-buildx';
const VERSION = testbed.buildxVersion.replace(/^v/, '');
const ASSET = (version: string): string => `buildx-v${version}.linux-amd64`;

let root: string;
let server: http.Server;
let base: string;
const requests: string[] = [];
const sockets: Socket[] = [];

beforeAll(async () => {
  requireTestbed();
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'buildx-install-'));
  const sha = createHash('sha256').update(readFileSync(PLUGIN)).digest('hex');
  const files: Record<string, string> = {
    '/releases/latest/download/checksums.txt': `${sha}  ${ASSET(VERSION)}\n`,
    [`/releases/download/v${VERSION}/checksums.txt`]: `${sha}  ${ASSET(VERSION)}\n`,
    // a release whose binary is not the one its checksums name
    '/releases/download/v0.98.0/checksums.txt': `${'0'.repeat(64)}  ${ASSET('0.98.0')}\n`
  };
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    if (url.startsWith('/releases/download/v0.99.0/')) return; // never answers
    const text = files[url];
    if (text !== undefined) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(text);
      return;
    }
    if (url === `/releases/download/v${VERSION}/${ASSET(VERSION)}` || url === `/releases/download/v0.98.0/${ASSET('0.98.0')}`) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      createReadStream(PLUGIN).pipe(res);
      return;
    }
    res.writeHead(404).end('not found');
  });
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/releases`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => server?.close(resolve));
  if (root) await fs.rm(root, { recursive: true, force: true });
});

/** A job on one self-hosted runner: its tool cache stays from one job to the next. */
async function job(name: string, inputs: Record<string, string>): Promise<ActionRun> {
  const workspace = await faultWorkspace(path.join(root, `app-${name}`));
  await fs.mkdir(path.join(root, 'runner', 'home'), { recursive: true });
  return runAction({
    actionDir: repoRoot,
    workspace,
    runnerTemp: path.join(root, 'runner', 'temp'),
    inputs: { ...testbedInputs(uniqueTag(`buildx-${name}`)), 'cache-backend': 'none', 'buildx-download-url': base, ...inputs },
    env: { HOME: path.join(root, 'runner', 'home') },
    echo: process.env.ECHO_ACTION === '1'
  });
}

describe('buildx-version', () => {
  it("latest: found from the mirror, downloaded, checked, kept in the tool cache; the builder's commands run with the job's DOCKER_CONFIG", async () => {
    requests.length = 0;
    const run = await job('latest', { 'buildx-version': 'latest' });
    expect(run.main.errors).toEqual([]);
    expect(run.main.exitCode).toBe(0);
    expect(run.main.stdout).toMatch(
      new RegExp(`buildx: v${VERSION.replace(/\./g, '\\.')} downloaded from ${base}/download/v${VERSION}/${ASSET(VERSION)} and checked`)
    );
    expect(requests).toEqual([
      '/releases/latest/download/checksums.txt',
      `/releases/download/v${VERSION}/checksums.txt`,
      `/releases/download/v${VERSION}/${ASSET(VERSION)}`
    ]);
    // the job's DOCKER_CONFIG held the plugin: the builder record post used names it
    expect(JSON.stringify(run.main.state)).toContain('docker-config');
    expect(run.post.exitCode).toBe(0);
    expect(run.post.warnings).toEqual([]);
    const installed = path.join(root, 'runner', 'tool-cache', 'docker-buildx', VERSION, 'amd64', 'docker-buildx');
    expect((await fs.stat(installed)).size).toBe((await fs.stat(PLUGIN)).size);
  }, 600_000);

  it('a version the tool cache has: the next job on the runner downloads nothing', async () => {
    requests.length = 0;
    const run = await job('cached', { 'buildx-version': `v${VERSION}` });
    expect(run.main.errors).toEqual([]);
    expect(run.main.stdout).toContain(`buildx: v${VERSION} from the tool cache`);
    expect(requests).toEqual([]);
  }, 600_000);

  it('a binary that does not match the release checksums is refused: one clear error, nothing built', async () => {
    const run = await job('mismatch', { 'buildx-version': '0.98.0' });
    expect(run.main.exitCode).not.toBe(0);
    expect(run.main.errors).toHaveLength(1);
    expect(run.main.errors[0]).toMatch(
      new RegExp(
        `buildx-version: ${ASSET('0.98.0').replace(/\./g, '\\.')} from .* does not match the release's checksums \\(SHA-256 [0-9a-f]{64}, not 0{64}\\): refused`
      )
    );
    expect(run.main.outputs.digest ?? '').toBe('');
    await expect(fs.stat(path.join(root, 'runner', 'tool-cache', 'docker-buildx', '0.98.0'))).rejects.toThrow();
  }, 600_000);

  it('a server that never answers: the deadline (cache-timeout) ends the wait with a clear error', async () => {
    const started = Date.now();
    const run = await job('hang', { 'buildx-version': '0.99.0', 'cache-timeout': '5' });
    expect(run.main.exitCode).not.toBe(0);
    expect(run.main.errors).toHaveLength(1);
    expect(run.main.errors[0]).toMatch(/buildx-version: downloading the checksums of v0\.99\.0 from .* failed: .*5 ?s/);
    expect(Date.now() - started).toBeLessThan(60_000);
  }, 600_000);
});
