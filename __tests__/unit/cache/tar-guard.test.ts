// The tar guard: an extraction is listed first, and an archive with members outside the action's cache
// folder, or with links, is refused.
import { describe, expect, it } from '@jest/globals';
import { listingArgs, outsideMembers, parseListing } from '../../../src/cache/tar-guard.js';

describe('listingArgs', () => {
  it("turns @actions/cache's extraction into a verbose listing of the same archive", () => {
    const args = ['-xf', '/tmp/x/cache.tzst', '-P', '-C', '/home/runner/work/app/app', '--use-compress-program', 'unzstd', '--long=30'];
    expect(listingArgs(args)).toEqual({
      list: ['-tvf', '/tmp/x/cache.tzst', '-P', '--use-compress-program', 'unzstd', '--long=30'],
      workingDir: '/home/runner/work/app/app'
    });
  });

  it.each([[['--posix', '-cf', 'cache.tzst', '-P', '-C', '/w', '--files-from', 'manifest.txt']], [['-tf', 'cache.tzst', '-P']], [['--version']]])(
    'leaves %j alone',
    (args) => {
      expect(listingArgs(args)).toBeUndefined();
    }
  );
});

describe('parseListing', () => {
  it('reads the type and the name (spaces in names kept) of each line of GNU tar -tv', () => {
    const text = [
      'drwxr-xr-x root/root         0 2026-11-24 01:36 ../home/.cache/wheelhouse-buildx/wheelhouse/',
      '-rw-r--r-- 1000/1000   3482716 2026-11-24 01:36 ../home/.cache/wheelhouse-buildx/wheelhouse/a b.whl',
      'lrwxrwxrwx root/root         0 2026-11-24 01:36 ../home/.cache/wheelhouse-buildx/x -> /etc',
      ''
    ].join('\n');
    expect(parseListing(text)).toEqual([
      { kind: 'd', name: '../home/.cache/wheelhouse-buildx/wheelhouse/' },
      { kind: '-', name: '../home/.cache/wheelhouse-buildx/wheelhouse/a b.whl' },
      { kind: 'l', name: '../home/.cache/wheelhouse-buildx/x -> /etc' }
    ]);
  });

  it('is undefined for lines it cannot read', () => {
    expect(parseListing('../home/.cache/wheelhouse-buildx/wheelhouse/a.whl\n')).toBeUndefined();
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
    [['../../../.cache/wheelhouse-buildx/wheelhouse/', '../../../../../../tmp/escape.txt'], ['d', '-'], /'..\/..\/..\/..\/..\/..\/tmp\/escape.txt' is outside \/home\/runner\/.cache\/wheelhouse-buildx/],
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
