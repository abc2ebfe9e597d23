// What a wheel build changed in the wheelhouse: built, reused and pruned wheels.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type WheelDiff, diffWheels, listWheels } from '../../../src/wheels/inventory.js';

const FLASK = 'flask-3.0.3-py3-none-any.whl';
const PSYCOPG = 'psycopg2-2.9.9-cp312-cp312-linux_x86_64.whl';
const PSYCOPG_NEW = 'psycopg2-2.9.10-cp312-cp312-linux_x86_64.whl';
const SIX = 'six-1.16.0-py2.py3-none-any.whl';

describe('diffWheels', () => {
  it.each<[string, string[], string[], WheelDiff]>([
    ['cold: everything built', [], [FLASK, PSYCOPG], { built: [FLASK, PSYCOPG], reused: [], pruned: [] }],
    ['exact: everything reused', [FLASK, PSYCOPG], [FLASK, PSYCOPG], { built: [], reused: [FLASK, PSYCOPG], pruned: [] }],
    [
      'an upgrade: the new one built, the old one pruned',
      [FLASK, PSYCOPG],
      [FLASK, PSYCOPG_NEW],
      { built: [PSYCOPG_NEW], reused: [FLASK], pruned: [PSYCOPG] }
    ],
    ['a dependency dropped', [FLASK, PSYCOPG, SIX], [FLASK, PSYCOPG], { built: [], reused: [FLASK, PSYCOPG], pruned: [SIX] }],
    ['a dependency added', [FLASK], [FLASK, SIX], { built: [SIX], reused: [FLASK], pruned: [] }],
    ['nothing needed any more', [FLASK, SIX], [], { built: [], reused: [], pruned: [FLASK, SIX] }],
    ['nothing at all', [], [], { built: [], reused: [], pruned: [] }]
  ])('%s', (_, before, after, expected) => {
    const diff = diffWheels(before, after);
    expect(diff).toEqual(expected);
    expect(diff.built.length + diff.reused.length).toBe(after.length);
    expect(diff.reused.length + diff.pruned.length).toBe(before.length);
  });
});

describe('listWheels', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'inventory-test-'));
    for (const name of [SIX, FLASK, 'notes.txt', 'flask-3.0.3.tar.gz']) await fs.writeFile(path.join(dir, name), '');
  });

  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('lists the wheel names, sorted', async () => {
    expect(await listWheels(dir)).toEqual([FLASK, SIX]);
  });

  it('a missing folder holds no wheels', async () => {
    expect(await listWheels(path.join(dir, 'missing'))).toEqual([]);
  });
});
