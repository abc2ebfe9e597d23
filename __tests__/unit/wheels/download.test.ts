// Downloads on the runner take only the bytes they must have: a real HTTP server on 127.0.0.1 serves a
// file, its SHA-256 decides, and a failure says what and where.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sha256Of } from '../../../src/exec/sha256.js';
import { DownloadError, downloadVerified } from '../../../src/wheels/download.js';

const BODY = Buffer.from('PK\u0003\u0004 a wheel, as far as this test is concerned');
const SHA = createHash('sha256').update(BODY).digest('hex');

let server: http.Server;
let base: string;
let dir: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/six-1.17.0-py3-none-any.whl') {
      res.writeHead(200, { 'Content-Length': BODY.length });
      res.end(BODY);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'download-'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await fs.rm(dir, { recursive: true, force: true });
});

describe('downloadVerified', () => {
  it('keeps a file whose SHA-256 is the one asked for', async () => {
    const file = await downloadVerified(`${base}/six-1.17.0-py3-none-any.whl`, path.join(dir, 'good.whl'), SHA, 30);
    expect(await sha256Of(file)).toBe(SHA);
  });

  it('refuses other bytes, naming the file, the host and both sums, and leaves nothing behind', async () => {
    const dest = path.join(dir, 'bad.whl');
    const error = await downloadVerified(`${base}/six-1.17.0-py3-none-any.whl`, dest, 'f'.repeat(64), 30).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toBe(
      `downloading six-1.17.0-py3-none-any.whl from 127.0.0.1:${new URL(base).port}: SHA-256 ${SHA}, not ${'f'.repeat(64)}`
    );
    expect(existsSync(dest)).toBe(false);
  });

  it('turns a missing file into a DownloadError', async () => {
    const error = await downloadVerified(`${base}/nothing-1.0-py3-none-any.whl`, path.join(dir, 'missing.whl'), SHA, 30).catch(
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as Error).message).toMatch(/^downloading nothing-1\.0-py3-none-any\.whl failed: .*404/);
  });
});
