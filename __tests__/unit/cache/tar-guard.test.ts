// The tar guard: an extraction is listed first, and an archive with members outside the action's cache
// folder, or with links, is refused.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { guardTar } from '../../../src/cache/tar-guard-run.js';
import { listingArgs, outsideMembers, parseListing } from '../../../src/cache/tar-guard.js';
import { REAL_TAR, TAR_REPORT, TAR_ROOT, installTarGuard } from '../../../src/cache/tar-shim.js';

describe('listingArgs', () => {
  it("turns @actions/cache's extraction into a verbose listing of the same archive", () => {
    const args = ['-xf', '/tmp/x/cache.tzst', '-P', '-C', '/home/runner/work/app/app', '--use-compress-program', 'unzstd', '--long=30'];
    expect(listingArgs(args)).toEqual({
      list: [
        '-tvf',
        '/tmp/x/cache.tzst',
        '-P',
        '--use-compress-program',
        'unzstd',
        '--long=30',
        '--numeric-owner',
        '--quoting-style=escape'
      ],
      workingDir: '/home/runner/work/app/app'
    });
  });

  it.each([
    [['--posix', '-cf', 'cache.tzst', '-P', '-C', '/w', '--files-from', 'manifest.txt']],
    [['-tf', 'cache.tzst', '-P']],
    [['--version']]
  ])('leaves %j alone', (args) => {
    expect(listingArgs(args)).toBeUndefined();
  });
});

describe('parseListing', () => {
  it('reads the type and the name (spaces in names kept) of each line of GNU tar -tv --numeric-owner', () => {
    const text = [
      'drwxr-xr-x 0/0               0 2026-11-24 01:36 ../home/.cache/wheelhouse-buildx/wheelhouse/',
      '-rw-r--r-- 1000/1000   3482716 2026-11-24 01:36 ../home/.cache/wheelhouse-buildx/wheelhouse/a b.whl',
      'lrwxrwxrwx 0/0               0 2026-11-24 01:36 ../home/.cache/wheelhouse-buildx/x -> /etc',
      'crw-r--r-- 0/0             1,3 2026-11-24 01:36 ../home/.cache/wheelhouse-buildx/null',
      ''
    ].join('\n');
    expect(parseListing(text)).toEqual([
      { kind: 'd', name: '../home/.cache/wheelhouse-buildx/wheelhouse/' },
      { kind: '-', name: '../home/.cache/wheelhouse-buildx/wheelhouse/a b.whl' },
      { kind: 'l', name: '../home/.cache/wheelhouse-buildx/x -> /etc' },
      { kind: 'c', name: '../home/.cache/wheelhouse-buildx/null' }
    ]);
  });

  it.each([
    ['a name alone', '../home/.cache/wheelhouse-buildx/wheelhouse/a.whl'],
    // owner and group names with spaces would shift whitespace columns: only numeric owners are read
    ['owner names', '-rw-r--r-- u1 u2 u3 u4 //root/.cache/wheelhouse-buildx  3 2026-12-03 17:32 ../../../../../e.txt'],
    ['one unreadable line among good ones', 'drwxr-xr-x 0/0 0 2026-11-24 01:36 ok/\nsomething else']
  ])('is undefined (the archive is refused) for %s', (_, text) => {
    expect(parseListing(`${text}\n`)).toBeUndefined();
  });
});

describe('guardTar, with GNU tar', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'tar-guard-'));
  const root = path.join(work, 'home', '.cache', 'wheelhouse-buildx');
  const workspace = path.join(work, 'w', 'o', 'r', 'k');
  mkdirSync(root, { recursive: true });
  mkdirSync(workspace, { recursive: true });
  const tar = execFileSync('sh', ['-c', 'command -v tar'], { encoding: 'utf8' }).trim();
  const escaped = path.join(work, 'escaped.txt');
  const env = { PATH: process.env.PATH, [REAL_TAR]: tar, [TAR_ROOT]: root, [TAR_REPORT]: path.join(work, 'report') };

  it('refuses a pax archive whose owner names hold spaces and the cache folder, with a member outside it', () => {
    const src = path.join(work, 'src');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'escaped.txt'), 'written by a cache archive');
    const archive = path.join(work, 'evil.tar');
    execFileSync(tar, [
      '--format=pax',
      `--owner=u1 u2 u3 u4 :0`,
      `--group=${root} x:0`,
      '-P',
      '--transform=s,^,../../../../,',
      '-cf',
      archive,
      '-C',
      src,
      'escaped.txt'
    ]);
    expect(guardTar(['-xf', archive, '-P', '-C', workspace], env)).toBe(2);
    expect(existsSync(escaped)).toBe(false);
    expect(readFileSync(env[TAR_REPORT], 'utf8')).toBe(`'../../../../escaped.txt' is outside ${root}`);
  });

  it('extracts an archive of the cache folder', () => {
    const archive = path.join(work, 'good.tar');
    mkdirSync(path.join(root, 'wheelhouse'), { recursive: true });
    writeFileSync(path.join(root, 'wheelhouse', 'a b.whl'), 'wheel');
    execFileSync(tar, ['-P', '-cf', archive, '-C', workspace, '../../../../home/.cache/wheelhouse-buildx/wheelhouse']);
    execFileSync('rm', ['-r', path.join(root, 'wheelhouse')]);
    expect(guardTar(['-xf', archive, '-P', '-C', workspace], env)).toBe(0);
    expect(readFileSync(path.join(root, 'wheelhouse', 'a b.whl'), 'utf8')).toBe('wheel');
  });

  it.each([[['-x', '-f', 'good.tar']], [['--extract', '--file=good.tar']], [['-zx', '-f', 'good.tar']]])(
    'refuses an extraction it cannot list: %j',
    (args) => {
      expect(guardTar([...args, '-C', workspace], env)).toBe(2);
    }
  );
});

