// Ranged sets pinned by uv for the target: which targets uv can name, which sets go to it, its command
// line, and how its answers are read.
import { describe, expect, it } from '@jest/globals';
import { hasCredentials } from '../../../src/keys/requirements.js';
import {
  beyondPins,
  notForUv,
  pinnedSet,
  pinsOf,
  unsatisfiable,
  uvCompileArgs,
  uvPythonPlatform,
  uvPythonVersion,
  withinHashes
} from '../../../src/wheels/resolve.js';
import { UV_IN_WHEEL, UV_VERSION, uvWheel } from '../../../src/wheels/uv.js';
import { readMemory } from '../keys/helpers.js';

describe('uvPythonPlatform', () => {
  it.each<[string, string, string | undefined]>([
    ['linux/amd64', 'glibc2.36', 'x86_64-manylinux_2_36'],
    ['linux/arm64', 'glibc2.36', 'aarch64-manylinux_2_36'],
    ['linux/arm64/v8', 'glibc2.31', 'aarch64-manylinux_2_31'],
    // the highest level at or below the target's glibc: a wheel for a newer glibc does not load there
    ['linux/amd64', 'glibc2.41', 'x86_64-manylinux_2_40'],
    ['linux/amd64', 'glibc2.30', 'x86_64-manylinux_2_28'],
    ['linux/amd64', 'glibc2.17', 'x86_64-manylinux_2_17'],
    ['linux/amd64', 'glibc2.12', undefined],
    ['linux/amd64', 'musl', 'x86_64-unknown-linux-musl'],
    ['linux/arm64', 'musl', 'aarch64-unknown-linux-musl'],
    ['linux/amd64', 'unknown', undefined],
    ['linux/arm/v7', 'glibc2.36', undefined],
    ['linux/s390x', 'glibc2.36', undefined]
  ])('%s with %s → %s', (platform, libc, expected) => {
    expect(uvPythonPlatform({ platform, libc })).toBe(expected);
  });
});

describe('uvPythonVersion', () => {
  it.each<[string, string | undefined]>([
    ['cp311', '3.11'],
    ['cp39', '3.9'],
    ['cp313', '3.13'],
    ['pp310', undefined],
    ['graalpy311', undefined]
  ])('%s → %s', (tag, expected) => {
    expect(uvPythonVersion(tag)).toBe(expected);
  });
});

describe('notForUv', () => {
  it.each<[string, Record<string, string>, string | undefined]>([
    ['a range goes to uv', { 'requirements.txt': 'Django>=5.2,<5.3\ngunicorn==23.0.0\n' }, undefined],
    ['a name alone goes to uv', { 'requirements.txt': 'requests\n' }, undefined],
    ['ranges with a constraints file go to uv', { 'requirements.txt': '-c c.txt\nrequests\n', 'c.txt': 'urllib3<3\n' }, undefined],
    [
      'a set with hashes goes to uv (the hashes are checked where the files are fetched)',
      { 'requirements.txt': 'six==1.17.0 --hash=sha256:aa\nrequests\n' },
      undefined
    ],
    [
      'a git reference stays with pip, which fetches it from where it points',
      { 'requirements.txt': 'six==1.17.0\nlib @ git+https://git.example/lib@0a1b2c3d\n' },
      'the set has direct references (git or archive URLs), which pip takes from where they point'
    ],
    [
      'an archive URL stays with pip',
      { 'requirements.txt': 'lib @ https://files.example/lib-1.0.tar.gz\n' },
      'the set has direct references (git or archive URLs), which pip takes from where they point'
    ],
    [
      'a pinned set goes to uv too (its wheels can then come from the runner)',
      { 'requirements.txt': 'Django==5.2.19\nsix==1.17.0\n' },
      undefined
    ],
    [
      'credentials in an index option stay out of uv',
      { 'requirements.txt': '--extra-index-url https://u:p@pkgs.example/simple\nrequests\n' },
      'the set has credentials'
    ],
    [
      'credentials in a constraint stay out of uv',
      { 'requirements.txt': '-c c.txt\nrequests\n', 'c.txt': 'lib @ https://tok@git.example/lib.tar.gz\n' },
      'the set has credentials'
    ],
    ['nothing to resolve', { 'requirements.txt': '# nothing yet\n' }, 'no requirements']
  ])('%s', async (_, files, expected) => {
    const set = await readMemory(files);
    expect(notForUv(set, hasCredentials)).toBe(expected);
  });
});

describe('uvCompileArgs', () => {
  it.each<[string, { requirements: string; constraints: string | undefined; output: string }, string[]]>([
    [
      'requirements alone',
      { requirements: '/w/requirements.in', constraints: undefined, output: '/w/pins.txt' },
      ['--output-file', '/w/pins.txt', '/w/requirements.in']
    ],
    [
      'with constraints',
      { requirements: '/w/requirements.in', constraints: '/w/constraints.txt', output: '/w/pins.txt' },
      ['--constraint', '/w/constraints.txt', '--output-file', '/w/pins.txt', '/w/requirements.in']
    ]
  ])('%s', (_, files, tail) => {
    const args = uvCompileArgs(files, 'x86_64-manylinux_2_36', '3.11');
    expect(args).toEqual([
      'pip',
      'compile',
      '--no-config',
      '--system-certs',
      '--quiet',
      '--format',
      'pylock.toml',
      '--python-platform',
      'x86_64-manylinux_2_36',
      '--python-version',
      '3.11',
      ...tail
    ]);
  });
});

