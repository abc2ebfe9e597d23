// The wheelhouse manifest: written after a wheel build, checked after a restore.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { indexHash } from '../../../src/keys/key.js';
import type { Line } from '../../../src/keys/model.js';
import { MANIFEST, indexProblem, readBase, verifyManifest, writeManifest } from '../../../src/wheels/manifest.js';

/** The smallest zip archive: an end-of-central-directory record, with some content before it. */
const zip = (content: string): Buffer => Buffer.concat([Buffer.from(content), Buffer.from([0x50, 0x4b, 0x05, 0x06]), Buffer.alloc(18)]);

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'manifest-'));
  await fs.writeFile(path.join(dir, 'a-1.0-py3-none-any.whl'), zip('a'));
  await fs.writeFile(path.join(dir, 'b-2.0-cp311-cp311-linux_x86_64.whl'), zip('b'));
  await fs.mkdir(path.join(dir, 'base'));
  await fs.writeFile(path.join(dir, 'base', 'b-1.0-cp311-cp311-linux_x86_64.whl'), zip('b1'));
  await writeManifest(dir, ['a-1.0-py3-none-any.whl', 'b-1.0-cp311-cp311-linux_x86_64.whl']);
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the wheelhouse manifest', () => {
  it('lists every wheel with its SHA-256, those kept apart for the base under base/', async () => {
    const manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as { version: number; wheels: Record<string, string> };
    expect(manifest.version).toBe(1);
    expect(Object.keys(manifest.wheels)).toEqual([
      'a-1.0-py3-none-any.whl',
      'b-2.0-cp311-cp311-linux_x86_64.whl',
      'base/b-1.0-cp311-cp311-linux_x86_64.whl'
    ]);
    expect(manifest.wheels['a-1.0-py3-none-any.whl']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the wheelhouse it was written for', async () => {
    expect(await verifyManifest(dir)).toBeUndefined();
  });

  it('names the base generation', async () => {
    expect(await readBase(dir)).toEqual(['a-1.0-py3-none-any.whl', 'b-1.0-cp311-cp311-linux_x86_64.whl']);
  });

  it('names no base for a wheelhouse saved before bases existed', async () => {
    await fs.writeFile(path.join(dir, MANIFEST), '{"version":1,"wheels":{}}');
    expect(await readBase(dir)).toBeUndefined();
  });

  it('names only plain wheel file names as the base (the names become paths)', async () => {
    await fs.writeFile(
      path.join(dir, MANIFEST),
      '{"version":1,"wheels":{},"base":["../../etc/passwd.whl","x/y.whl","notes.txt",7,"a-1.0-py3-none-any.whl"]}'
    );
    expect(await readBase(dir)).toEqual(['a-1.0-py3-none-any.whl']);
  });

  it.each<[string, (d: string) => Promise<void>, RegExp]>([
    [
      'a changed wheel',
      (d) => fs.writeFile(path.join(d, 'a-1.0-py3-none-any.whl'), zip('A')),
      /a-1\.0-py3-none-any\.whl does not match its SHA-256/
    ],
    ['a missing wheel', (d) => fs.rm(path.join(d, 'a-1.0-py3-none-any.whl')), /a-1\.0-py3-none-any\.whl is missing/],
    [
      'a wheel it does not list',
      (d) => fs.writeFile(path.join(d, 'c-3.0-py3-none-any.whl'), zip('c')),
      /c-3\.0-py3-none-any\.whl is not in its manifest/
    ],
    [
      'a changed wheel kept for the base',
      (d) => fs.writeFile(path.join(d, 'base', 'b-1.0-cp311-cp311-linux_x86_64.whl'), zip('B')),
      /base\/b-1\.0-cp311-cp311-linux_x86_64\.whl does not match/
    ],
    [
      'a wheel of the base gone',
      (d) => fs.rm(path.join(d, 'base', 'b-1.0-cp311-cp311-linux_x86_64.whl')),
      /base\/b-1\.0-cp311-cp311-linux_x86_64\.whl is missing/
    ],
    [
      'a base naming a file outside the wheelhouse',
      async (d) => {
        const manifest = JSON.parse(await fs.readFile(path.join(d, MANIFEST), 'utf8')) as { base: string[] };
        manifest.base.push('../../secret.whl');
        await fs.writeFile(path.join(d, MANIFEST), JSON.stringify(manifest));
      },
      /the base's \.\.\/\.\.\/secret\.whl is missing/
    ],
    ['no manifest', (d) => fs.rm(path.join(d, MANIFEST)), /no readable wheelhouse-manifest\.json/],
    [
      'an sdist pip would build',
      (d) => fs.writeFile(path.join(d, 'evil-1.0.tar.gz'), 'x'),
      /^evil-1\.0\.tar\.gz is not a wheel of the manifest$/
    ],
    ['a folder pip would take as a project', (d) => fs.mkdir(path.join(d, 'evil')), /^evil is not a wheel of the manifest$/],
    [
      'a link named like a wheel',
      (d) => fs.symlink('/etc/passwd', path.join(d, 'c-1.0-py3-none-any.whl')),
      /^c-1\.0-py3-none-any\.whl is not a wheel/
    ],
    [
      'a stray file among the base',
      (d) => fs.writeFile(path.join(d, 'base', 'setup.py'), 'x'),
      /^base\/setup\.py is not a wheel of the manifest$/
    ],
    ['a manifest of another version', (d) => fs.writeFile(path.join(d, MANIFEST), '{"version":2,"wheels":{}}'), /not of version 1/]
  ])('refuses %s', async (_, damage, problem) => {
    await damage(dir);
    expect(await verifyManifest(dir)).toMatch(problem);
  });

  it('refuses a listed file that is not a zip archive', async () => {
    await fs.writeFile(path.join(dir, 'a-1.0-py3-none-any.whl'), 'not a zip');
    await writeManifest(dir, []);
    expect(await verifyManifest(dir)).toBe('a-1.0-py3-none-any.whl is not a zip archive');
  });
});