describe('the shim: only an extraction starts the guard', () => {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'tar-shim-route-'));
  writeFileSync(path.join(bin, 'tar'), '#!/bin/sh\necho "real $*"\n', { mode: 0o755 });
  const guard = path.join(bin, 'guard.js');
  writeFileSync(guard, 'console.log(`guard ${process.argv.slice(2).join(" ")}`);\n');
  const env: NodeJS.ProcessEnv = { PATH: `${bin}${path.delimiter}/usr/bin${path.delimiter}/bin`, RUNNER_TEMP: bin };
  installTarGuard(guard, '/cache/root', env);
  const shim = path.join(env.PATH!.split(path.delimiter)[0]!, 'tar');
  it.each<[string[], 'real' | 'guard']>([
    [['--version'], 'real'],
    [['--posix', '-cf', 'cache.tzst', '--exclude', 'cache.tzst', '-P', '-C', '/w', '--files-from', 'manifest.txt'], 'real'],
    [['-xf', 'cache.tzst', '-P', '-C', '/w'], 'guard'],
    [['-zxf', 'cache.tgz'], 'guard'],
    [['-x', '-f', 'cache.tar'], 'guard'],
    [['--extract', '--file=cache.tar'], 'guard'],
    [['--get', '-f', 'cache.tar'], 'guard'],
    [['-cf', 'a dir -xf b'], 'real']
  ])('%j runs the %s program', (args, which) => {
    expect(execFileSync(shim, args, { encoding: 'utf8' }).trim()).toBe(`${which} ${args.join(' ')}`);
  });
});

describe('installTarGuard', () => {
  const bin = mkdtempSync(path.join(os.tmpdir(), 'tar-shim-bin-'));
  const temp = mkdtempSync(path.join(os.tmpdir(), 'tar-shim-temp-'));
  const guard = path.join(temp, 'guard.js');
  writeFileSync(guard, '');

  it('puts a guarded tar and gtar first on PATH, each naming its real program', () => {
    for (const name of ['tar', 'gtar']) writeFileSync(path.join(bin, name), '#!/bin/sh\n', { mode: 0o755 });
    const env: NodeJS.ProcessEnv = { PATH: bin, RUNNER_TEMP: temp };
    expect(installTarGuard(guard, '/cache/root', env)).toBe(true);
    const shims = env.PATH!.split(path.delimiter)[0]!;
    expect(readFileSync(path.join(shims, 'gtar'), 'utf8')).toContain(`${REAL_TAR}='${path.join(bin, 'gtar')}'\nexport ${REAL_TAR}\n`);
    expect(readFileSync(path.join(shims, 'tar'), 'utf8')).toContain(`${REAL_TAR}='${path.join(bin, 'tar')}'`);
    expect(env[TAR_ROOT]).toBe('/cache/root');
    expect(installTarGuard(guard, '/cache/root', env)).toBe(true);
    expect(env.PATH!.split(path.delimiter)).toHaveLength(2);
  });

  it('is false with no tar on PATH, or no guard to run', () => {
    expect(installTarGuard(guard, '/cache/root', { PATH: temp, RUNNER_TEMP: temp })).toBe(false);
    expect(installTarGuard(path.join(temp, 'missing.js'), '/cache/root', { PATH: bin, RUNNER_TEMP: temp })).toBe(false);
  });
});

describe('outsideMembers', () => {
  const ws = '/home/runner/work/app/app';
  const root = '/home/runner/.cache/wheelhouse-buildx';
  const members = (names: string[], kinds: string[]) => names.map((name, i) => ({ name, kind: kinds[i]! }));

  it('accepts the folder and files of an entry saved from ~/.cache/wheelhouse-buildx', () => {
    const names = [
      '../../../.cache/wheelhouse-buildx/wheelhouse/',
      '../../../.cache/wheelhouse-buildx/wheelhouse/six-1.17.0-py2.py3-none-any.whl',
      '../../../.cache/wheelhouse-buildx/wheelhouse/wheelhouse-manifest.json'
    ];
    expect(outsideMembers(members(names, ['d', '-', '-']), ws, root)).toBeUndefined();
  });

  it.each<[string[], string[], RegExp]>([
    [
      ['../../../.cache/wheelhouse-buildx/wheelhouse/', '../../../../../../tmp/escape.txt'],
      ['d', '-'],
      /'..\/..\/..\/..\/..\/..\/tmp\/escape.txt' is outside \/home\/runner\/.cache\/wheelhouse-buildx/
    ],
    [['/etc/cron.d/x'], ['-'], /'\/etc\/cron.d\/x' is outside/],
    [['../../../.cache/wheelhouse-buildx/../evil'], ['-'], /is outside/],
    [['../../../.cache/wheelhouse-buildx-other/x'], ['-'], /is outside/],
    [['../../../.cache/wheelhouse-buildx/wheelhouse/link'], ['l'], /'.*\/link' is a link/],
    [['../../../.cache/wheelhouse-buildx/wheelhouse/hard'], ['h'], /is a link/],
    [['../../../.cache/wheelhouse-buildx/wheelhouse/dev'], ['c'], /is not a file or folder/]
  ])('refuses %j', (names, kinds, message) => {
    expect(outsideMembers(members(names, kinds), ws, root)).toMatch(message);
  });

  it('refuses a listing it could not read', () => {
    expect(outsideMembers(undefined, ws, root)).toMatch(/the listing is not readable/);
  });
});
