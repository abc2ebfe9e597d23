// A release's CHANGELOG step: the Unreleased entries become the version's dated section.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { majorTag, releaseChangelog, releaseNotes } from '../../../scripts/release/changelog.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHANGELOG = [
  '# Changelog',
  '',
  'Intro.',
  '',
  '## [Unreleased]',
  '',
  '### Added',
  '- B',
  '',
  '## [0.9.0] - 2026-11-01',
  '',
  '### Added',
  '- A',
  ''
].join('\n');

describe('releaseChangelog', () => {
  it('moves the Unreleased entries under the version, dated, and keeps an empty Unreleased on top', () => {
    expect(releaseChangelog(CHANGELOG, '1.0.0', '2026-12-07')).toBe(
      [
        '# Changelog',
        '',
        'Intro.',
        '',
        '## [Unreleased]',
        '',
        '## [1.0.0] - 2026-12-07',
        '',
        '### Added',
        '- B',
        '',
        '## [0.9.0] - 2026-11-01',
        '',
        '### Added',
        '- A',
        ''
      ].join('\n')
    );
  });

  it("the project's own CHANGELOG.md can be released", () => {
    const text = readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8');
    const released = releaseChangelog(text, '1.0.0', '2026-12-07');
    expect(released).toMatch(/^## \[Unreleased\]\n\n## \[1\.0\.0\] - 2026-12-07\n\n### Added\n- One step/m);
    expect(releaseNotes(released, '1.0.0')).toMatch(/^### Added\n- One step/);
  });

  it.each<[string, string, string, RegExp]>([
    ['a version that is not x.y.z', CHANGELOG, 'v1.0', /expected a version such as 1\.2\.3/],
    ['a version released already', CHANGELOG, '0.9.0', /has a section for 0\.9\.0 already/],
    ['nothing unreleased', CHANGELOG.replace('- B\n', ''), '1.0.0', /nothing to release/],
    ['no Unreleased section', CHANGELOG.replace('## [Unreleased]\n', ''), '1.0.0', /no \[Unreleased\] section/]
  ])('refuses %s', (_, text, version, error) => {
    expect(() => releaseChangelog(text, version, '2026-12-07')).toThrow(error);
  });
});

describe('releaseNotes and majorTag', () => {
  it("a version's section, without its heading", () => {
    expect(releaseNotes(CHANGELOG, '0.9.0')).toBe('### Added\n- A');
  });

  it.each([
    ['1.4.2', 'v1'],
    ['0.1.0', 'v0'],
    ['12.0.0', 'v12']
  ])('%s moves %s', (version, tag) => {
    expect(majorTag(version)).toBe(tag);
  });
});
