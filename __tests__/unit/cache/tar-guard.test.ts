// The tar guard: an extraction's archive is read header by header first (tar-stream, after the
// compression program tar would run), and an archive with members outside the action's cache folder,
// or with links, is refused.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { guardTar } from '../../../src/cache/tar-guard-run.js';
import { extractionOf, memberOf, outsideMembers } from '../../../src/cache/tar-guard.js';
import { REAL_TAR, TAR_REPORT, TAR_ROOT, installTarGuard } from '../../../src/cache/tar-shim.js';

describe('extractionOf', () => {
  it("reads @actions/cache's extraction: the archive, the compression program, the folder", () => {
    const args = ['-xf', '/tmp/x/cache.tzst', '-P', '-C', '/home/runner/work/app/app', '--use-compress-program', 'unzstd', '--long=30'];
    expect(extractionOf(args)).toEqual({ archive: '/tmp/x/cache.tzst', compression: ['unzstd'], workingDir: '/home/runner/work/app/app' });
  });

  it.each<[string[], ReturnType<typeof extractionOf>]>([
    [['-xf', 'a.tar.gz', '-z', '-C', '/w'], { archive: '/run/a.tar.gz', compression: 'gzip', workingDir: '/w' }],
    [
      ['-xf', 'a.tzst', '--use-compress-program=zstd -d --long=30', '-C', '/w'],
      { archive: '/run/a.tzst', compression: ['zstd', '-d', '--long=30'], workingDir: '/w' }
    ],
    [['-xf', 'a.tar', '-C', '/w'], { archive: '/run/a.tar', compression: undefined, workingDir: '/w' }],
    [['-xf', '/t/a.tar', '-C', 'sub'], { archive: '/t/a.tar', compression: undefined, workingDir: '/run/sub' }],
    [['-xf', 'a.tar'], { archive: '/run/a.tar', compression: undefined, workingDir: '/run' }],
    [['-xf', 'a.tar', '--use-compress-program', ''], undefined],
    [['--posix', '-cf', 'cache.tzst', '-P', '-C', '/w', '--files-from', 'manifest.txt'], undefined],
    [['-tf', 'cache.tzst', '-P'], undefined],
    [['--version'], undefined]
  ])('%j, run in /run', (args, expected) => {
    expect(extractionOf(args, '/run')).toEqual(expected);
  });
});

describe('memberOf', () => {
  it.each<[string | null | undefined, string]>([
    ['file', '-'],
    ['contiguous-file', '-'],
    [undefined, '-'],
    ['directory', 'd'],
    ['symlink', 'l'],
    ['link', 'h'],
    ['character-device', '?'],
    ['fifo', '?']
  ])('a %s header is %s', (type, kind) => {
    expect(memberOf({ name: 'x', type })).toEqual({ name: 'x', kind });
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

  it('refuses a pax archive whose owner names hold spaces and the cache folder, with a member outside it', async () => {
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
    expect(await guardTar(['-xf', archive, '-P', '-C', workspace], env)).toBe(2);
    expect(existsSync(escaped)).toBe(false);
    expect(readFileSync(env[TAR_REPORT], 'utf8')).toBe(`'../../../../escaped.txt' is outside ${root}`);
  });

  it('extracts an archive of the cache folder', async () => {
    const archive = path.join(work, 'good.tar');
    mkdirSync(path.join(root, 'wheelhouse'), { recursive: true });
    writeFileSync(path.join(root, 'wheelhouse', 'a b.whl'), 'wheel');
    execFileSync(tar, ['-P', '-cf', archive, '-C', workspace, '../../../../home/.cache/wheelhouse-buildx/wheelhouse']);
    execFileSync('rm', ['-r', path.join(root, 'wheelhouse')]);
    expect(await guardTar(['-xf', archive, '-P', '-C', workspace], env)).toBe(0);
    expect(readFileSync(path.join(root, 'wheelhouse', 'a b.whl'), 'utf8')).toBe('wheel');
  });

  it('reads a zstd archive through the program tar would run, as @actions/cache extracts it', async () => {
    const archive = path.join(work, 'good.tzst');
    mkdirSync(path.join(root, 'wheelhouse'), { recursive: true });
    writeFileSync(path.join(root, 'wheelhouse', 'z.whl'), 'zstd wheel');
    execFileSync(tar, [
      '-P',
      '--use-compress-program',
      'zstd',
      '-cf',
      archive,
      '-C',
      workspace,
      '../../../../home/.cache/wheelhouse-buildx/wheelhouse'
    ]);
    execFileSync('rm', ['-r', path.join(root, 'wheelhouse')]);
    expect(await guardTar(['-xf', archive, '-P', '-C', workspace, '--use-compress-program', 'unzstd'], env)).toBe(0);
    expect(readFileSync(path.join(root, 'wheelhouse', 'z.whl'), 'utf8')).toBe('zstd wheel');
  });

  it('refuses a link inside the cache folder, and an archive that is not one', async () => {
    const src = path.join(root, 'linked');
    mkdirSync(src, { recursive: true });
    execFileSync('ln', ['-sf', '/etc/passwd', path.join(src, 'evil.whl')]);
    const archive = path.join(work, 'link.tar');
    execFileSync(tar, ['-P', '-cf', archive, '-C', workspace, '../../../../home/.cache/wheelhouse-buildx/linked']);
    execFileSync('rm', ['-r', src]);
    expect(await guardTar(['-xf', archive, '-P', '-C', workspace], env)).toBe(2);
    expect(readFileSync(env[TAR_REPORT], 'utf8')).toBe("'../../../../home/.cache/wheelhouse-buildx/linked/evil.whl' is a link");
    const garbage = path.join(work, 'garbage.tzst');
    writeFileSync(garbage, 'not an archive at all');
    expect(await guardTar(['-xf', garbage, '-P', '-C', workspace, '--use-compress-program', 'unzstd'], env)).toBe(2);
    expect(readFileSync(env[TAR_REPORT], 'utf8')).toBe('the archive cannot be read');
  });

  it('runs nothing without a real tar or a root', async () => {
    expect(await guardTar(['--version'], { PATH: process.env.PATH, [TAR_ROOT]: root })).toBe(2);
    expect(await guardTar(['--version'], { PATH: process.env.PATH, [REAL_TAR]: tar })).toBe(2);
  });

  it.each([[['-x', '-f', 'good.tar']], [['--extract', '--file=good.tar']], [['-zx', '-f', 'good.tar']]])(
    'refuses an extraction it cannot read: %j',
    async (args) => {
      expect(await guardTar([...args, '-C', workspace], env)).toBe(2);
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

  it('refuses an archive it could not read', () => {
    expect(outsideMembers(undefined, ws, root)).toMatch(/the archive cannot be read/);
  });
});
