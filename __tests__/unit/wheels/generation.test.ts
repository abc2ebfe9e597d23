// The wheelhouse's base generation: kept while dependency changes stay small, so the image's first
// dependency layer is reused; made again when it would leave a package in the image or fall behind.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseContext, basePins, keepBase, nextBase, wheelName } from '../../../src/wheels/generation.js';

const w = (project: string, version: string, tags = 'py3-none-any'): string => `${project}-${version}-${tags}.whl`;
/** Eight wheels, a-1.0 … h-1.0. */
const EIGHT = 'abcdefgh'.split('').map((p) => w(p, '1.0'));

describe('wheelName', () => {
  it.each([
    ['Django-5.2.19-py3-none-any.whl', 'django', '5.2.19'],
    ['django_modelcluster-6.5-py3-none-any.whl', 'django-modelcluster', '6.5'],
    ['psycopg2-2.9.10-cp311-cp311-linux_x86_64.whl', 'psycopg2', '2.9.10'],
    ['zope.interface-7.2-1-cp311-cp311-manylinux_2_17_x86_64.whl', 'zope-interface', '7.2'],
    ['pkg-1.0+local.1-py3-none-any.whl', 'pkg', '1.0+local.1']
  ])('%s is %s %s', (file, project, version) => {
    expect(wheelName(file)).toEqual({ project, version });
  });
});

describe('nextBase', () => {
  it.each<[string, string[] | undefined, string[], string[], RegExp | undefined]>([
    ['a first wheelhouse becomes the base', undefined, EIGHT, EIGHT, /no base yet/],
    ['an empty base is made again', [], EIGHT, EIGHT, /no base yet/],
    ['nothing changed: the base is kept', EIGHT, EIGHT, EIGHT, undefined],
    ['one wheel added: the base is kept, the new wheel goes on top', EIGHT, [...EIGHT, w('six', '1.17.0')], EIGHT, undefined],
    ['one version bumped: the base keeps the old one, the new goes on top', EIGHT, [...EIGHT.slice(1), w('a', '2.0')], EIGHT, undefined],
    [
      'a project no longer required: made again, or the image would keep it',
      EIGHT,
      EIGHT.slice(1),
      EIGHT.slice(1),
      /a is no longer required/
    ],
    [
      'more than a quarter of the wheels above the base: made again',
      EIGHT,
      [...EIGHT, w('x', '1'), w('y', '1'), w('z', '1')],
      [...EIGHT, w('x', '1'), w('y', '1'), w('z', '1')].sort(),
      /3 of 11 wheels are not in the base/
    ],
    ['a quarter exactly: kept', EIGHT, [...EIGHT.slice(2), w('a', '2'), w('b', '2')], EIGHT, undefined],
    [
      'project names compare normalized',
      [w('Django_Filter', '1'), ...EIGHT],
      [w('django_filter', '2'), ...EIGHT],
      [w('Django_Filter', '1'), ...EIGHT],
      undefined
    ]
  ])('%s', (_, previous, wheels, base, rebased) => {
    const plan = nextBase(previous, wheels);
    expect(plan.base).toEqual(base);
    if (rebased) expect(plan.rebased).toMatch(rebased);
    else expect(plan.rebased).toBeUndefined();
  });
});

describe('basePins', () => {
  it('pins each wheel of the base, one a line', () => {
    expect(basePins([w('Django', '5.2.19'), 'psycopg2-2.9.10-cp311-cp311-linux_x86_64.whl'])).toBe('django==5.2.19\npsycopg2==2.9.10\n');
  });

  it('is empty for an empty base', () => {
    expect(basePins([])).toBe('');
  });
});

describe('the base on disk', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'generation-'));
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const files = async (dir: string): Promise<string[]> => (await fs.readdir(dir, { recursive: true })).map(String).sort();

  it('keeps the base wheels a new wheelhouse lacks apart in base/, from where the previous one had them', async () => {
    const previous = path.join(root, 'previous');
    const next = path.join(root, 'next');
    await fs.mkdir(path.join(previous, 'base'), { recursive: true });
    await fs.mkdir(next);
    await fs.writeFile(path.join(previous, w('a', '1.0')), 'a1');
    await fs.writeFile(path.join(previous, 'base', w('b', '1.0')), 'b1');
    await fs.writeFile(path.join(next, w('a', '2.0')), 'a2');
    await fs.writeFile(path.join(next, w('b', '2.0')), 'b2');
    await keepBase(previous, next, [w('a', '1.0'), w('b', '1.0')]);
    expect(await files(next)).toEqual([
      'a-2.0-py3-none-any.whl',
      'b-2.0-py3-none-any.whl',
      'base',
      'base/a-1.0-py3-none-any.whl',
      'base/b-1.0-py3-none-any.whl'
    ]);
    expect(await fs.readFile(path.join(next, 'base', w('b', '1.0')), 'utf8')).toBe('b1');
  });

  it('adds no base/ folder when the new wheelhouse holds the whole base', async () => {
    const dir = path.join(root, 'wh');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, w('a', '1.0')), 'a1');
    await keepBase(dir, dir, [w('a', '1.0')]);
    expect(await files(dir)).toEqual(['a-1.0-py3-none-any.whl']);
  });

  it('lays out the base context: its wheels (from either place) and their pins, with fixed modes', async () => {
    const wheelhouse = path.join(root, 'wh');
    await fs.mkdir(path.join(wheelhouse, 'base'), { recursive: true });
    await fs.writeFile(path.join(wheelhouse, w('a', '2.0')), 'a2');
    await fs.writeFile(path.join(wheelhouse, w('b', '1.0')), 'b1', { mode: 0o600 });
    await fs.writeFile(path.join(wheelhouse, 'base', w('a', '1.0')), 'a1');
    const dir = await baseContext(wheelhouse, [w('a', '1.0'), w('b', '1.0')], path.join(root, 'ctx'));
    expect(await files(dir)).toEqual(['a-1.0-py3-none-any.whl', 'b-1.0-py3-none-any.whl', 'requirements.txt']);
    expect(await fs.readFile(path.join(dir, 'requirements.txt'), 'utf8')).toBe('a==1.0\nb==1.0\n');
    expect(await fs.readFile(path.join(dir, w('a', '1.0')), 'utf8')).toBe('a1');
    for (const name of await fs.readdir(dir)) expect((await fs.stat(path.join(dir, name))).mode & 0o777).toBe(0o644);
    expect((await fs.stat(dir)).mode & 0o777).toBe(0o755);
  });
});