describe('pinsOf and pinnedSet', () => {
  const locked = (pins: [string, string][]) => pins.map(([name, version]) => ({ name, version, wheel: undefined }));

  it('pins each locked package and keeps the index options, dropping the constraints uv applied', async () => {
    const set = await readMemory({
      'requirements.txt': '--index-url https://pypi.example/simple\n-c c.txt\nDjango>=5.2,<5.3\n',
      'c.txt': 'sqlparse<0.6\n'
    });
    const pins = pinsOf(
      locked([
        ['asgiref', '3.13.0'],
        ['django', '5.2.19'],
        ['sqlparse', '0.5.3']
      ])
    );
    const pinned = pinnedSet(set, pins);
    expect(pinned.requirements.map((l) => l.normalized)).toEqual(['asgiref==3.13.0', 'django==5.2.19', 'sqlparse==0.5.3']);
    expect(pinned.constraints).toEqual([]);
    expect(pinned.options.map((l) => l.text)).toEqual(['--index-url https://pypi.example/simple']);
    expect(pinned.files).toEqual(set.files);
  });

  it('a pin the set gave with hashes keeps its line, hashes and marker', async () => {
    const set = await readMemory({ 'requirements.txt': 'Django>=5.2\nsix==1.17.0 ; python_version >= "3" --hash=sha256:aa\n' });
    const pinned = pinnedSet(
      set,
      pinsOf(
        locked([
          ['django', '5.2.19'],
          ['six', '1.17.0']
        ])
      )
    );
    expect(pinned.requirements.map((l) => l.text)).toEqual(['django==5.2.19', 'six==1.17.0 ; python_version >= "3" --hash=sha256:aa']);
  });

  it('refuses a version that does not make a pin', () => {
    expect(() =>
      pinnedSet({ files: [], requirements: [], constraints: [], options: [], skipped: [] }, pinsOf(locked([['django', '5.*']])))
    ).toThrow(/not pins: django==5\.\*/);
  });
});

describe('unsatisfiable', () => {
  it("gives uv's explanation when no version satisfies the set", () => {
    const stderr = [
      '  × No solution found when resolving dependencies:',
      '  ╰─▶ Because you require django>=5.2,<5.3 and django<5, we can conclude that your requirements are unsatisfiable.',
      ''
    ].join('\n');
    expect(unsatisfiable(stderr)).toBe(
      'Because you require django>=5.2,<5.3 and django<5, we can conclude that your requirements are unsatisfiable.'
    );
  });

  it("gives uv's explanation in its plain (no colour, no terminal) form", () => {
    const stderr =
      'error: No solution found when resolving dependencies\n  cause: Because nosuch>=99 was not found, we can conclude that your requirements are unsatisfiable.\n';
    expect(unsatisfiable(stderr)).toBe('Because nosuch>=99 was not found, we can conclude that your requirements are unsatisfiable.');
  });

  it('is undefined for other failures (network, options uv does not know)', () => {
    expect(unsatisfiable('error: Failed to fetch: https://pypi.org/simple/django/\n  cause: client error (Connect)\n')).toBeUndefined();
  });
});

describe('uvWheel', () => {
  it.each(['x64', 'arm64'])('%s: a pinned wheel of uv %s with its SHA-256', (arch) => {
    const wheel = uvWheel(arch);
    expect(wheel?.url).toMatch(
      new RegExp(`^https://files\\.pythonhosted\\.org/packages/.*/uv-${UV_VERSION.replace(/\./g, '\\.')}-py3-none-manylinux.*\\.whl$`)
    );
    expect(wheel?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(['ia32', 'ppc64', 'constructor'])('%s: none', (arch) => {
    expect(uvWheel(arch)).toBeUndefined();
  });

  it('names the binary inside the wheel', () => {
    expect(UV_IN_WHEEL).toBe(`uv-${UV_VERSION}.data/scripts/uv`);
  });
});

describe('beyondPins', () => {
  const locked = (...names: string[]) => names.map((name) => ({ name, version: '1', wheel: undefined }));
  it.each<[string, string, string[], string[]]>([
    [
      'a complete pinned set (as pip-compile writes it): nothing open',
      'Django==5.2.19\nasgiref==3.13.0\nsqlparse==0.6.1\n',
      ['django', 'asgiref', 'sqlparse'],
      []
    ],
    ['pins that leave transitive dependencies open', 'Django==5.2.19\n', ['asgiref', 'django', 'sqlparse'], ['asgiref', 'sqlparse']],
    ['names compare normalized', 'Zope.Interface==7.2\n', ['zope-interface'], []],
    ['a set with a range: uv decides every version anyway', 'Django>=5.2\n', ['asgiref', 'django'], []]
  ])('%s', async (_, requirements, resolved, open) => {
    const set = await readMemory({ 'requirements.txt': requirements });
    expect(beyondPins(set, locked(...resolved))).toEqual(open);
  });
});

describe('withinHashes', () => {
  const A = 'a'.repeat(64);
  const B = 'b'.repeat(64);
  const wheel = (sha256: string) => ({ file: 'six-1.17.0-py2.py3-none-any.whl', url: 'https://files.example/six.whl', sha256 });

  it.each<[string, string, string, boolean]>([
    ['a wheel whose SHA-256 the set names is downloaded', `six==1.17.0 --hash=sha256:${B} --hash=sha256:${A}`, A, true],
    ['a wheel the hashes do not name is left to the wheel build', `six==1.17.0 --hash=sha256:${B}`, A, false],
    ['hashes of another algorithm only: left to pip, which knows them', `six==1.17.0 --hash=sha512:${A}${A}`, A, false],
    ['a pin without hashes keeps what uv found', 'six==1.17.0', A, true]
  ])('%s', async (_, requirement, sha256, kept) => {
    const set = await readMemory({ 'requirements.txt': `${requirement}\n` });
    const [pkg] = withinHashes(set, [{ name: 'six', version: '1.17.0', wheel: wheel(sha256) }]);
    expect(pkg?.wheel !== undefined).toBe(kept);
  });
});
