// What a unit test of a phase needs around it: the log the step writes (@actions/core prints its lines and
// workflow commands such as `::warning::` on stdout) and a scratch folder of its own, both fresh for each test.
import { afterEach, beforeEach, jest } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Registers the capture for each test of the file; the returned function gives what was written so far. */
export function capturedLog(): () => string {
  let written: string[] = [];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  return () => written.join('');
}

/** Registers a fresh folder for each test of the file, removed after it; the returned function names it. */
export function scratchDir(prefix: string): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), `${prefix}-`));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}