describe('the index options a wheelhouse was made from', () => {
  const line = (text: string): Line => ({ text, normalized: text });
  const privateIndex = indexHash([line('--index-url https://pypi.internal.example/simple')]);
  const publicIndex = indexHash([]);

  it.each<[string, string | undefined, string, boolean, string | undefined]>([
    ['the same index options', privateIndex, privateIndex, false, undefined],
    ['the default index, recorded', publicIndex, publicIndex, true, undefined],
    ['other index options (a move to a private --index-url)', publicIndex, privateIndex, false, 'its wheels came from other index options'],
    ['a move back to the default index', privateIndex, publicIndex, true, 'its wheels came from other index options'],
    ['no record (an older wheelhouse), the default index', undefined, publicIndex, true, undefined],
    [
      'no record (an older wheelhouse), index options set',
      undefined,
      privateIndex,
      false,
      'it records no index, and the index options are set'
    ]
  ])('%s', async (_, recorded, current, noOptions, problem) => {
    await writeManifest(dir, [], {}, recorded);
    expect(await indexProblem(dir, current, noOptions)).toBe(problem);
  });

  it('hashes the options in their order, credentials left out by their normalized form', () => {
    const a = line('--extra-index-url https://a.example/simple');
    const b = line('--extra-index-url https://b.example/simple');
    expect(indexHash([a, b])).toMatch(/^[0-9a-f]{16}$/);
    expect(indexHash([a, b])).not.toBe(indexHash([b, a]));
    expect(
      indexHash([{ text: '--index-url https://u:secret@x.example/simple', normalized: '--index-url https://***@x.example/simple' }])
    ).toBe(indexHash([{ text: '--index-url https://u:other@x.example/simple', normalized: '--index-url https://***@x.example/simple' }]));
  });
});
