// A folder's size on disk: regular files at any depth; links are not followed; a missing folder is empty.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { folderBytes } from '../../../src/cache/size.js';

let root: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'size-'));
  await fs.mkdir(path.join(root, 'w', 'base'), { recursive: true });
  await fs.writeFile(path.join(root, 'w', 'a.whl'), Buffer.alloc(1000));
  await fs.writeFile(path.join(root, 'w', 'base', 'b.whl'), Buffer.alloc(24));
  await fs.writeFile(path.join(root, 'big'), Buffer.alloc(1_000_000));
  await fs.symlink(path.join(root, 'big'), path.join(root, 'w', 'link'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('folderBytes', () => {
  it('adds the files at every depth, not what links point to', async () => {
    expect(await folderBytes(path.join(root, 'w'))).toBe(1024);
  });

  it('a folder that is not there holds nothing', async () => {
    expect(await folderBytes(path.join(root, 'missing'))).toBe(0);
  });
});
