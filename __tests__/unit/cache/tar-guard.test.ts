// The tar guard: an extraction is listed first, and an archive with members outside the action's cache
// folder, or with links, is refused.
import { describe, expect, it } from '@jest/globals';
import { listingArgs, outsideMembers } from '../../../src/cache/tar-guard.js';

describe('listingArgs', () => {
  it("turns @actions/cache's extraction into a listing of the same archive", () => {
    const args = ['-xf', '/tmp/x/cache.tzst', '-P', '-C', '/home/runner/work/app/app', '--use-compress-program', 'unzstd', '--long=30'];
    expect(listingArgs(args)).toEqual({
      list: ['-tf', '/tmp/x/cache.tzst', '-P', '--use-compress-program', 'unzstd', '--long=30'],
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

describe('outsideMembers', () => {
  const ws = '/home/runner/work/app/app';
  const root = '/home/runner/.cache/wheelhouse-buildx';

  it('accepts the folder and files of an entry saved from ~/.cache/wheelhouse-buildx', () => {
    const names = [
      '../../../.cache/wheelhouse-buildx/wheelhouse/',
      '../../../.cache/wheelhouse-buildx/wheelhouse/six-1.17.0-py2.py3-none-any.whl',
      '../../../.cache/wheelhouse-buildx/wheelhouse/wheelhouse-manifest.json'
    ];
    expect(outsideMembers(names, ['d', '-', '-'], ws, root)).toBeUndefined();
  });

  it.each<[string[], string[], RegExp]>([
    [['../../../.cache/wheelhouse-buildx/wheelhouse/', '../../../../../../tmp/escape.txt'], ['d', '-'], /'..\/..\/..\/..\/..\/..\/tmp\/escape.txt' is outside \/home\/runner\/.cache\/wheelhouse-buildx/],
    [['/etc/cron.d/x'], ['-'], /'\/etc\/cron.d\/x' is outside/],
    [['../../../.cache/wheelhouse-buildx/../evil'], ['-'], /is outside/],
    [['../../../.cache/wheelhouse-buildx-other/x'], ['-'], /is outside/],
    [['../../../.cache/wheelhouse-buildx/wheelhouse/link'], ['l'], /'.*\/link' is a link/],
    [['../../../.cache/wheelhouse-buildx/wheelhouse/hard'], ['h'], /is a link/],
    [['../../../.cache/wheelhouse-buildx/wheelhouse/dev'], ['c'], /is not a file or folder/],
    [['a', 'b'], ['-'], /the listing is not readable/]
  ])('refuses %j', (names, kinds, message) => {
    expect(outsideMembers(names, kinds, ws, root)).toMatch(message);
  });
});
