// The wheelhouse manifest: written after a wheel build, checked after a restore.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MANIFEST, verifyManifest, writeManifest } from '../../../src/wheels/manifest.js';

/** The smallest zip archive: an end-of-central-directory record, with some content before it. */
const zip = (content: string): Buffer => Buffer.concat([Buffer.from(content), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'manifest-'));
  await fs.writeFile(path.join(dir, 'a-1.0-py3-none-any.whl'), zip('a'));
  await fs.writeFile(path.join(dir, 'b-2.0-cp311-cp311-linux_x86_64.whl'), zip('b'));
  await writeManifest(dir);
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the wheelhouse manifest', () => {
  it('lists every wheel with its SHA-256', async () => {
    const manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as { version: number; wheels: Record<string, string> };
    expect(manifest.version).toBe(1);
    expect(Object.keys(manifest.wheels)).toEqual(['a-1.0-py3-none-any.whl', 'b-2.0-cp311-cp311-linux_x86_64.whl']);
    expect(manifest.wheels['a-1.0-py3-none-any.whl']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the wheelhouse it was written for', async () => {
    expect(await verifyManifest(dir)).toBeUndefined();
  });

  it.each<[string, (d: string) => Promise<void>, RegExp]>([
    ['a changed wheel', (d) => fs.writeFile(path.join(d, 'a-1.0-py3-none-any.whl'), zip('A')), /a-1\.0-py3-none-any\.whl does not match its SHA-256/],
    ['a missing wheel', (d) => fs.rm(path.join(d, 'a-1.0-py3-none-any.whl')), /a-1\.0-py3-none-any\.whl is missing/],
    ['a wheel it does not list', (d) => fs.writeFile(path.join(d, 'c-3.0-py3-none-any.whl'), zip('c')), /c-3\.0-py3-none-any\.whl is not in its manifest/],
    ['no manifest', (d) => fs.rm(path.join(d, MANIFEST)), /no readable wheelhouse-manifest\.json/],
    ['a manifest of another version', (d) => fs.writeFile(path.join(d, MANIFEST), '{"version":2,"wheels":{}}'), /not of version 1/]
  ])('refuses %s', async (_, damage, problem) => {
    await damage(dir);
    expect(await verifyManifest(dir)).toMatch(problem);
  });

  it('refuses a listed file that is not a zip archive', async () => {
    await fs.writeFile(path.join(dir, 'a-1.0-py3-none-any.whl'), 'not a zip');
    await writeManifest(dir);
    expect(await verifyManifest(dir)).toBe('a-1.0-py3-none-any.whl is not a zip archive');
  });
});
